import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { buildUser, DIALECT, eventually, startInstance, type TestInstance } from "../../test/kit.ts";
import { cachedRow, cachedRows, WATCHED_TABLES } from "./index.ts";

const BIN = resolve(import.meta.dirname, "../../bin/convene.js");
const LOGGED_PERSON = "{ loggedPerson { id preferredUsername name } }";

describe(`row cache (${DIALECT})`, () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("a row is read once while nothing changes, again after a write, and always inside a transaction", async () => {
    const { user } = await buildUser(inst);
    const { db } = inst.database;
    let loads = 0;
    const load = async () => {
      loads++;
      return { id: user.id, email: (await db.selectFrom("users").select("email").where("id", "=", user.id).executeTakeFirstOrThrow()).email };
    };
    const read = () => inst.database.unitOfWork(() => cachedRow(db, "users", user.id, load));
    // On PostgreSQL the notices of the account's creation arrive a moment later and empty the cache once more.
    await eventually(async () => {
      await read();
      const before = loads;
      const [a, b] = [await read(), await read()];
      return loads === before && a === b;
    });
    assert.ok(Object.isFrozen(await read()), "a cached value can't be changed by one request under another's feet");

    let before = loads;
    await db.updateTable("users").set({ locale: "fr" }).where("id", "=", user.id).execute();
    await read();
    assert.equal(loads, before + 1, "a write outside a transaction drops the cache at once");

    // Within one request (which looks for other processes' changes only once), its own writes count at once.
    await inst.database.unitOfWork(async () => {
      await cachedRow(db, "users", user.id, load);
      const inside = loads;
      await db.updateTable("users").set({ locale: "de" }).where("id", "=", user.id).execute();
      await cachedRow(db, "users", user.id, load);
      assert.equal(loads, inside + 1);
    });

    before = loads;
    await db.transaction().execute(async (tx) => {
      await tx.updateTable("users").set({ locale: "en" }).where("id", "=", user.id).execute();
      await cachedRow(tx, "users", user.id, async () => {
        loads++;
        return { id: user.id };
      });
    });
    assert.equal(loads, before + 1, "a transaction reads the database");
    await read();
    assert.equal(loads, before + 2, "a committed transaction drops the cache");
  });

  test("several rows: the cached ones from memory, the missing ones in one read", async () => {
    const [a, b, c] = [await buildUser(inst), await buildUser(inst), await buildUser(inst)];
    const { db } = inst.database;
    const asked: number[][] = [];
    const loadMany = async (ids: number[]) => {
      asked.push([...ids].sort());
      return (await db.selectFrom("actors").select(["id", "name"]).where("id", "in", ids).execute()).map((r) => ({ ...r }));
    };
    const read = (ids: number[]) => inst.database.unitOfWork(() => cachedRows(db, "actors", ids, loadMany));
    // On PostgreSQL the notices of the accounts' creation arrive a moment later and empty the cache once more.
    await eventually(async () => {
      await read([a.actor.id, b.actor.id]);
      asked.length = 0;
      await read([a.actor.id, b.actor.id]);
      return asked.length === 0;
    });
    const rows = await read([a.actor.id, b.actor.id, c.actor.id]);
    assert.deepEqual(asked, [[c.actor.id]], "only the missing row is read");
    assert.deepEqual(rows.map((r) => r.id).sort(), [a.actor.id, b.actor.id, c.actor.id].sort());
    await db.updateTable("actors").set({ name: "Renamed in a batch" }).where("id", "=", b.actor.id).execute();
    const again = await read([a.actor.id, b.actor.id]);
    assert.equal(again.find((r) => r.id === b.actor.id)?.name, "Renamed in a batch");
  });

  test("this process's own changes are seen by its next request", async () => {
    const u = await buildUser(inst);
    assert.equal((await inst.gql<{ loggedPerson: { name: string } }>(LOGGED_PERSON, {}, u.accessToken)).data.loggedPerson.name, u.actor.name);
    await inst.gql(`mutation($id: ID!) { updatePerson(id: $id, name: "Renamed") { id } }`, { id: String(u.actor.id) }, u.accessToken);
    assert.equal((await inst.gql<{ loggedPerson: { name: string } }>(LOGGED_PERSON, {}, u.accessToken)).data.loggedPerson.name, "Renamed");

    await inst.gql(`mutation { createPerson(preferredUsername: "second_${u.user.id}") { id } }`, {}, u.accessToken);
    await inst.gql(`mutation { changeDefaultActor(preferredUsername: "second_${u.user.id}") { id } }`, {}, u.accessToken);
    const now = await inst.gql<{ loggedPerson: { preferredUsername: string } }>(LOGGED_PERSON, {}, u.accessToken);
    assert.equal(now.data.loggedPerson.preferredUsername, `second_${u.user.id}`);

    inst.clock.advance(2000); // tokens carry whole seconds: one issued in the same second as the change stays valid
    await inst.gql(`mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { id } }`, { o: u.password, n: "a brand new password 42" }, u.accessToken);
    const refused = await inst.gql(LOGGED_PERSON, {}, u.accessToken);
    assert.equal(refused.errors?.[0]?.code, "unauthenticated", "a token from before the password change is void at once");
  });

  test("another process disabling an account (the CLI) ends its sessions at the next request", async () => {
    const u = await buildUser(inst);
    const loggedUser = () => inst.gql<{ loggedUser: { id: string } | null }>("{ loggedUser { id } }", {}, u.accessToken);
    assert.equal((await loggedUser()).data.loggedUser?.id, String(u.user.id));
    const cli = spawnSync(process.execPath, [BIN, "users", "modify", u.email, "--disable"], {
      env: { ...process.env, DATA_DIR: inst.dataDir, LOG_LEVEL: "silent", DATABASE_URL: inst.config.database.kind === "postgres" ? inst.config.database.url : "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(cli.status, 0, cli.stderr);
    if (DIALECT === "sqlite") {
      // SQLite's data version is read at the start of each request: no delay at all.
      assert.equal((await loggedUser()).errors?.[0]?.code, "unauthenticated");
    } else {
      // PostgreSQL tells the other processes after the commit; the notice arrives within milliseconds.
      const ms = await eventually(async () => (await loggedUser()).errors?.[0]?.code === "unauthenticated");
      assert.ok(ms < 1000, `seen after ${ms} ms`);
    }
  });

  test("a write by another connection is seen (another server process)", async () => {
    const u = await buildUser(inst);
    const name = async () => (await inst.gql<{ loggedPerson: { name: string } }>(LOGGED_PERSON, {}, u.accessToken)).data.loggedPerson.name;
    assert.equal(await name(), u.actor.name);
    const { openDatabase } = await import("./index.ts");
    const other = await openDatabase(inst.config.database);
    try {
      await other.db.updateTable("actors").set({ name: "Changed elsewhere" }).where("id", "=", u.actor.id).execute();
      if (DIALECT === "sqlite") assert.equal(await name(), "Changed elsewhere");
      else await eventually(async () => (await name()) === "Changed elsewhere");
    } finally {
      await other.close();
    }
  });

  if (DIALECT === "postgres") {
    test("every watched table has the trigger that tells other processes", async () => {
      const { rows } = await pgQuery<{ table: string }>(inst, "select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname like '%_notify_row_change'");
      assert.deepEqual(rows.map((r) => r.table).sort(), [...WATCHED_TABLES].sort());
    });

    test("while the listening connection is down nothing is cached, and caching resumes once it is back", async () => {
      const { user } = await buildUser(inst);
      const { db } = inst.database;
      let loads = 0;
      const read = () =>
        inst.database.unitOfWork(() =>
          cachedRow(db, "users", user.id, async () => {
            loads++;
            return { id: user.id };
          }),
        );
      await read();
      const first = loads; // 0 when making the account already read it into the cache
      await read();
      assert.equal(loads, first, "the second read comes from memory");
      await pgQuery(inst, "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'LISTEN%'");
      await eventually(async () => {
        const before = loads;
        await read();
        return loads > before;
      });
      // Back within the reconnection delay; then it caches again.
      await eventually(async () => {
        await read();
        const before = loads;
        await read();
        return loads === before;
      }, 5000);
    });
  }
});

async function pgQuery<T extends Record<string, unknown>>(inst: TestInstance, text: string): Promise<{ rows: T[] }> {
  if (inst.config.database.kind !== "postgres") throw new Error("PostgreSQL only");
  const c = new pg.Client({ connectionString: inst.config.database.url });
  await c.connect();
  try {
    return (await c.query(text)) as unknown as { rows: T[] };
  } finally {
    await c.end();
  }
}
