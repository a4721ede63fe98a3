// Durability under `kill -9`, written to bench/RESULTS-durability.md (issue 7: "no accepted write is ever lost"):
//   1. joins under load while the server is killed with SIGKILL three times and restarted: every acknowledged join is
//      in the database afterwards, and every participation gets exactly one confirmation e-mail (the .eml outbox);
//   2. 20 runs of 50 simultaneous joins on an event with 3 seats: never more than 3 seated;
//   3. what `synchronous = FULL` costs SQLite per commit, against NORMAL, on this machine's disk.
// Runs on SQLite and, when it is reachable, on PostgreSQL. Loads go to 127.0.0.1 only.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { createApp } from "../server/src/app.ts";
import { loadConfig } from "../server/src/config/index.ts";
import { createLogger } from "../server/src/kernel/index.ts";
import { freePort } from "../server/test/net.ts";
import { PG_ADMIN, pgDatabase, waitUntilUp } from "./lib.ts";

const ROOT = resolve(import.meta.dirname, "..");
const USERS = Number(process.env.BENCH_USERS ?? 80);
const EVENTS = Number(process.env.BENCH_JOIN_EVENTS ?? 30);
const PASSWORD = "durability bench password";


type Server = { url: string; child: ChildProcess };

async function startServer(env: Record<string, string>, port: number): Promise<Server> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, "server/src/main.ts")], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: url, LOG_LEVEL: "error", SMTP_URL: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitUntilUp(`${url}/livez`);
  return { url, child };
}

const gql = async (url: string, query: string, variables: Record<string, unknown>, token?: string) => {
  const r = await fetch(`${url}/api`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await r.json()) as { data?: Record<string, { id?: string; role?: string } | null>; errors?: { code?: string }[] };
};

/** Accounts, one profile each, and events to join (unlimited seats), made through the services. */
async function seed(env: Record<string, string>) {
  const app = await createApp(loadConfig(env), { logger: createLogger("error") });
  const users: { email: string; actorId: number }[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `joiner${i}@example.org`;
    const u = await app.services.users.adminCreate({ email, password: PASSWORD });
    const a = await app.services.actors.createForUser(u.id, { preferredUsername: `joiner${i}` });
    users.push({ email, actorId: a.id });
  }
  const org = await app.services.users.adminCreate({ email: "organizer@example.org", password: PASSWORD });
  const orgActor = await app.services.actors.createForUser(org.id, { preferredUsername: "organizer" });
  const begins = new Date(Date.now() + 30 * 86_400_000);
  const organizer = app.services.actors.principalFor(await app.services.users.findById(org.id));
  const events: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const e = await app.services.events.create(organizer, { title: `Durable ${i}`, description: "<p>Kill me</p>", beginsOn: begins, organizerActorId: orgActor.id });
    events.push(String(e.id));
  }
  const seats = await app.services.events.create(organizer, { title: "Three seats", description: "<p>Few</p>", beginsOn: begins, organizerActorId: orgActor.id, options: { maximumAttendeeCapacity: 3 } });
  await app.close();
  return { users, events, seatsEventId: seats.id };
}

async function tokensFor(url: string, users: { email: string }[]) {
  const tokens: string[] = [];
  for (const u of users) {
    const r = await gql(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, { e: u.email, p: PASSWORD });
    tokens.push((r.data?.login as unknown as { accessToken: string }).accessToken);
  }
  return tokens;
}

async function killRun(dialect: "sqlite" | "postgres") {
  const dataDir = mkdtempSync(join(tmpdir(), "convene-bench-durability-"));
  const databaseUrl = dialect === "postgres" ? await pgDatabase("convene_bench_durability") : "";
  if (databaseUrl === null) return null;
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  const log = (msg: string) => console.log(`  ${dialect}: ${msg}`);
  const { users, events, seatsEventId } = await seed(env);
  log(`seeded ${users.length} accounts and ${events.length} events`);
  const port = await freePort();
  let server = await startServer(env, port);
  let tokens = await tokensFor(server.url, users);

  // Every (account, event) pair, joined once, by 20 workers; a pair whose answer is lost is tried again.
  const pairs: [number, number][] = [];
  for (let e = 0; e < events.length; e++) for (let u = 0; u < users.length; u++) pairs.push([u, e]);
  let next = 0;
  const acknowledged = new Set<string>();
  let lost = 0;
  let down = false;
  const JOIN = `mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id role } }`;
  const worker = async () => {
    while (next < pairs.length) {
      const [u, e] = pairs[next++];
      for (;;) {
        if (down) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        try {
          const r = await gql(server.url, JOIN, { e: events[e], a: String(users[u].actorId) }, tokens[u]);
          if (r.data?.joinEvent?.id) acknowledged.add(r.data.joinEvent.id);
          // "Already a participant" after a lost answer: the join had committed; it is counted below from the database.
          break;
        } catch {
          lost++;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
  };
  const t0 = performance.now();
  const load = Promise.all(Array.from({ length: 20 }, worker));
  const kills: number[] = [];
  for (let k = 0; k < 3; k++) {
    await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1500));
    if (next >= pairs.length) break;
    kills.push(acknowledged.size);
    down = true;
    server.child.kill("SIGKILL");
    await new Promise((r) => server.child.once("exit", r));
    server = await startServer(env, port);
    down = false;
  }
  await load;
  const seconds = (performance.now() - t0) / 1000;
  log(`${acknowledged.size} joins acknowledged in ${seconds.toFixed(0)} s, killed after ${kills.join(", ")}`);

  // Let the restarted server's worker send every e-mail, then look at the database and the outbox.
  const db = dialect === "sqlite" ? new DatabaseSync(join(dataDir, "convene.sqlite"), { timeout: 10_000 }) : null;
  const pgc = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : null;
  await pgc?.connect();
  const query = async (sql: string): Promise<Record<string, unknown>[]> => (db ? (db.prepare(sql).all() as Record<string, unknown>[]) : (await pgc!.query(sql)).rows);
  const tMail = performance.now();
  for (;;) {
    const [{ n }] = await query("select count(*) as n from jobs where failed_at is null");
    if (Number(n) === 0) break;
    if (performance.now() - tMail > 600_000) throw new Error(`e-mails still queued after 10 minutes: ${n}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`every e-mail sent ${((performance.now() - tMail) / 1000).toFixed(0)} s after the load`);
  const stored = new Set((await query("select id from participants where role = 'PARTICIPANT'")).map((r) => String(r.id)));
  const missing = [...acknowledged].filter((id) => !stored.has(id)).length;
  const outbox = join(dataDir, "mail");
  const mails = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith(".eml")) : [];
  const perParticipation = new Map<string, number>();
  let partial = 0;
  for (const f of mails) {
    const raw = readFileSync(join(outbox, f), "utf8");
    if (!raw.includes("\n\n") && !raw.includes("\r\n\r\n")) partial++;
    const to = raw.match(/^To: (.*)$/m)?.[1] ?? "?";
    const title = raw.match(/Durable \d+/)?.[0] ?? "?";
    perParticipation.set(`${to}|${title}`, (perParticipation.get(`${to}|${title}`) ?? 0) + 1);
  }
  const duplicates = [...perParticipation.values()].filter((n) => n > 1).length;
  const mailMissing = stored.size - perParticipation.size;

  // Seats: 20 runs of 50 simultaneous joins on a 3-seat event, emptied between runs.
  let worst = 0;
  for (let run = 0; run < 20; run++) {
    await query(`delete from participants where event_id = ${seatsEventId} and role = 'PARTICIPANT'`);
    await Promise.all(users.slice(0, 50).map((u, i) => gql(server.url, JOIN, { e: String(seatsEventId), a: String(u.actorId) }, tokens[i]).catch(() => null)));
    const [{ n }] = await query(`select count(*) as n from participants where event_id = ${seatsEventId} and role = 'PARTICIPANT'`);
    worst = Math.max(worst, Number(n));
  }
  tokens = [];
  db?.close();
  await pgc?.end();
  server.child.kill("SIGTERM");
  await new Promise((r) => server.child.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
  return { acknowledged: acknowledged.size, stored: stored.size, missing, lost, kills, seconds, mails: mails.length, partial, duplicates, mailMissing, worst };
}

/** Small commits on a scratch SQLite file in WAL mode, with each synchronous setting: what one commit costs. */
function commitCost(mode: "NORMAL" | "FULL") {
  const dir = mkdtempSync(join(tmpdir(), "convene-bench-sync-"));
  const db = new DatabaseSync(join(dir, "x.sqlite"));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${mode}; create table t (id integer primary key, v text)`);
  const insert = db.prepare("insert into t (v) values (?)");
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) insert.run(`row ${i}`);
  const us = ((performance.now() - t0) * 1000) / n;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return us;
}

const results: string[] = [];
for (const dialect of ["sqlite", "postgres"] as const) {
  console.log(`kill -9 under load on ${dialect}…`);
  const r = await killRun(dialect);
  const name = dialect === "sqlite" ? "SQLite" : "PostgreSQL";
  if (!r) {
    results.push(`| ${name} | not measured: no server at ${PG_ADMIN} | | | | | |`);
    continue;
  }
  results.push(
    `| ${name} | ${r.acknowledged} acknowledged (killed after ${r.kills.join(", ")}), ${r.stored} in the database, **${r.missing} lost** | ${r.lost} requests without an answer, tried again | ${r.mails} e-mails: **${r.duplicates} duplicated, ${Math.max(0, r.mailMissing)} missing, ${r.partial} partial** | **${r.worst}** of 3 seats at most | ${(r.acknowledged / r.seconds).toFixed(0)} joins/s |`,
  );
}
const normal = commitCost("NORMAL");
const full = commitCost("FULL");

const out = [
  "# Durability results",
  "",
  `Written by \`npm run bench\` (bench/durability.ts) on ${new Date().toISOString().slice(0, 10)}; machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
  "",
  `${USERS} accounts join ${EVENTS} events (every pair once) through 20 concurrent connections while the server is killed`,
  "with SIGKILL three times and restarted. A join is acknowledged when its answer came back. The confirmation e-mails go",
  "to the .eml outbox (no SMTP_URL) and are counted once the restarted server's worker has sent them all. Then 20 runs",
  "of 50 simultaneous joins on an event with 3 seats.",
  "",
  "| Database | Writes | Connections | E-mails | Seats | Throughput |",
  "| --- | --- | --- | --- | --- | --- |",
  ...results,
  "",
  `What \`synchronous = FULL\` costs SQLite (WAL mode, one small insert per commit, 2,000 commits on this machine's disk):`,
  `${full.toFixed(0)} µs per commit, against ${normal.toFixed(0)} µs with NORMAL. FULL flushes the WAL at every commit, so`,
  "an acknowledged write survives a power loss; NORMAL may lose the last commits (docs/adr/0002).",
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS-durability.md"), out.join("\n"));
console.log(out.join("\n"));
