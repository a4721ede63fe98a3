import { sql } from "kysely";
import { toDate, type Executor } from "../db/index.ts";

export type OutboxItem = { kind: "event" | "comment"; id: number; published: Date };

/** What an actor's outbox lists: its public published events and its public comments on public events, newest first. */
export const collectionQueries = {
  async outbox(db: Executor, actorId: number, page: number, size: number): Promise<{ total: number; items: OutboxItem[] }> {
    const events = db
      .selectFrom("events")
      .select([sql<string>`'event'`.as("kind"), "id", sql<Date>`coalesce(publish_at, inserted_at)`.as("published")])
      .where("organizer_actor_id", "=", actorId)
      .where("visibility", "=", "PUBLIC")
      .where("draft", "=", false as never)
      .where("local", "=", true as never);
    const comments = db
      .selectFrom("comments")
      .innerJoin("events", "events.id", "comments.event_id")
      .select([sql<string>`'comment'`.as("kind"), "comments.id", sql<Date>`coalesce(comments.published_at, comments.inserted_at)`.as("published")])
      .where("comments.actor_id", "=", actorId)
      .where("comments.visibility", "=", "public")
      .where("comments.deleted_at", "is", null)
      .where("comments.local", "=", true as never)
      .where("events.visibility", "=", "PUBLIC")
      .where("events.draft", "=", false as never);
    const all = events.unionAll(comments);
    const { total } = await db.selectFrom(all.as("o")).select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await db
      .selectFrom(all.as("o"))
      .selectAll()
      .orderBy("published", "desc")
      .orderBy("id", "desc")
      .limit(size)
      .offset((page - 1) * size)
      .execute();
    return { total: Number(total), items: rows.map((r) => ({ kind: r.kind as "event" | "comment", id: r.id, published: toDate(r.published)! })) };
  },

  /** What the instance actor's outbox lists: every public published event of this instance, newest first (announced). */
  async relayOutbox(db: Executor, page: number, size: number): Promise<{ total: number; items: { id: number; published: Date }[] }> {
    const q = db.selectFrom("events").where("visibility", "=", "PUBLIC").where("draft", "=", false as never).where("local", "=", true as never);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.select(["id", sql<Date>`coalesce(publish_at, inserted_at)`.as("published")]).orderBy("id", "desc").limit(size).offset((page - 1) * size).execute();
    return { total: Number(total), items: rows.map((r) => ({ id: r.id, published: toDate(r.published)! })) };
  },

  /** The actors following an actor (approved), by URL, oldest first. */
  async followers(db: Executor, actorId: number, page: number, size: number): Promise<{ total: number; urls: string[] }> {
    const base = db.selectFrom("follows").innerJoin("actors", "actors.id", "follows.follower_id").where("follows.target_id", "=", actorId).where("follows.approved", "=", true as never);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await base.select("actors.url").orderBy("follows.id").limit(size).offset((page - 1) * size).execute();
    return { total: Number(total), urls: rows.map((r) => r.url) };
  },

  /** The actors an actor follows (approved), by URL, oldest first. */
  async following(db: Executor, actorId: number, page: number, size: number): Promise<{ total: number; urls: string[] }> {
    const base = db.selectFrom("follows").innerJoin("actors", "actors.id", "follows.target_id").where("follows.follower_id", "=", actorId).where("follows.approved", "=", true as never);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await base.select("actors.url").orderBy("follows.id").limit(size).offset((page - 1) * size).execute();
    return { total: Number(total), urls: rows.map((r) => r.url) };
  },
};
