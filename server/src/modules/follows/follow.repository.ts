import type { Selectable } from "kysely";
import { toBool, toDate, type Executor, type FollowsTable } from "../../db/index.ts";
import type { Follow } from "./follow.types.ts";

const map = (r: Selectable<FollowsTable>): Follow => ({
  id: r.id,
  url: r.url,
  followerId: r.follower_id,
  targetId: r.target_id,
  approved: toBool(r.approved),
  notify: toBool(r.notify),
  insertedAt: toDate(r.inserted_at)!,
  updatedAt: toDate(r.updated_at)!,
});

/** Reads and writes of follows. */
export const followRepository = {
  async find(db: Executor, followerId: number, targetId: number): Promise<Follow | null> {
    const r = await db.selectFrom("follows").selectAll().where("follower_id", "=", followerId).where("target_id", "=", targetId).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByUrl(db: Executor, url: string): Promise<Follow | null> {
    const r = await db.selectFrom("follows").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async insert(db: Executor, v: { url: string; followerId: number; targetId: number; approved: boolean; notify?: boolean }, now: Date): Promise<Follow> {
    const r = await db
      .insertInto("follows")
      .values({ url: v.url, follower_id: v.followerId, target_id: v.targetId, approved: v.approved, notify: v.notify ?? true, inserted_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async approve(db: Executor, id: number, now: Date): Promise<void> {
    await db.updateTable("follows").set({ approved: true, updated_at: now }).where("id", "=", id).execute();
  },
  async setNotify(db: Executor, id: number, notify: boolean, now: Date): Promise<Follow> {
    return map(await db.updateTable("follows").set({ notify, updated_at: now }).where("id", "=", id).returningAll().executeTakeFirstOrThrow());
  },
  async findById(db: Executor, id: number): Promise<Follow | null> {
    const r = await db.selectFrom("follows").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  /** An actor's follows of the given targets (a person's follow of one group). */
  async ofTargets(db: Executor, followerIds: readonly number[], targetIds: readonly number[]): Promise<Follow[]> {
    if (followerIds.length === 0 || targetIds.length === 0) return [];
    return (await db.selectFrom("follows").selectAll().where("follower_id", "in", [...followerIds]).where("target_id", "in", [...targetIds]).execute()).map(map);
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("follows").where("id", "=", id).execute();
  },
  /** How many approved followers each of these actors has (batched). */
  async countApproved(db: Executor, targetIds: readonly number[]): Promise<Map<number, number>> {
    if (targetIds.length === 0) return new Map();
    const rows = await db
      .selectFrom("follows")
      .select(["target_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("target_id", "in", [...targetIds])
      .where("approved", "=", true as never)
      .groupBy("target_id")
      .execute();
    return new Map(rows.map((r) => [r.target_id, Number(r.n)]));
  },
  /** Followers of an actor, approved or waiting, newest first (the admin's lists). */
  async followersOf(db: Executor, targetId: number, opts: { approved: boolean | null; page: number; limit: number }): Promise<{ total: number; elements: Follow[] }> {
    let q = db.selectFrom("follows").where("target_id", "=", targetId);
    if (opts.approved !== null) q = q.where("approved", "=", opts.approved as never);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("id", "desc").limit(opts.limit).offset((opts.page - 1) * opts.limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  async followingOf(db: Executor, followerId: number, opts: { approved: boolean | null; page: number; limit: number }): Promise<{ total: number; elements: Follow[] }> {
    let q = db.selectFrom("follows").where("follower_id", "=", followerId);
    if (opts.approved !== null) q = q.where("approved", "=", opts.approved as never);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("id", "desc").limit(opts.limit).offset((opts.page - 1) * opts.limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  /** The follow between an actor and any actor of a domain, in one direction (relay follows by host). */
  async withDomain(db: Executor, side: "follower" | "target", localId: number, domain: string): Promise<Follow | null> {
    const other = side === "target" ? "follower_id" : "target_id";
    const own = side === "target" ? "target_id" : "follower_id";
    const r = await db
      .selectFrom("follows")
      .innerJoin("actors", "actors.id", `follows.${other}`)
      .selectAll("follows")
      .where(`follows.${own}`, "=", localId)
      .where("actors.domain", "=", domain.toLowerCase())
      .orderBy("follows.id", "desc")
      .executeTakeFirst();
    return r ? map(r) : null;
  },
  /** The approved followers of an actor who asked to hear of its new events, in batches (notices). */
  async notifiedFollowerIds(db: Executor, targetId: number, afterId: number, limit: number): Promise<{ id: number; followerId: number }[]> {
    return (
      await db
        .selectFrom("follows")
        .select(["id", "follower_id"])
        .where("target_id", "=", targetId)
        .where("approved", "=", true as never)
        .where("notify", "=", true as never)
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(limit)
        .execute()
    ).map((r) => ({ id: r.id, followerId: r.follower_id }));
  },
  /** What some actors follow, approved follows only: (follower, target) pairs, at most `limit`. */
  async targetsOf(db: Executor, followerIds: readonly number[], limit: number): Promise<{ followerId: number; targetId: number }[]> {
    if (followerIds.length === 0) return [];
    return (
      await db.selectFrom("follows").select(["follower_id", "target_id"]).where("follower_id", "in", [...followerIds]).where("approved", "=", true as never).orderBy("id").limit(limit).execute()
    ).map((r) => ({ followerId: r.follower_id, targetId: r.target_id }));
  },
  /** The ids of the approved followers of an actor, in batches (deliveries). */
  async approvedFollowerIds(db: Executor, targetId: number, afterId: number, limit: number): Promise<{ id: number; followerId: number }[]> {
    return (
      await db.selectFrom("follows").select(["id", "follower_id"]).where("target_id", "=", targetId).where("approved", "=", true as never).where("id", ">", afterId).orderBy("id").limit(limit).execute()
    ).map((r) => ({ id: r.id, followerId: r.follower_id }));
  },
};
