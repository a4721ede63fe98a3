import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { TEST_DATABASE_URL } from "../../test/kit.ts";

const BIN = resolve(import.meta.dirname, "../../bin/convene.js");

describe("npx convene", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "convene-cli-"));
  let databaseUrl: string | undefined;
  let dbName: string | null = null;

  before(async () => {
    if (TEST_DATABASE_URL) {
      dbName = `convene_cli_${process.pid}`;
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.query(`create database ${dbName}`);
      await c.end();
      const u = new URL(TEST_DATABASE_URL);
      u.pathname = `/${dbName}`;
      databaseUrl = u.toString();
    }
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL! });
      await c.connect();
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    }
  });

  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", DATABASE_URL: databaseUrl ?? "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  test("--help lists every command", () => {
    const r = run("--help");
    assert.equal(r.code, 0);
    for (const c of ["users new", "users show", "users modify", "users delete", "actors new", "db migrate", "worker"]) assert.match(r.out, new RegExp(c));
  });

  test("users new, show, modify, delete and actors new", () => {
    const created = run("users", "new", "admin@example.org", "--password", "a long admin password", "--admin", "--profile_username", "admin");
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /role: +ADMINISTRATOR/);
    assert.match(created.out, /@admin \(default\)/);

    const shown = run("users", "show", "admin@example.org");
    assert.equal(shown.code, 0);
    assert.match(shown.out, /confirmed: +\d{4}-/);

    const mod = run("users", "modify", "admin@example.org", "--moderator", "--disable");
    assert.equal(mod.code, 0, mod.err);
    assert.match(mod.out, /role: +MODERATOR/);
    assert.match(mod.out, /disabled: +yes/);

    const actor = run("actors", "new", "--email", "admin@example.org", "--username", "second", "--display-name", "Second");
    assert.equal(actor.code, 0, actor.err);
    assert.match(run("users", "show", "admin@example.org").out, /@second/);

    assert.equal(run("users", "delete", "admin@example.org").code, 2, "deletion needs --yes");
    const del = run("users", "delete", "admin@example.org", "--yes");
    assert.equal(del.code, 0, del.err);
    assert.equal(run("users", "show", "admin@example.org").code, 1);
  });

  test("bad calls exit non-zero with a message and change nothing", () => {
    const cases: [string[], number, RegExp][] = [
      [["users", "new", "x@example.org"], 2, /Missing --password/],
      [["users", "new"], 2, /Missing EMAIL/],
      [["users", "new", "x@example.org", "--password", "short"], 1, /at least 8 characters/],
      [["users", "new", "not-an-email", "--password", "long enough pass"], 1, /Email/],
      [["users", "new", "x@example.org", "--password", "long enough pass", "--bogus"], 2, /Unknown option/],
      [["users", "modify", "nobody@example.org", "--admin"], 1, /No account/],
      [["users", "modify", "nobody@example.org"], 2, /Nothing to change/],
      [["actors", "new", "--email", "nobody@example.org"], 2, /Missing --email or --username/],
      [["frobnicate"], 2, /Unknown command/],
    ];
    for (const [args, code, msg] of cases) {
      const r = run(...args);
      assert.equal(r.code, code, `${args.join(" ")}: ${r.err}`);
      assert.match(r.err, msg, args.join(" "));
    }
    assert.equal(run("users", "show", "x@example.org").code, 1, "nothing was created");
  });

  test("the worker keeps running, sends what is queued, and stops on SIGTERM", async () => {
    assert.equal(run("users", "new", "sleeper@example.org", "--password", "a long enough password").code, 0);
    // A reset link queued while no worker runs (the server would run with JOBS_IN_PROCESS=false).
    const { createApp } = await import("../app.ts");
    const { loadConfig } = await import("../config/index.ts");
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", DATABASE_URL: databaseUrl ?? "" }));
    await app.services.users.sendResetPassword("sleeper@example.org");
    await app.close();
    const worker = spawn(process.execPath, [BIN, "worker"], { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent", DATABASE_URL: databaseUrl ?? "" }, stdio: "ignore" });
    const exited = new Promise<number | null>((r) => worker.once("exit", (code) => r(code)));
    const outbox = join(dataDir, "mail");
    for (let i = 0; i < 100 && !(existsSync(outbox) && readdirSync(outbox).some((f) => f.endsWith(".eml"))); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(readdirSync(outbox).some((f) => f.endsWith(".eml")), "the queued e-mail was sent");
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(worker.exitCode, null, "still running");
    worker.kill("SIGTERM");
    assert.equal(await exited, 0);
  });

  test("a group's commands are listed by its --help", () => {
    const r = run("users", "--help");
    assert.equal(r.code, 0);
    for (const c of ["users new", "users show", "users modify", "users delete"]) assert.match(r.out, new RegExp(c));
  });

  test("a wrong configuration value stops with a message naming the variable", () => {
    const r = spawnSync(process.execPath, [BIN, "users", "show", "a@b.co"], { env: { ...process.env, PORT: "not-a-port", DATA_DIR: dataDir }, encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /PORT/);
  });
});
