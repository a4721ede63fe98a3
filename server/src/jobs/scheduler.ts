import type { Db } from "../db/index.ts";
import { rateLimits } from "../db/index.ts";
import { HOUR, type Clock, type Logger } from "../kernel/index.ts";
import type { DbJobQueue } from "./queue.ts";

type Task = { name: string; everyMs: number };

/** Periodic tasks (hourly housekeeping): each run is enqueued as a job, once per period across all processes. */
export const TASKS: Task[] = [
  { name: "users.purge-unconfirmed", everyMs: HOUR },
  { name: "participations.purge-exports", everyMs: HOUR },
  { name: "media.sweep", everyMs: HOUR },
  { name: "activity.prune", everyMs: 24 * HOUR },
  { name: "federation.purge-receipts", everyMs: HOUR },
  { name: "federation.groups-refresh", everyMs: HOUR },
];

/**
 * Enqueues each periodic task at most once per period. The period slot is recorded in instance_settings with an
 * insert that only one process can win, so several workers do not run the same task twice.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private readonly db: Db;
  private readonly queue: DbJobQueue;
  private readonly clock: Clock;
  private readonly logger: Logger;
  constructor(db: Db, queue: DbJobQueue, clock: Clock, logger: Logger) {
    this.db = db;
    this.queue = queue;
    this.clock = clock;
    this.logger = logger;
  }

  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const task of TASKS) {
      const slot = Math.floor(now.getTime() / task.everyMs);
      const key = `task:${task.name}:${slot}`;
      const inserted = await this.db
        .insertInto("instance_settings")
        .values({ key, value: now.toISOString() })
        .onConflict((oc) => oc.column("key").doNothing())
        .returning("key")
        .executeTakeFirst();
      if (inserted) {
        await this.queue.enqueue(this.db, task.name, {}, { queue: "background", maxAttempts: 3 });
        await this.db.deleteFrom("instance_settings").where("key", "=", `task:${task.name}:${slot - 2}`).execute();
      }
    }
    await rateLimits.prune(this.db, 24 * HOUR, now);
  }

  start(everyMs = 60_000) {
    const run = () => this.tick().catch((err) => this.logger.error("scheduler tick failed", { err }));
    void run();
    this.timer = setInterval(run, everyMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }
}
