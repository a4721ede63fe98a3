import type { Selectable } from "kysely";
import { toDate, type DiscussionsTable, type Executor } from "../../db/index.ts";
import type { Discussion } from "./discussion.types.ts";

const map = (r: Selectable<DiscussionsTable>): Discussion => ({
  id: r.id,
  uuid: r.uuid,
  slug: r.slug,
  url: r.url,
  title: r.title,
  groupId: r.group_id,
  creatorId: r.creator_id,
  lastCommentId: r.last_comment_id,
  insertedAt: toDate(r.inserted_at)!,
  updatedAt: toDate(r.updated_at)!,
});

/** Writes and reads of discussions (their messages are the comments module's). */
export const discussionRepository = {
  async insert(db: Executor, d: Omit<Discussion, "id" | "insertedAt" | "updatedAt" | "lastCommentId">, now: Date): Promise<Discussion> {
    const r = await db
      .insertInto("discussions")
      .values({ uuid: d.uuid, slug: d.slug, url: d.url, title: d.title, group_id: d.groupId, creator_id: d.creatorId, last_comment_id: null, inserted_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async update(db: Executor, id: number, patch: { title?: string; lastCommentId?: number }, now: Date): Promise<Discussion> {
    const r = await db
      .updateTable("discussions")
      .set({ ...(patch.title !== undefined && { title: patch.title }), ...(patch.lastCommentId !== undefined && { last_comment_id: patch.lastCommentId }), updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("discussions").where("id", "=", id).execute();
  },
  async findById(db: Executor, id: number): Promise<Discussion | null> {
    const r = await db.selectFrom("discussions").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Discussion[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("discussions").selectAll().where("id", "in", [...ids]).execute()).map(map);
  },
  async findByUrl(db: Executor, url: string): Promise<Discussion | null> {
    const r = await db.selectFrom("discussions").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findBySlug(db: Executor, slug: string): Promise<Discussion | null> {
    const r = await db.selectFrom("discussions").selectAll().where("slug", "=", slug).executeTakeFirst();
    return r ? map(r) : null;
  },
  async idsByGroup(db: Executor, groupId: number): Promise<number[]> {
    return (await db.selectFrom("discussions").select("id").where("group_id", "=", groupId).execute()).map((r) => r.id);
  },
  /** A group's discussions, most recently active first. */
  async byGroup(db: Executor, groupId: number, page: number, limit: number): Promise<{ total: number; elements: Discussion[] }> {
    const q = db.selectFrom("discussions").where("group_id", "=", groupId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("updated_at", "desc").orderBy("id", "desc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
};
