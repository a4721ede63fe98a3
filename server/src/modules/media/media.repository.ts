import type { Selectable } from "kysely";
import { cachedRow, cachedRows, toDate, type Executor, type MediaTable } from "../../db/index.ts";
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
  insertedAt: toDate(r.inserted_at),
});

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
  async findByPath(db: Executor, path: string): Promise<Media | null> {
    const r = await db.selectFrom("media").selectAll().where("path", "=", path).executeTakeFirst();
    return r ? map(r) : null;
  },
  async setOwner(db: Executor, id: number, actorId: number): Promise<void> {
    await db.updateTable("media").set({ actor_id: actorId }).where("id", "=", id).execute();
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.updateTable("actors").set({ avatar_id: null }).where("avatar_id", "=", id).execute();
    await db.updateTable("actors").set({ banner_id: null }).where("banner_id", "=", id).execute();
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
