import type { Selectable } from "kysely";
import { toBool, toDate, type Executor, type PostsTable } from "../../db/index.ts";
import { ensureTagIds, uniqueBySlug } from "../events/index.ts";
import type { Post, PostVisibility } from "./post.types.ts";

const map = (r: Selectable<PostsTable>): Post => ({
  id: r.id,
  uuid: r.uuid,
  slug: r.slug,
  url: r.url,
  local: toBool(r.local),
  authorId: r.author_id,
  groupId: r.attributed_to_id,
  title: r.title,
  body: r.body,
  draft: toBool(r.draft),
  visibility: r.visibility as PostVisibility,
  language: r.language,
  pictureId: r.picture_id,
  publishAt: toDate(r.publish_at),
  insertedAt: toDate(r.inserted_at)!,
  updatedAt: toDate(r.updated_at)!,
});

export type PostRow = Omit<Post, "id" | "insertedAt" | "updatedAt">;

/** Writes and reads of posts and their tags. */
export const postRepository = {
  async insert(db: Executor, p: PostRow, now: Date): Promise<Post> {
    const r = await db
      .insertInto("posts")
      .values({
        uuid: p.uuid,
        slug: p.slug,
        url: p.url,
        local: p.local,
        author_id: p.authorId,
        attributed_to_id: p.groupId,
        title: p.title,
        body: p.body,
        draft: p.draft,
        visibility: p.visibility,
        language: p.language,
        picture_id: p.pictureId,
        publish_at: p.publishAt,
        inserted_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async update(db: Executor, id: number, patch: Partial<Pick<Post, "title" | "body" | "draft" | "visibility" | "language" | "pictureId" | "publishAt">>, now: Date): Promise<Post> {
    const r = await db
      .updateTable("posts")
      .set({
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.body !== undefined && { body: patch.body }),
        ...(patch.draft !== undefined && { draft: patch.draft }),
        ...(patch.visibility !== undefined && { visibility: patch.visibility }),
        ...(patch.language !== undefined && { language: patch.language }),
        ...(patch.pictureId !== undefined && { picture_id: patch.pictureId }),
        ...(patch.publishAt !== undefined && { publish_at: patch.publishAt }),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("posts").where("id", "=", id).execute();
  },
  async idsByGroup(db: Executor, groupId: number): Promise<number[]> {
    return (await db.selectFrom("posts").select("id").where("attributed_to_id", "=", groupId).execute()).map((r) => r.id);
  },
  async deleteByGroup(db: Executor, groupId: number): Promise<void> {
    await db.deleteFrom("posts").where("attributed_to_id", "=", groupId).execute();
  },
  async findById(db: Executor, id: number): Promise<Post | null> {
    const r = await db.selectFrom("posts").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByUrl(db: Executor, url: string): Promise<Post | null> {
    const r = await db.selectFrom("posts").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findBySlug(db: Executor, slug: string): Promise<Post | null> {
    const r = await db.selectFrom("posts").selectAll().where("slug", "=", slug).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("posts").selectAll().where("id", "in", [...ids]).execute()).map(map);
  },
  /**
   * A group's posts, newest first: published public ones; with `members`, every published one; with `drafts`, drafts
   * too (the moderators'), whose date is their last change.
   */
  async byGroup(db: Executor, groupId: number, f: { members: boolean; drafts: boolean; publicOnly: boolean; page: number; limit: number }): Promise<{ total: number; elements: Post[] }> {
    let q = db.selectFrom("posts").where("attributed_to_id", "=", groupId);
    if (!f.drafts) q = q.where("draft", "=", false as never);
    if (!f.members) q = q.where("visibility", "=", "PUBLIC");
    else if (f.publicOnly) q = q.where("visibility", "in", ["PUBLIC", "UNLISTED"]);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("draft", "desc").orderBy("publish_at", "desc").orderBy("id", "desc").limit(f.limit).offset((f.page - 1) * f.limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  async setTags(db: Executor, postId: number, tags: { title: string; slug: string }[]): Promise<void> {
    await db.deleteFrom("post_tags").where("post_id", "=", postId).execute();
    const ids = await ensureTagIds(db, uniqueBySlug(tags));
    if (ids.length > 0) await db.insertInto("post_tags").values(ids.map((tag_id) => ({ post_id: postId, tag_id }))).onConflict((oc) => oc.columns(["post_id", "tag_id"]).doNothing()).execute();
  },
  async tagsByPosts(db: Executor, postIds: readonly number[]): Promise<{ postId: number; id: number; title: string; slug: string }[]> {
    if (postIds.length === 0) return [];
    const rows = await db
      .selectFrom("post_tags")
      .innerJoin("tags", "tags.id", "post_tags.tag_id")
      .select(["post_tags.post_id", "tags.id", "tags.title", "tags.slug"])
      .where("post_tags.post_id", "in", [...postIds])
      .orderBy("tags.title")
      .execute();
    return rows.map((r) => ({ postId: r.post_id, id: r.id, title: r.title, slug: r.slug }));
  },
  /** Posts showing a media as their picture (who may see a media). */
  async showingPicture(db: Executor, mediaId: number): Promise<Post[]> {
    return (await db.selectFrom("posts").selectAll().where("picture_id", "=", mediaId).limit(20).execute()).map(map);
  },
};
