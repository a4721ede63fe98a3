import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { test } from "node:test";
import { sqliteChangeWatch } from "./change-watch.ts";
import { RowCache } from "./row-cache.ts";

test("a row read before another process's commit is never kept after a later request has seen that commit", async () => {
  const dir = mkdtempSync(join(tmpdir(), "convene-row-cache-"));
  const file = join(dir, "db.sqlite");
  const main = new DatabaseSync(file);
  main.exec("PRAGMA journal_mode = WAL; create table users (id integer primary key, name text); insert into users (name) values ('old')");
  const otherProcess = new DatabaseSync(file);
  const watch = sqliteChangeWatch(file);
  const cache = new RowCache(watch);
  const read = () => ({ ...(main.prepare("select name from users where id = 1").get() as { name: string }) });
  try {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A slow request reads the row, then is held up before it can store it.
    const slow = watch.unitOfWork(() =>
      cache.byId("users", 1, async () => {
        const row = read();
        await gate;
        return row;
      }),
    );
    await new Promise((r) => setImmediate(r));
    otherProcess.exec("update users set name = 'new'");
    const later = await watch.unitOfWork(() => cache.byId("users", 1, async () => read()));
    assert.equal(later?.name, "new");
    release();
    assert.equal((await slow)?.name, "old", "the slow request itself began before the change");
    const next = await watch.unitOfWork(() => cache.byId("users", 1, async () => read()));
    assert.equal(next?.name, "new");
  } finally {
    await watch.close();
    otherProcess.close();
    main.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the SQLite watch reads the WAL-index header, and sees every commit of another connection", async () => {
  const dir = mkdtempSync(join(tmpdir(), "convene-row-cache-"));
  const file = join(dir, "db.sqlite");
  const main = new DatabaseSync(file);
  main.exec("PRAGMA journal_mode = WAL; create table t (id integer primary key, v text)");
  const other = new DatabaseSync(file);
  const watch = sqliteChangeWatch(file);
  try {
    assert.equal(watch.method(), "wal-index", "the -shm file is in the layout described at sqlite.org/walformat.html");
    let last = watch.version();
    for (let i = 0; i < 200; i++) {
      (i % 2 ? other : main).prepare("insert into t (v) values (?)").run(`row ${i}`);
      const v = watch.version();
      assert.notEqual(v, last, `commit ${i} was seen`);
      last = v;
      assert.equal(watch.version(), last, "no commit, no new version");
    }
    // A checkpoint that restarts the WAL rewrites the header too.
    main.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    other.prepare("insert into t (v) values ('after the checkpoint')").run();
    assert.notEqual(watch.version(), last);
  } finally {
    await watch.close();
    other.close();
    main.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("PostgreSQL: a listening connection that stops answering is dropped, and nothing is cached meanwhile", async () => {
  const { pgChangeWatch } = await import("./change-watch.ts");
  const clients: { hang: boolean; ended: boolean }[] = [];
  // A stand-in for pg.Client (an outside library): connects, listens, and answers `select 1` unless told to hang.
  const newClient = () => {
    const state = { hang: false, ended: false };
    clients.push(state);
    return {
      connect: async () => undefined,
      query: (text: string) => (text === "select 1" && state.hang ? new Promise<unknown>(() => {}) : Promise.resolve(undefined)),
      end: async () => void (state.ended = true),
      on: () => undefined,
      removeAllListeners: () => undefined,
    };
  };
  const errors: unknown[] = [];
  const watch = pgChangeWatch(newClient as never, (e) => errors.push(e), { heartbeatMs: 40 });
  try {
    await new Promise((r) => setTimeout(r, 20));
    assert.notEqual(watch.version(), null, "listening");
    clients[0].hang = true;
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(clients[0].ended, "the silent connection was dropped");
    assert.ok(errors.length >= 1);
    // It reconnects (after a short delay) and caching resumes from a new version.
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(clients.length >= 2);
    assert.notEqual(watch.version(), null);
  } finally {
    await watch.close();
  }
});
