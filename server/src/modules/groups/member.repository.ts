import type { Selectable } from "kysely";
import { containing, toDate, type Executor, type MembersTable } from "../../db/index.ts";
import { MEMBER_OF, type Member, type MemberRole } from "./group.types.ts";

const map = (r: Selectable<MembersTable>): Member => ({
  id: r.id,
  url: r.url,
  groupId: r.parent_id,
  actorId: r.actor_id,
  role: r.role as MemberRole,
  invitedById: r.invited_by_id,
  message: r.message,
  insertedAt: toDate(r.inserted_at)!,
  updatedAt: toDate(r.updated_at)!,
});

/** Reads and writes of memberships. */
export const memberRepository = {
  async findById(db: Executor, id: number): Promise<Member | null> {
    const r = await db.selectFrom("members").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Member[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("members").selectAll().where("id", "in", [...ids]).execute()).map(map);
  },
  async findByUrl(db: Executor, url: string): Promise<Member | null> {
    const r = await db.selectFrom("members").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async find(db: Executor, groupId: number, actorId: number): Promise<Member | null> {
    const r = await db.selectFrom("members").selectAll().where("parent_id", "=", groupId).where("actor_id", "=", actorId).executeTakeFirst();
    return r ? map(r) : null;
  },
  /** The memberships of several actors (a caller's identities) in one group. */
  async findForActors(db: Executor, groupId: number, actorIds: readonly number[]): Promise<Member[]> {
    if (actorIds.length === 0) return [];
    return (await db.selectFrom("members").selectAll().where("parent_id", "=", groupId).where("actor_id", "in", [...actorIds]).execute()).map(map);
  },
  /** Every membership of several actors, in any group (a caller's roles, for the policies of group content). */
  async allForActors(db: Executor, actorIds: readonly number[]): Promise<Member[]> {
    if (actorIds.length === 0) return [];
    return (await db.selectFrom("members").selectAll().where("actor_id", "in", [...actorIds]).execute()).map(map);
  },
  async insert(db: Executor, v: { url: string; groupId: number; actorId: number; role: MemberRole; invitedById: number | null; message: string | null }, now: Date): Promise<Member> {
    const r = await db
      .insertInto("members")
      .values({ url: v.url, parent_id: v.groupId, actor_id: v.actorId, role: v.role, invited_by_id: v.invitedById, message: v.message, inserted_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async setRole(db: Executor, id: number, role: MemberRole, now: Date, extra: { url?: string; invitedById?: number | null; message?: string | null } = {}): Promise<Member> {
    const r = await db
      .updateTable("members")
      .set({
        role,
        updated_at: now,
        ...(extra.url !== undefined && { url: extra.url }),
        ...(extra.invitedById !== undefined && { invited_by_id: extra.invitedById }),
        ...(extra.message !== undefined && { message: extra.message }),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("members").where("id", "=", id).execute();
  },
  async deleteByGroup(db: Executor, groupId: number): Promise<void> {
    await db.deleteFrom("members").where("parent_id", "=", groupId).execute();
  },
  /** How many people (of profiles not deleted) hold one of the roles in a group (administrators left, members counted). */
  async count(db: Executor, groupId: number, roles: readonly MemberRole[], except: readonly number[] = []): Promise<number> {
    let q = db
      .selectFrom("members")
      .innerJoin("actors", "actors.id", "members.actor_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("members.parent_id", "=", groupId)
      .where("members.role", "in", [...roles])
      .where("actors.deleted_at", "is", null);
    if (except.length > 0) q = q.where("members.actor_id", "not in", [...except]);
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  },
  /** Members counts of several groups (DataLoader batch): people in the group, not requests or invitations. */
  async countMembers(db: Executor, groupIds: readonly number[]): Promise<Map<number, number>> {
    if (groupIds.length === 0) return new Map();
    const rows = await db
      .selectFrom("members")
      .select(["parent_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("parent_id", "in", [...groupIds])
      .where("role", "in", [...MEMBER_OF])
      .groupBy("parent_id")
      .execute();
    return new Map(rows.map((r) => [r.parent_id, Number(r.n)]));
  },
  /**
   * A group's memberships with the given roles, optionally those whose person's name or username holds `name`;
   * highest role first, then oldest (the order Mobilizon's member table shows).
   */
  async listByGroup(db: Executor, groupId: number, f: { roles: readonly MemberRole[] | null; name: string | null; page: number; limit: number }): Promise<{ total: number; elements: Member[] }> {
    if (f.roles && f.roles.length === 0) return { total: 0, elements: [] };
    let q = db.selectFrom("members").innerJoin("actors", "actors.id", "members.actor_id").where("members.parent_id", "=", groupId).where("actors.deleted_at", "is", null);
    if (f.roles) q = q.where("members.role", "in", [...f.roles]);
    if (f.name) {
      const like = containing(f.name);
      q = q.where((eb) => eb.or([eb("actors.preferred_username", "like", like), eb(eb.fn("lower", [eb.fn.coalesce("actors.name", eb.val(""))]), "like", like)]));
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll("members")
      .orderBy((eb) =>
        eb.case().when("members.role", "in", ["CREATOR", "ADMINISTRATOR"]).then(0).when("members.role", "=", "MODERATOR").then(1).when("members.role", "=", "MEMBER").then(2).else(3).end(),
      )
      .orderBy("members.id")
      .limit(f.limit)
      .offset((f.page - 1) * f.limit)
      .execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  /**
   * The memberships of a person, optionally in one group; groups they are in before requests and invitations, then
   * oldest first (Mobilizon's client reads the first element's role).
   */
  async listByActor(db: Executor, actorIds: readonly number[], f: { groupId: number | null; page: number; limit: number }): Promise<{ total: number; elements: Member[] }> {
    if (actorIds.length === 0) return { total: 0, elements: [] };
    let q = db.selectFrom("members").innerJoin("actors", "actors.id", "members.parent_id").where("members.actor_id", "in", [...actorIds]).where("actors.deleted_at", "is", null);
    if (f.groupId !== null) q = q.where("members.parent_id", "=", f.groupId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll("members").orderBy("members.id").limit(f.limit).offset((f.page - 1) * f.limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  /** The people in a group (members, moderators, administrators), a batch at a time after a membership id. */
  async memberActorIds(db: Executor, groupId: number, afterId: number, limit: number): Promise<{ id: number; actorId: number }[]> {
    return (
      await db.selectFrom("members").select(["id", "actor_id"]).where("parent_id", "=", groupId).where("role", "in", [...MEMBER_OF]).where("id", ">", afterId).orderBy("id").limit(limit).execute()
    ).map((r) => ({ id: r.id, actorId: r.actor_id }));
  },
  /** The actor URLs of a group's members on other servers (deliveries of members-only content), at most `limit`. */
  /** Forgets the memberships of people of other servers in a group but those named (its server's full list). */
  async pruneRemote(db: Executor, groupId: number, keepUrls: readonly string[]): Promise<number> {
    let q = db
      .deleteFrom("members")
      .where("parent_id", "=", groupId)
      .where("actor_id", "in", (eb) => eb.selectFrom("actors").select("id").where("domain", "is not", null));
    if (keepUrls.length > 0) q = q.where("url", "not in", [...keepUrls]);
    return Number((await q.executeTakeFirst()).numDeletedRows);
  },
  /** Groups elsewhere some of our people are in, last read before `before`, each with one of those people. */
  async remoteGroupsToRefresh(db: Executor, before: Date, limit: number): Promise<{ groupId: number; actorId: number }[]> {
    const rows = await db
      .selectFrom("actors as g")
      .innerJoin("members as m", "m.parent_id", "g.id")
      .innerJoin("actors as p", "p.id", "m.actor_id")
      .select((eb) => ["g.id as groupId", eb.fn.min("p.id").as("actorId")])
      .where("g.type", "=", "Group")
      .where("g.domain", "is not", null)
      .where("g.deleted_at", "is", null)
      .where("g.suspended", "=", false as never)
      .where((eb) => eb.or([eb("g.last_refreshed_at", "is", null), eb("g.last_refreshed_at", "<", before)]))
      .where("p.domain", "is", null)
      .where("p.deleted_at", "is", null)
      .where("m.role", "in", [...MEMBER_OF])
      .groupBy("g.id")
      .orderBy("g.id")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ groupId: Number(r.groupId), actorId: Number(r.actorId) }));
  },
  async remoteMemberUrls(db: Executor, groupId: number, limit: number): Promise<string[]> {
    return (
      await db
        .selectFrom("members")
        .innerJoin("actors", "actors.id", "members.actor_id")
        .select("actors.url")
        .where("members.parent_id", "=", groupId)
        .where("members.role", "in", [...MEMBER_OF])
        .where("actors.domain", "is not", null)
        .orderBy("members.id")
        .limit(limit)
        .execute()
    ).map((r) => r.url);
  },
  /** The local accounts' ids behind a group's members with the given roles (e-mails to its administrators). */
  async actorIdsWithRoles(db: Executor, groupId: number, roles: readonly MemberRole[]): Promise<number[]> {
    return (await db.selectFrom("members").select("actor_id").where("parent_id", "=", groupId).where("role", "in", [...roles]).orderBy("id").limit(1000).execute()).map((r) => r.actor_id);
  },
};
