import { toDate, type Executor } from "../../db/index.ts";

export type FeedToken = { token: string; userId: number; actorId: number | null; insertedAt: Date };

/** Private feed tokens: capability URLs for a person's "going" calendar. */
export const feedTokenRepository = {
  async insert(db: Executor, t: { token: string; userId: number; actorId: number | null }, now: Date): Promise<FeedToken> {
    await db.insertInto("feed_tokens").values({ token: t.token, user_id: t.userId, actor_id: t.actorId, inserted_at: now }).execute();
    return { ...t, insertedAt: now };
  },
  async find(db: Executor, token: string): Promise<FeedToken | null> {
    const r = await db.selectFrom("feed_tokens").selectAll().where("token", "=", token).executeTakeFirst();
    return r ? { token: r.token, userId: r.user_id, actorId: r.actor_id, insertedAt: toDate(r.inserted_at) } : null;
  },
  async delete(db: Executor, token: string): Promise<void> {
    await db.deleteFrom("feed_tokens").where("token", "=", token).execute();
  },
  async byUser(db: Executor, userId: number, actorId?: number | null): Promise<FeedToken[]> {
    let q = db.selectFrom("feed_tokens").selectAll().where("user_id", "=", userId);
    if (actorId !== undefined) q = actorId === null ? q.where("actor_id", "is", null) : q.where("actor_id", "=", actorId);
    const rows = await q.orderBy("inserted_at").execute();
    return rows.map((r) => ({ token: r.token, userId: r.user_id, actorId: r.actor_id, insertedAt: toDate(r.inserted_at) }));
  },
  /** Events some actors take part in (going or awaiting approval), upcoming first, for a private feed. */
  async goingEventIds(db: Executor, actorIds: readonly number[], since: Date, limit: number): Promise<number[]> {
    if (actorIds.length === 0) return [];
    const rows = await db
      .selectFrom("participants")
      .innerJoin("events", "events.id", "participants.event_id")
      .select("events.id")
      .distinct()
      .where("participants.actor_id", "in", [...actorIds])
      .where("participants.role", "in", ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR", "CREATOR", "NOT_APPROVED"])
      .where("events.draft", "=", false as never)
      .where("events.begins_on", ">=", since)
      .orderBy("events.id")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  },
};
