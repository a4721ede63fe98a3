import type { ExpressionBuilder, Selectable } from "kysely";
import { cachedRow, cachedRows, toDate, type Database, type Executor, type MediaTable } from "../../db/index.ts";
import type { Media } from "./media.types.ts";

const map = (r: Selectable<MediaTable>): Media => ({
  id: r.id,
  uuid: r.uuid,
  actorId: r.actor_id,
  name: r.name,
  alt: r.alt,
  contentType: r.content_type,
  size: r.size,
  width: r.width,
  height: r.height,
  blurhash: r.blurhash,
  path: r.path,
  remoteUrl: r.remote_url,
  insertedAt: toDate(r.inserted_at),
});

/** No profile, event picture or text uses the media (the orphan sweep's test, in the statement that acts on it). */
const unused = ({ not, exists, selectFrom, or }: ExpressionBuilder<Database, "media">) =>
  not(
    or([
      exists(selectFrom("actors").select("actors.id").whereRef("actors.avatar_id", "=", "media.id")),
      exists(selectFrom("actors").select("actors.id").whereRef("actors.banner_id", "=", "media.id")),
      exists(selectFrom("events").select("events.id").whereRef("events.picture_id", "=", "media.id")),
      exists(selectFrom("media_references").select("media_references.media_id").whereRef("media_references.media_id", "=", "media.id")),
    ]),
  );

/** Reads and writes of media records (the files live in the uploads folder). */
export const mediaRepository = {
  async insert(db: Executor, m: Omit<Media, "id">): Promise<Media> {
    const r = await db
      .insertInto("media")
      .values({
        uuid: m.uuid,
        actor_id: m.actorId,
        name: m.name,
        alt: m.alt,
        content_type: m.contentType,
        size: m.size,
        width: m.width,
        height: m.height,
        blurhash: m.blurhash,
        path: m.path,
        remote_url: m.remoteUrl ?? null,
        inserted_at: m.insertedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  /** Avatars and event pictures are read on most pages: through the row cache (outside transactions). */
  findById(db: Executor, id: number): Promise<Media | null> {
    return cachedRow(db, "media", id, async () => {
      const r = await db.selectFrom("media").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? map(r) : null;
    });
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Media[]> {
    if (ids.length === 0) return [];
    return cachedRows(db, "media", ids, async (missing) => (await db.selectFrom("media").selectAll().where("id", "in", missing).execute()).map(map));
  },
  async findByUuid(db: Executor, uuid: string): Promise<Media | null> {
    const r = await db.selectFrom("media").selectAll().where("uuid", "=", uuid).executeTakeFirst();
    return r ? map(r) : null;
  },

  /** Notes files about to be written (or deleted) that no committed row may claim yet. */
  async notePendingFile(db: Executor, uuid: string, path: string, at: Date): Promise<void> {
    await db
      .insertInto("upload_files")
      .values({ uuid, path, inserted_at: at })
      .onConflict((oc) => oc.column("uuid").doUpdateSet({ inserted_at: at }))
      .execute();
  },
  async clearPendingFile(db: Executor, uuid: string): Promise<void> {
    await db.deleteFrom("upload_files").where("uuid", "=", uuid).execute();
  },
  async pendingFilesBefore(db: Executor, before: Date, limit: number): Promise<{ uuid: string; path: string }[]> {
    return db.selectFrom("upload_files").select(["uuid", "path"]).where("inserted_at", "<", before).orderBy("inserted_at").limit(limit).execute();
  },

  /** Media older than `before` that no profile, event picture or text uses. */
  async unusedBefore(db: Executor, before: Date, limit: number): Promise<Media[]> {
    const rows = await db.selectFrom("media").selectAll("media").where("media.inserted_at", "<", before).where(unused).orderBy("media.inserted_at").limit(limit).execute();
    return rows.map(map);
  },

  /** Deletes a media only if nothing uses it at this moment (it may have been attached since it was found unused). */
  async deleteIfUnused(db: Executor, id: number): Promise<boolean> {
    const r = await db.deleteFrom("media").where("media.id", "=", id).where(unused).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  /** Forgets what these texts referred to (they are going), in batches. */
  async clearReferences(db: Executor, ownerType: string, ownerIds: readonly number[]): Promise<void> {
    for (let i = 0; i < ownerIds.length; i += 500)
      await db.deleteFrom("media_references").where("owner_type", "=", ownerType).where("owner_id", "in", ownerIds.slice(i, i + 500)).execute();
  },

  /** Replaces what one text refers to with these media (by uuid; unknown ones are ignored). */
  async setReferences(db: Executor, ownerType: string, ownerId: number, uuids: readonly string[]): Promise<void> {
    await db.deleteFrom("media_references").where("owner_type", "=", ownerType).where("owner_id", "=", ownerId).execute();
    if (uuids.length === 0) return;
    const ids = await db.selectFrom("media").select("id").where("uuid", "in", [...uuids].slice(0, 100)).execute();
    if (ids.length === 0) return;
    await db
      .insertInto("media_references")
      .values(ids.map((r) => ({ media_id: r.id, owner_type: ownerType, owner_id: ownerId })))
      .execute();
  },

  /** The owners that refer to a media, of one type (who may see it follows who may see them). */
  async referencingOwners(db: Executor, mediaId: number, ownerType: string): Promise<number[]> {
    const rows = await db.selectFrom("media_references").select("owner_id").where("media_id", "=", mediaId).where("owner_type", "=", ownerType).limit(50).execute();
    return rows.map((r) => r.owner_id);
  },
  async setOwner(db: Executor, id: number, actorId: number): Promise<void> {
    await db.updateTable("media").set({ actor_id: actorId }).where("id", "=", id).execute();
  },
  /** Deletes a media row; profiles and events that showed it lose the picture (foreign keys set them to null). */
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("media").where("id", "=", id).execute();
  },
  async totalSizeByActors(db: Executor, actorIds: readonly number[]): Promise<number> {
    if (actorIds.length === 0) return 0;
    const r = await db
      .selectFrom("media")
      .select((eb) => eb.fn.sum<number>("size").as("total"))
      .where("actor_id", "in", [...actorIds])
      .executeTakeFirst();
    return Number(r?.total ?? 0);
  },
};
