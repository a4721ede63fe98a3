import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Selectable } from "kysely";
import { containing, cachedRow, cachedRows, toBool, toDate, type ActorsTable, type Executor } from "../../db/index.ts";
import type { Actor, ActorKey, ActorType, RemoteActorInput } from "./actor.types.ts";

const map = (r: Selectable<ActorsTable>): Actor => ({
  id: r.id,
  type: r.type,
  preferredUsername: r.preferred_username,
  domain: r.domain,
  name: r.name,
  summary: r.summary,
  url: r.url,
  userId: r.user_id,
  avatarId: r.avatar_id,
  bannerId: r.banner_id,
  visibility: r.visibility,
  suspended: toBool(r.suspended),
  manuallyApprovesFollowers: toBool(r.manually_approves_followers),
  insertedAt: toDate(r.inserted_at),
  updatedAt: toDate(r.updated_at),
  deletedAt: toDate(r.deleted_at),
  endpoints: r.inbox_url
    ? { inbox: r.inbox_url, sharedInbox: r.shared_inbox_url, outbox: r.outbox_url, followers: r.followers_url, following: r.following_url, members: r.members_url }
    : null,
  lastRefreshedAt: toDate(r.last_refreshed_at),
  openness: r.openness,
  physicalAddressId: r.physical_address_id,
});

/** Reads and writes of actors (people now; groups, the relay and remote actors later). */
export const actorRepository = {
  /** The caller's identity is read on most requests: through the row cache (outside transactions). */
  findById(db: Executor, id: number): Promise<Actor | null> {
    return cachedRow(db, "actors", id, async () => {
      const r = await db.selectFrom("actors").selectAll().where("id", "=", id).where("deleted_at", "is", null).executeTakeFirst();
      return r ? map(r) : null;
    });
  },
  /** An actor by id even when deleted (a closed actor still signs its own Delete). */
  async findByIdEvenDeleted(db: Executor, id: number): Promise<Actor | null> {
    const r = await db.selectFrom("actors").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Actor[]> {
    if (ids.length === 0) return [];
    return cachedRows(db, "actors", ids, async (missing) =>
      (await db.selectFrom("actors").selectAll().where("id", "in", missing).where("deleted_at", "is", null).execute()).map(map),
    );
  },
  async findLocalByUsername(db: Executor, username: string): Promise<Actor | null> {
    const r = await db
      .selectFrom("actors")
      .selectAll()
      .where("preferred_username", "=", username)
      .where("domain", "is", null)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return r ? map(r) : null;
  },
  async findRemoteByUsername(db: Executor, username: string, domain: string): Promise<Actor | null> {
    const r = await db.selectFrom("actors").selectAll().where("preferred_username", "=", username).where("domain", "=", domain).where("deleted_at", "is", null).executeTakeFirst();
    return r ? map(r) : null;
  },
  /** Whether a local username is taken, counting deleted actors (their names stay reserved). */
  async usernameTaken(db: Executor, username: string): Promise<boolean> {
    const r = await db.selectFrom("actors").select("id").where("preferred_username", "=", username).where("domain", "is", null).executeTakeFirst();
    return !!r;
  },
  async findByUser(db: Executor, userId: number): Promise<Actor[]> {
    return (
      await db.selectFrom("actors").selectAll().where("user_id", "=", userId).where("deleted_at", "is", null).orderBy("id").execute()
    ).map(map);
  },
  async findByUsers(db: Executor, userIds: readonly number[]): Promise<Actor[]> {
    if (userIds.length === 0) return [];
    return (
      await db.selectFrom("actors").selectAll().where("user_id", "in", [...userIds]).where("deleted_at", "is", null).orderBy("id").execute()
    ).map(map);
  },
  async countByUser(db: Executor, userId: number): Promise<number> {
    const r = await db
      .selectFrom("actors")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async insert(
    db: Executor,
    v: {
      type: ActorType;
      preferredUsername: string;
      name: string | null;
      summary: string | null;
      url: string;
      userId: number | null;
      avatarId: number | null;
      bannerId: number | null;
      now: Date;
      manuallyApprovesFollowers?: boolean;
      visibility?: string;
      openness?: string | null;
      physicalAddressId?: number | null;
    },
  ): Promise<Actor> {
    const r = await db
      .insertInto("actors")
      .values({
        type: v.type,
        preferred_username: v.preferredUsername,
        domain: null,
        name: v.name,
        summary: v.summary,
        url: v.url,
        user_id: v.userId,
        avatar_id: v.avatarId,
        banner_id: v.bannerId,
        visibility: v.visibility ?? "public",
        suspended: false,
        manually_approves_followers: v.manuallyApprovesFollowers ?? false,
        openness: v.openness ?? null,
        physical_address_id: v.physicalAddressId ?? null,
        inserted_at: v.now,
        updated_at: v.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async update(
    db: Executor,
    id: number,
    patch: Partial<{
      name: string | null;
      summary: string | null;
      avatarId: number | null;
      bannerId: number | null;
      suspended: boolean;
      visibility: string;
      openness: string;
      manuallyApprovesFollowers: boolean;
      physicalAddressId: number | null;
    }>,
    now: Date,
  ): Promise<Actor> {
    const r = await db
      .updateTable("actors")
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.summary !== undefined && { summary: patch.summary }),
        ...(patch.avatarId !== undefined && { avatar_id: patch.avatarId }),
        ...(patch.bannerId !== undefined && { banner_id: patch.bannerId }),
        ...(patch.suspended !== undefined && { suspended: patch.suspended }),
        ...(patch.visibility !== undefined && { visibility: patch.visibility }),
        ...(patch.openness !== undefined && { openness: patch.openness }),
        ...(patch.manuallyApprovesFollowers !== undefined && { manually_approves_followers: patch.manuallyApprovesFollowers }),
        ...(patch.physicalAddressId !== undefined && { physical_address_id: patch.physicalAddressId }),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  /**
   * Soft-deletes: the row stays as a tombstone so the username is never reused (remote instances may still refer
   * to it), everything personal is erased.
   */
  async softDelete(db: Executor, id: number, now: Date): Promise<void> {
    await db
      .updateTable("actors")
      .set({ deleted_at: now, updated_at: now, user_id: null, name: null, summary: null, avatar_id: null, banner_id: null, physical_address_id: null })
      .where("id", "=", id)
      .execute();
  },

  async showsMedia(db: Executor, mediaId: number): Promise<boolean> {
    const r = await db
      .selectFrom("actors")
      .select("id")
      .where((eb) => eb.or([eb("avatar_id", "=", mediaId), eb("banner_id", "=", mediaId)]))
      .where("suspended", "=", false as never)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return !!r;
  },

  /** An actor by its ActivityPub id, deleted ones included (callers check `deletedAt`). */
  async findByUrl(db: Executor, url: string): Promise<Actor | null> {
    const r = await db.selectFrom("actors").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },

  /** Stores a remote actor read from its server, or refreshes the stored one (same url). */
  async upsertRemote(db: Executor, v: RemoteActorInput, now: Date): Promise<Actor> {
    const fields = {
      type: v.type,
      preferred_username: v.preferredUsername,
      domain: v.domain,
      name: v.name,
      summary: v.summary,
      visibility: v.discoverable ? "public" : "unlisted",
      manually_approves_followers: v.manuallyApprovesFollowers,
      inbox_url: v.endpoints.inbox,
      shared_inbox_url: v.endpoints.sharedInbox,
      outbox_url: v.endpoints.outbox,
      followers_url: v.endpoints.followers,
      following_url: v.endpoints.following,
      members_url: v.endpoints.members,
      openness: v.openness ?? null,
      last_refreshed_at: now,
      updated_at: now,
    };
    const existing = await db.selectFrom("actors").select(["id", "preferred_username"]).where("url", "=", v.url).executeTakeFirst();
    if (existing) {
      // A username another actor of that domain holds (renamed elsewhere) keeps the stored one.
      const clash = existing.preferred_username !== v.preferredUsername
        ? await db.selectFrom("actors").select("id").where("preferred_username", "=", v.preferredUsername).where("domain", "=", v.domain).executeTakeFirst()
        : null;
      const r = await db
        .updateTable("actors")
        .set({ ...fields, ...(clash && { preferred_username: existing.preferred_username }) })
        .where("id", "=", existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return map(r);
    }
    // Another actor of that server may hold the name (a renamed account, a person and a group sharing it): this one
    // is kept under a name of its own (its URL, not its name, is what names it).
    const taken = await db.selectFrom("actors").select("id").where("preferred_username", "=", v.preferredUsername).where("domain", "=", v.domain).executeTakeFirst();
    const username = taken ? `${v.preferredUsername}_${createHash("sha256").update(v.url).digest("hex").slice(0, 8)}` : v.preferredUsername;
    const r = await db
      .insertInto("actors")
      .values({ ...fields, preferred_username: username, url: v.url, user_id: null, avatar_id: null, banner_id: null, suspended: false, inserted_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },

  async keyOf(db: Executor, actorId: number): Promise<ActorKey | null> {
    const r = await db.selectFrom("actor_keys").selectAll().where("actor_id", "=", actorId).executeTakeFirst();
    return r ? { actorId: r.actor_id, keyId: r.key_id, publicKeyPem: r.public_key_pem, privateKeyPem: r.private_key_pem } : null;
  },
  async keyById(db: Executor, keyId: string): Promise<ActorKey | null> {
    const r = await db.selectFrom("actor_keys").selectAll().where("key_id", "=", keyId).executeTakeFirst();
    return r ? { actorId: r.actor_id, keyId: r.key_id, publicKeyPem: r.public_key_pem, privateKeyPem: r.private_key_pem } : null;
  },
  /** Keeps the first key pair of an actor (two processes making one at once: the first insert wins). */
  async insertKeyIfAbsent(db: Executor, k: ActorKey, now: Date): Promise<void> {
    await db
      .insertInto("actor_keys")
      .values({ actor_id: k.actorId, key_id: k.keyId, public_key_pem: k.publicKeyPem, private_key_pem: k.privateKeyPem, inserted_at: now, updated_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  },
  /** A remote actor's key changes when its server rotates it. */
  async setRemoteKey(db: Executor, actorId: number, keyId: string, pem: string, now: Date): Promise<void> {
    await db.deleteFrom("actor_keys").where("actor_id", "=", actorId).execute();
    await db.deleteFrom("actor_keys").where("key_id", "=", keyId).execute();
    await db.insertInto("actor_keys").values({ actor_id: actorId, key_id: keyId, public_key_pem: pem, private_key_pem: null, inserted_at: now, updated_at: now }).execute();
  },

  /** Public profiles, local and remote, whose username or name holds the term (searchPersons). */
  async searchPersons(db: Executor, term: string, page: number, limit: number): Promise<{ total: number; elements: Actor[] }> {
    const like = containing(term);
    const q = db
      .selectFrom("actors")
      .where("type", "=", "Person")
      .where("deleted_at", "is", null)
      .where("suspended", "=", false as never)
      .where("visibility", "=", "public")
      .where("preferred_username", "!=", "anonymous")
      .where((eb) => eb.or([eb("preferred_username", "like", like), eb(sql`lower(coalesce(name, ''))`, "like", like)]));
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("id").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(total), elements: rows.map(map) };
  },

  /** People for the instance's staff, filtered like Mobilizon's persons query; deleted profiles aside. */
  /** People or groups for the staff's lists (Mobilizon's `persons` and `groups` queries), newest first; deleted ones aside. */
  async listActors(
    db: Executor,
    type: "Person" | "Group",
    f: { preferredUsername: string; name: string; domain: string; local: boolean; suspended: boolean; page: number; limit: number },
  ): Promise<{ total: number; elements: Actor[] }> {
    let q = db.selectFrom("actors").where("type", "=", type).where("deleted_at", "is", null).where("suspended", "=", f.suspended as never);
    q = f.local ? q.where("domain", "is", null) : q.where("domain", "is not", null);
    if (f.preferredUsername) q = q.where("preferred_username", "like", containing(f.preferredUsername));
    if (f.name) q = q.where(sql`lower(coalesce(name, ''))`, "like", containing(f.name));
    if (f.domain && !f.local) q = q.where("domain", "like", containing(f.domain));
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("id", "desc").limit(f.limit).offset((f.page - 1) * f.limit).execute();
    return { total: Number(total), elements: rows.map(map) };
  },
};
