import type { Selectable } from "kysely";
import { toBool, toDate, type CommentsTable, type Executor } from "../../db/index.ts";
import type { Comment } from "./comment.types.ts";

const map = (r: Selectable<CommentsTable>): Comment => ({
  id: r.id,
  uuid: r.uuid,
  url: r.url,
  eventId: r.event_id,
  discussionId: r.discussion_id,
  actorId: r.actor_id,
  inReplyToCommentId: r.in_reply_to_comment_id,
  originCommentId: r.origin_comment_id,
  text: r.text,
  isAnnouncement: toBool(r.is_announcement),
  visibility: r.visibility,
  language: r.language,
  local: toBool(r.local),
  publishedAt: toDate(r.published_at),
  deletedAt: toDate(r.deleted_at),
  insertedAt: toDate(r.inserted_at),
  updatedAt: toDate(r.updated_at),
});

/** Writes and reads of event comments. */
export const commentRepository = {
  /** The actor URLs of an event's comment authors who live on other servers (at most `limit`). */
  async remoteAuthorUrls(db: Executor, eventId: number, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom("comments")
      .innerJoin("actors", "actors.id", "comments.actor_id")
      .select("actors.url")
      .distinct()
      .where("comments.event_id", "=", eventId)
      .where("comments.deleted_at", "is", null)
      .where("actors.domain", "is not", null)
      .limit(limit)
      .execute();
    return rows.map((r) => r.url);
  },
  async findByUrl(db: Executor, url: string): Promise<Comment | null> {
    const r = await db.selectFrom("comments").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async insert(db: Executor, c: Omit<Comment, "id" | "insertedAt" | "updatedAt" | "deletedAt" | "discussionId"> & { discussionId?: number | null }, now: Date): Promise<Comment> {
    const r = await db
      .insertInto("comments")
      .values({
        uuid: c.uuid,
        url: c.url,
        event_id: c.eventId,
        discussion_id: c.discussionId ?? null,
        actor_id: c.actorId,
        in_reply_to_comment_id: c.inReplyToCommentId,
        origin_comment_id: c.originCommentId,
        text: c.text,
        is_announcement: c.isAnnouncement,
        visibility: c.visibility,
        language: c.language,
        local: c.local,
        published_at: c.publishedAt,
        inserted_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async findById(db: Executor, id: number): Promise<Comment | null> {
    const r = await db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByUuid(db: Executor, uuid: string): Promise<Comment | null> {
    const r = await db.selectFrom("comments").selectAll().where("uuid", "=", uuid).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Comment[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("comments").selectAll().where("id", "in", [...ids]).execute()).map(map);
  },
  async update(db: Executor, id: number, patch: Partial<Pick<Comment, "text" | "isAnnouncement" | "language" | "visibility" | "publishedAt">>, now: Date): Promise<Comment> {
    const r = await db
      .updateTable("comments")
      .set({
        ...(patch.text !== undefined && { text: patch.text }),
        ...(patch.isAnnouncement !== undefined && { is_announcement: patch.isAnnouncement }),
        ...(patch.language !== undefined && { language: patch.language }),
        ...(patch.visibility !== undefined && { visibility: patch.visibility }),
        ...(patch.publishedAt !== undefined && { published_at: patch.publishedAt }),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  /** A tombstone: the comment keeps its place in the thread, its text and author go. */
  async countPublished(db: Executor): Promise<{ all: number; local: number }> {
    const r = await db
      .selectFrom("comments")
      .select((eb) => [eb.fn.countAll<number>().as("all"), eb.fn.sum<number>(eb.case().when("local", "=", true as never).then(1).else(0).end()).as("local")])
      .where("deleted_at", "is", null)
      .where("visibility", "=", "public")
      // Discussions are members-only: their messages are not the instance's public comments.
      .where("discussion_id", "is", null)
      .executeTakeFirstOrThrow();
    return { all: Number(r.all), local: Number(r.local ?? 0) };
  },
  async idsOfEvent(db: Executor, eventId: number): Promise<number[]> {
    return (await db.selectFrom("comments").select("id").where("event_id", "=", eventId).execute()).map((r) => r.id);
  },
  /** A discussion's messages, oldest first (deleted ones keep their place, without text). */
  async byDiscussion(db: Executor, discussionId: number, page: number, limit: number): Promise<{ total: number; elements: Comment[] }> {
    const q = db.selectFrom("comments").where("discussion_id", "=", discussionId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("id", "asc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  /** The first message still standing of each of these discussions (their opening words). */
  async firstOfDiscussions(db: Executor, discussionIds: readonly number[]): Promise<Comment[]> {
    if (discussionIds.length === 0) return [];
    const firsts = db
      .selectFrom("comments")
      .select((eb) => eb.fn.min("id").as("id"))
      .where("discussion_id", "in", [...discussionIds])
      .where("deleted_at", "is", null)
      .groupBy("discussion_id");
    return (await db.selectFrom("comments").selectAll().where("id", "in", firsts).execute()).map(map);
  },
  async idsOfDiscussion(db: Executor, discussionId: number): Promise<number[]> {
    return (await db.selectFrom("comments").select("id").where("discussion_id", "=", discussionId).execute()).map((r) => r.id);
  },
  async softDelete(db: Executor, id: number, now: Date): Promise<Comment> {
    const r = await db
      .updateTable("comments")
      .set({ text: "", deleted_at: now, updated_at: now, is_announcement: false })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  /**
   * Top-level comments of events, announcements first, oldest first. `viewerActorIds` see their own comments waiting
   * for approval; organizers (`allPending`) see every waiting comment.
   */
  async topLevelByEvents(db: Executor, eventIds: readonly number[], opts: { viewerActorIds: readonly number[]; allPendingFor: readonly number[]; announcementsOnly?: boolean }) {
    if (eventIds.length === 0) return [];
    let q = db.selectFrom("comments").selectAll().where("event_id", "in", [...eventIds]).where("origin_comment_id", "is", null);
    q = q.where((eb) =>
      eb.or([
        eb("visibility", "=", "public"),
        ...(opts.viewerActorIds.length ? [eb("actor_id", "in", [...opts.viewerActorIds])] : []),
        ...(opts.allPendingFor.length ? [eb("event_id", "in", [...opts.allPendingFor])] : []),
      ]),
    );
    if (opts.announcementsOnly) q = q.where("is_announcement", "=", true as never);
    const rows = await q.orderBy("is_announcement", "desc").orderBy("inserted_at", "asc").orderBy("id", "asc").limit(500).execute();
    return rows.map(map);
  },
  async repliesOf(db: Executor, originIds: readonly number[], opts: { viewerActorIds: readonly number[]; allPendingFor: readonly number[] }) {
    if (originIds.length === 0) return [];
    const rows = await db
      .selectFrom("comments")
      .selectAll()
      .where("origin_comment_id", "in", [...originIds])
      .where((eb) =>
        eb.or([
          eb("visibility", "=", "public"),
          ...(opts.viewerActorIds.length ? [eb("actor_id", "in", [...opts.viewerActorIds])] : []),
          ...(opts.allPendingFor.length ? [eb("event_id", "in", [...opts.allPendingFor])] : []),
        ]),
      )
      .orderBy("inserted_at", "asc")
      .orderBy("id", "asc")
      .limit(2000)
      .execute();
    return rows.map(map);
  },
  async countReplies(db: Executor, originIds: readonly number[]): Promise<Map<number, number>> {
    const m = new Map<number, number>(originIds.map((id) => [id, 0]));
    if (originIds.length === 0) return m;
    const rows = await db
      .selectFrom("comments")
      .select("origin_comment_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("origin_comment_id", "in", [...originIds])
      .where("visibility", "=", "public")
      .where("deleted_at", "is", null)
      .groupBy("origin_comment_id")
      .execute();
    for (const r of rows) m.set(r.origin_comment_id!, Number(r.n));
    return m;
  },
};
