import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../app.ts";
import { createLogger, PermanentJobFailure } from "../kernel/index.ts";
import { startInstance, type TestInstance } from "../../test/kit.ts";
import { hostname } from "node:os";
import { backoffMs, DbJobQueue, LEASE_MS, Worker, type JobHandler } from "./queue.ts";

const silent = createLogger("silent");

describe("the durable job queue", () => {
  let inst: TestInstance;
  let queue: DbJobQueue;
  before(async () => {
    inst = await startInstance();
    queue = new DbJobQueue(inst.database.db, inst.database.dialect, inst.clock);
  });
  after(() => inst.stop());

  const clear = () => inst.database.db.deleteFrom("jobs").execute();

  test("a job enqueued in a transaction that rolls back never exists", async () => {
    await clear();
    await assert.rejects(
      inst.database.db.transaction().execute(async (tx) => {
        await queue.enqueue(tx, "test.noop", {});
        throw new Error("rollback");
      }),
    );
    assert.deepEqual(await queue.stats(), { due: 0, scheduled: 0, failed: 0 });
  });

  test("a failing job is retried with backoff, then marked failed after its attempts", async () => {
    await clear();
    let calls = 0;
    const handlers = new Map<string, JobHandler>([
      ["test.flaky", async () => {
        calls++;
        throw new Error("remote is down");
      }],
    ]);
    const worker = new Worker(queue, handlers, silent);
    await queue.enqueue(inst.database.db, "test.flaky", { n: 1 }, { maxAttempts: 3 });
    await worker.drain();
    assert.equal(calls, 1);
    assert.deepEqual(await queue.stats(), { due: 0, scheduled: 1, failed: 0 });
    inst.clock.advance(backoffMs(1) + 1000);
    await worker.drain();
    inst.clock.advance(backoffMs(2) + 1000);
    await worker.drain();
    assert.equal(calls, 3);
    assert.deepEqual(await queue.stats(), { due: 0, scheduled: 0, failed: 1 });
    const row = await inst.database.db.selectFrom("jobs").select(["last_error", "attempts"]).executeTakeFirstOrThrow();
    assert.equal(row.last_error, "remote is down");
    assert.equal(row.attempts, 3);
  });

  test("a job claimed by a worker that died comes back when its lease ends", async () => {
    await clear();
    await queue.enqueue(inst.database.db, "test.once", {});
    const claimed = await queue.claim("dead-worker", 10);
    assert.equal(claimed.length, 1);
    assert.equal((await queue.claim("other", 10)).length, 0, "leased jobs are not handed out twice");
    inst.clock.advance(6 * 60_000);
    const again = await queue.claim("other", 10);
    assert.equal(again.length, 1);
    assert.equal(again[0].attempts, 2);
  });

  test("a long job keeps its claim through the heartbeat; nobody else runs it meanwhile", async () => {
    await clear();
    let release: () => void = () => {};
    const running = new Promise<void>((r) => (release = r));
    let started: () => void = () => {};
    const begun = new Promise<void>((r) => (started = r));
    const worker = new Worker(queue, new Map<string, JobHandler>([["test.long", async () => { started(); await running; }]]), silent, { pollMs: 60_000, heartbeatMs: 10 });
    await queue.enqueue(inst.database.db, "test.long", {});
    worker.start();
    try {
      await begun;
      // Time passes well beyond a lease; the heartbeat keeps renewing it.
      for (let i = 0; i < 5; i++) {
        inst.clock.advance(LEASE_MS);
        await new Promise((r) => setTimeout(r, 40));
        assert.equal((await queue.claim("other", 10)).length, 0, "the running job is not handed out again");
      }
      release();
    } finally {
      await worker.stop();
    }
    assert.deepEqual(await queue.stats(), { due: 0, scheduled: 0, failed: 0 });
  });

  test("a restarted worker takes back at once the jobs of a killed worker of this host", async () => {
    await clear();
    await queue.enqueue(inst.database.db, "test.resume", {});
    // The killed process held it with a fresh lease; pid 2^22+1 exceeds Linux's pid_max default, so it is not running.
    const claimed = await queue.claim(`${hostname()}:4194305:dead`, 10);
    assert.equal(claimed.length, 1);
    let ran: () => void = () => {};
    const done = new Promise<void>((r) => (ran = r));
    const worker = new Worker(queue, new Map<string, JobHandler>([["test.resume", async () => ran()]]), silent, { pollMs: 60_000 });
    worker.start();
    try {
      await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error("the job waited for its lease")), 3000))]);
    } finally {
      await worker.stop();
    }
    // Another host's claims are left to their lease.
    await queue.enqueue(inst.database.db, "test.elsewhere", {});
    await queue.claim("some-other-host:1:x", 10);
    assert.equal(await queue.releaseDeadLocalClaims(hostname(), () => false), 0);
  });

  test("jobs with one ordering key run one at a time, in order; a job that failed for good releases the next", async () => {
    await clear();
    const db = inst.database.db;
    await db.transaction().execute(async (tx) => {
      for (const n of [1, 2, 3]) await queue.enqueue(tx, "test.ordered", { n }, { orderingKey: "event-1|inbox-a" });
      await queue.enqueue(tx, "test.ordered", { n: 10 }, { orderingKey: "event-1|inbox-b" });
    });
    const first = await queue.claim("w1", 10);
    assert.deepEqual(first.map((j) => j.payload.n).sort(), [1, 10], "the first of each key, not its followers");
    assert.deepEqual(await queue.claim("w2", 10), [], "nothing else may run while they do");
    await queue.fail(first.find((j) => j.payload.n === 1)!, new PermanentJobFailure("410 Gone"));
    await queue.complete(first.find((j) => j.payload.n === 10)!.id);
    const next = await queue.claim("w1", 10);
    assert.deepEqual(next.map((j) => j.payload.n), [2], "a permanent failure fails at once and lets the next one go");
    assert.equal((await queue.stats()).failed, 1);
  });

  test("concurrent workers never claim the same job", async () => {
    await clear();
    for (let i = 0; i < 40; i++) await queue.enqueue(inst.database.db, "test.n", { i });
    const other = new DbJobQueue(inst.database.db, inst.database.dialect, inst.clock);
    const results = await Promise.all([queue.claim("a", 15), other.claim("b", 15), queue.claim("c", 15)]);
    const ids = results.flat().map((j) => j.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 40);
  });
});

test("jobs survive a restart of the instance", async () => {
  const inst = await startInstance();
  try {
    // Stop the worker side, keep the data: reopen the same database with a fresh app.
    await inst.services.users.sendResetPassword("nobody-at-all@example.org");
    const user = await inst.services.users.adminCreate({ email: "survivor@example.org", password: "a long enough password" });
    await inst.services.users.sendResetPassword(user.email);
    const pending = await inst.queue.stats();
    assert.equal(pending.due, 1);
    const again = await createApp(inst.config, { logger: silent });
    try {
      assert.equal((await again.queue.stats()).due, 1);
      await again.worker.drain();
      await inst.mailbox.waitFor("survivor@example.org", /Reset/);
    } finally {
      await again.close();
    }
  } finally {
    await inst.stop();
  }
});

test("a running worker picks up a job enqueued inside a transaction, at once", async () => {
  const inst = await startInstance();
  try {
    const queue = new DbJobQueue(inst.database.db, inst.database.dialect, inst.clock);
    let resolveRun: (v: unknown) => void = () => {};
    const ran = new Promise((r) => (resolveRun = r));
    const worker = new Worker(queue, new Map<string, JobHandler>([["test.ping", async (p) => resolveRun(p)]]), silent, { pollMs: 60_000 });
    worker.start();
    try {
      // The transaction stays open a while after the enqueue: a worker woken before the commit would find nothing
      // and sleep for its whole poll interval.
      await inst.database.db.transaction().execute(async (tx) => {
        await queue.enqueue(tx, "test.ping", { hello: "world" });
        await new Promise((r) => setTimeout(r, 100));
      });
      const payload = await Promise.race([ran, new Promise((_, reject) => setTimeout(() => reject(new Error("the worker did not run the job")), 5000))]);
      assert.deepEqual(payload, { hello: "world" });
    } finally {
      await worker.stop();
    }
  } finally {
    await inst.stop();
  }
});
