import { sql } from "kysely";
import type { Executor } from "./database.ts";
import { toDate } from "./values.ts";

/**
 * Fixed-window counters in the database, so that every server process sees the same counts (PostgreSQL deployments
 * run several). Keys are chosen by the caller, e.g. "login:email:a@b.c" or "login:ip:203.0.113.5".
 */
export const rateLimits = {
  /** Counts one more hit for the key and returns the hits in the current window. */
  async hit(db: Executor, key: string, windowMs: number, now: Date): Promise<number> {
    const windowStart = new Date(now.getTime() - windowMs);
    const r = await db
      .insertInto("rate_limits")
      .values({ key, window_start: now, hits: 1 })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          hits: sql`case when rate_limits.window_start < ${windowStart} then 1 else rate_limits.hits + 1 end`,
          window_start: sql`case when rate_limits.window_start < ${windowStart} then excluded.window_start else rate_limits.window_start end`,
        }),
      )
      .returning("hits")
      .executeTakeFirstOrThrow();
    return r.hits;
  },

  /** Hits in the current window without counting one. */
  async peek(db: Executor, key: string, windowMs: number, now: Date): Promise<number> {
    const r = await db.selectFrom("rate_limits").select(["hits", "window_start"]).where("key", "=", key).executeTakeFirst();
    if (!r || toDate(r.window_start).getTime() < now.getTime() - windowMs) return 0;
    return r.hits;
  },

  /** Takes back one hit counted in the current window (an attempt that turned out legitimate). */
  async undo(db: Executor, key: string): Promise<void> {
    await db.updateTable("rate_limits").set((eb) => ({ hits: eb("hits", "-", 1) })).where("key", "=", key).where("hits", ">", 0).execute();
  },

  async reset(db: Executor, key: string): Promise<void> {
    await db.deleteFrom("rate_limits").where("key", "=", key).execute();
  },

  /** Drops windows older than `olderThanMs` (housekeeping task). */
  async prune(db: Executor, olderThanMs: number, now: Date): Promise<void> {
    await db.deleteFrom("rate_limits").where("window_start", "<", new Date(now.getTime() - olderThanMs)).execute();
  },
};
