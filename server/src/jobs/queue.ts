import { hostname } from "node:os";
import { afterCommit, toDate, type Db, type DialectName, type Executor } from "../db/index.ts";
import { addMs, MINUTE, PermanentJobFailure, type Clock, type EnqueueOptions, type JobQueue, type Logger } from "../kernel/index.ts";

/** Which queues a worker serves: slow work for other servers must not hold up e-mails (and the other way round). */
export type Lane = { only?: string[]; except?: string[] };

export type Job = { id: number; name: string; payload: Record<string, unknown>; attempts: number; maxAttempts: number; insertedAt: Date };
export type JobHandler = (payload: Record<string, unknown>, job: Job) => Promise<void>;

/**
 * How long a claim holds without news from its worker. Short, because the worker renews the claims of the jobs it
 * holds every HEARTBEAT_MS: a job whose worker died comes back to the others within LEASE_MS.
 */
export const LEASE_MS = 30_000;
export const HEARTBEAT_MS = 5_000;

/** Exponential backoff with a ceiling: 10 s, 20 s, 40 s … up to 6 h. */
export const backoffMs = (attempts: number) => Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * MINUTE);

/**
 * The durable job queue (docs/adr/0006): rows in `jobs`, claimed with a lease so a crashed worker's jobs come back,
 * `FOR UPDATE SKIP LOCKED` on PostgreSQL so several worker processes share the work, SQLite's single writer
 * otherwise. Delivery is at least once: handlers must be idempotent.
 */
export class DbJobQueue implements JobQueue<Executor> {
  private readonly wakers = new Set<() => void>();
  private readonly db: Db;
  private readonly dialect: DialectName;
  private readonly clock: Clock;
  constructor(db: Db, dialect: DialectName, clock: Clock) {
    this.db = db;
    this.dialect = dialect;
    this.clock = clock;
  }

  async enqueue(tx: Executor, name: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<boolean> {
    const now = this.clock.now();
    if (opts.uniqueKey) {
      // Pending = not failed and not yet started; a job already running may have read old state, so a new one is due.
      const pending = await tx
        .selectFrom("jobs")
        .select("id")
        .where("unique_key", "=", opts.uniqueKey)
        .where("failed_at", "is", null)
        .where("locked_by", "is", null)
        .executeTakeFirst();
      if (pending) return false;
    }
    await tx
      .insertInto("jobs")
      .values({
        queue: opts.queue ?? "default",
        name,
        payload: JSON.stringify(payload),
        run_at: opts.runAt ?? now,
        attempts: 0,
        max_attempts: opts.maxAttempts ?? 10,
        unique_key: opts.uniqueKey ?? null,
        ordering_key: opts.orderingKey ?? null,
        inserted_at: now,
      })
      .execute();
    // Wake an in-process worker once the job is visible: when the caller's transaction has committed.
    afterCommit(tx, () => {
      for (const w of this.wakers) w();
    });
    return true;
  }

  /** Claims up to `limit` due jobs for this worker, of the queues of its lane (all of them without one). */
  async claim(workerId: string, limit: number, lane: Lane = {}): Promise<Job[]> {
    const now = this.clock.now();
    const rows = await this.db
      .updateTable("jobs")
      .set((eb) => ({ locked_until: addMs(now, LEASE_MS), locked_by: workerId, attempts: eb("attempts", "+", 1) }))
      .where("id", "in", (qb) =>
        qb
          .selectFrom("jobs")
          .select("id")
          .where("failed_at", "is", null)
          .where("run_at", "<=", now)
          .$if(!!lane.only, (q) => q.where("queue", "in", lane.only!))
          .$if(!!lane.except, (q) => q.where("queue", "not in", lane.except!))
          .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now)]))
          // Within an ordering key, only the oldest job still alive may run. (A per-row look-up of that oldest job on
          // the (ordering_key, id) index: the planner cannot turn it into a join over the whole table.)
          .where((eb) =>
            eb.or([
              eb("ordering_key", "is", null),
              eb(
                "id",
                "=",
                eb
                  .selectFrom("jobs as earlier")
                  .select("earlier.id")
                  .whereRef("earlier.ordering_key", "=", "jobs.ordering_key")
                  .where("earlier.failed_at", "is", null)
                  .orderBy("earlier.id")
                  .limit(1),
              ),
            ]),
          )
          .orderBy("run_at")
          .limit(limit)
          .$if(this.dialect === "postgres", (q) => q.forUpdate().skipLocked()),
      )
      .returning(["id", "name", "payload", "attempts", "max_attempts", "inserted_at"])
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, payload: JSON.parse(r.payload), attempts: r.attempts, maxAttempts: r.max_attempts, insertedAt: toDate(r.inserted_at) }));
  }

  /** Renews this worker's claims on the jobs it still holds (the heartbeat). */
  async renew(workerId: string, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable("jobs")
      .set({ locked_until: addMs(this.clock.now(), LEASE_MS) })
      .where("locked_by", "=", workerId)
      .where("id", "in", [...ids])
      .execute();
  }

  /**
   * Releases at once the claims of workers that ran on this host and whose process is gone (killed, crashed): a
   * restarted server need not wait for their leases to end. Workers elsewhere are left to their leases.
   */
  async releaseDeadLocalClaims(host: string, alive: (pid: number) => boolean): Promise<number> {
    const held = await this.db.selectFrom("jobs").select("locked_by").distinct().where("locked_by", "like", `${host}:%`).execute();
    const dead = held.map((r) => r.locked_by!).filter((w) => {
      const pid = Number(w.slice(host.length + 1).split(":")[0]);
      return Number.isInteger(pid) && pid !== process.pid && !alive(pid);
    });
    if (dead.length === 0) return 0;
    const r = await this.db.updateTable("jobs").set({ locked_until: null, locked_by: null }).where("locked_by", "in", dead).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async complete(id: number) {
    await this.db.deleteFrom("jobs").where("id", "=", id).execute();
  }

  async fail(job: Job, error: unknown) {
    const now = this.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    const dead = job.attempts >= job.maxAttempts || error instanceof PermanentJobFailure;
    await this.db
      .updateTable("jobs")
      .set({
        locked_until: null,
        locked_by: null,
        last_error: message.slice(0, 2000),
        run_at: addMs(now, backoffMs(job.attempts)),
        failed_at: dead ? now : null,
      })
      .where("id", "=", job.id)
      .execute();
  }

  /** Counts jobs by state, for the admin and the tests. */
  async stats() {
    const now = this.clock.now();
    const count = async (q: (qb: ReturnType<typeof this.countQuery>) => ReturnType<typeof this.countQuery>) =>
      Number((await q(this.countQuery()).executeTakeFirstOrThrow()).n);
    return {
      due: await count((q) => q.where("failed_at", "is", null).where("run_at", "<=", now)),
      scheduled: await count((q) => q.where("failed_at", "is", null).where("run_at", ">", now)),
      failed: await count((q) => q.where("failed_at", "is not", null)),
    };
  }

  private countQuery() {
    return this.db.selectFrom("jobs").select((eb) => eb.fn.countAll<number>().as("n"));
  }

  /** Calls `fn` whenever a job is enqueued in this process (once its transaction commits); returns how to stop. */
  onEnqueued(fn: () => void): () => void {
    this.wakers.add(fn);
    return () => this.wakers.delete(fn);
  }
}

/**
 * Runs jobs: polls when idle, wakes early when a job is enqueued in this process. Stops cleanly, letting running
 * jobs finish.
 */
export class Worker {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  /** Jobs this worker has claimed and not finished: their claims are renewed every HEARTBEAT_MS. */
  private readonly holding = new Set<number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private unwake: (() => void) | null = null;

  private readonly queue: DbJobQueue;
  private readonly handlers: Map<string, JobHandler>;
  private readonly logger: Logger;
  private readonly opts: { pollMs?: number; batch?: number; heartbeatMs?: number; lane?: Lane };
  constructor(queue: DbJobQueue, handlers: Map<string, JobHandler>, logger: Logger, opts: { pollMs?: number; batch?: number; heartbeatMs?: number; lane?: Lane } = {}) {
    this.queue = queue;
    this.handlers = handlers;
    this.logger = logger;
    this.opts = opts;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.unwake = this.queue.onEnqueued(() => this.tick(0));
    this.heartbeat = setInterval(() => void this.queue.renew(this.id, [...this.holding]).catch((err) => this.logger.warn("job heartbeat failed", { err })), this.opts.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
    // A worker of this host that was killed (the server before a restart) left claims nobody would renew.
    void this.queue
      .releaseDeadLocalClaims(hostname(), processAlive)
      .then((n) => n && this.logger.info("released the jobs of a worker that died", { jobs: n }))
      .catch((err) => this.logger.warn("could not release dead workers' jobs", { err }))
      .finally(() => this.tick(0));
  }

  async stop() {
    this.running = false;
    this.unwake?.();
    this.unwake = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.inFlight;
  }

  /** Runs every due job now and returns when none is left (used by tests and the CLI). */
  async drain(maxRounds = 100) {
    for (let i = 0; i < maxRounds; i++) if ((await this.runBatch()) === 0) return;
  }

  /** Runs one batch of due jobs now; how many ran. */
  runDue(): Promise<number> {
    return this.runBatch();
  }

  private wokenDuringBatch = false;

  private tick(delay: number) {
    if (!this.running) return;
    if (this.inFlight) {
      // A wake while a batch runs: that batch may have claimed before the new job existed, so go again right after.
      this.wokenDuringBatch = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.inFlight) return;
      this.wokenDuringBatch = false;
      this.inFlight = this.runBatch()
        .catch((err) => {
          this.logger.error("job worker error", { err });
          return 0;
        })
        .then((n) => {
          this.inFlight = null;
          this.tick(n > 0 || this.wokenDuringBatch ? 0 : (this.opts.pollMs ?? 1000));
        });
    }, delay);
    this.timer.unref?.();
  }

  /**
   * Claims a batch and runs its jobs side by side: most jobs wait on the network (SMTP, other servers), so a batch of
   * deliveries to many servers takes about as long as the slowest one. Jobs that must not overlap share an ordering
   * key, and the queue never hands out two of those at once.
   */
  private async runBatch(): Promise<number> {
    const started = performance.now();
    const jobs = await this.queue.claim(this.id, this.opts.batch ?? 16, this.opts.lane);
    const claimed = performance.now();
    for (const job of jobs) this.holding.add(job.id);
    try {
      await Promise.all(jobs.map((job) => this.runOne(job)));
      if (jobs.length) this.logger.debug("job batch", { jobs: jobs.length, claimMs: Math.round(claimed - started), runMs: Math.round(performance.now() - claimed) });
    } finally {
      for (const job of jobs) this.holding.delete(job.id);
    }
    return jobs.length;
  }

  private async runOne(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name);
    try {
      if (!handler) throw new Error(`no handler for job "${job.name}"`);
      await handler(job.payload, job);
      await this.queue.complete(job.id);
    } catch (error) {
      this.logger.warn("job failed", { job: job.name, id: job.id, attempt: job.attempts, err: error });
      await this.queue.fail(job, error).catch((err) => this.logger.error("could not record a job's failure", { job: job.name, id: job.id, err }));
    }
    this.holding.delete(job.id);
  }
}

/** Whether a process of this host still runs (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The worker of a process, in lanes: deliveries and inbound activities wait on other servers (up to seconds each), so
 * they run apart from e-mails and housekeeping, which never queue behind them.
 */
export class WorkerGroup {
  private readonly workers: Worker[];
  constructor(queue: DbJobQueue, handlers: Map<string, JobHandler>, logger: Logger, lanes: Lane[]) {
    this.workers = lanes.map((lane) => new Worker(queue, handlers, logger, { lane }));
  }
  start() {
    for (const w of this.workers) w.start();
  }
  async stop() {
    await Promise.all(this.workers.map((w) => w.stop()));
  }
  /** Runs every due job of every lane, until none is left (tests, the CLI). */
  async drain(maxRounds = 100) {
    for (let i = 0; i < maxRounds; i++) {
      let ran = 0;
      for (const w of this.workers) ran += await w.runDue();
      if (ran === 0) return;
    }
  }
}
