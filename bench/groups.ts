// Group benchmark, written to bench/RESULTS-groups.md (issue 9): a group with 1,000 members, 5,000 posts and 2,000
// events; its page query (Mobilizon's FetchGroupPublic, as a visitor and as a member) and the first pages of
// Group.posts and Group.organizedEvents, 300 sequential requests each over loopback after 30 of warm-up, on SQLite and
// on PostgreSQL (when reachable). Target: p95 under 30 ms.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { createApp } from "../server/src/app.ts";
import { loadConfig } from "../server/src/config/index.ts";
import { freePort } from "../server/test/net.ts";
import { pgDatabase, PG_ADMIN, waitUntilUp } from "./lib.ts";
import { seedEvents } from "./seed-events.ts";

const ROOT = resolve(import.meta.dirname, "..");
const MEMBERS = 1_000;
const POSTS = 5_000;
const EVENTS = 2_000;
const PASSWORD = "bench password 1";

async function prepare(dialect: "sqlite" | "postgres") {
  const dataDir = mkdtempSync(join(tmpdir(), "convene-bench-groups-"));
  const databaseUrl = dialect === "postgres" ? await pgDatabase("convene_bench_groups") : "";
  if (databaseUrl === null) return null;
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", BASE_URL: "http://bench.test" };
  const app = await createApp(loadConfig(env));
  const user = await app.services.users.adminCreate({ email: "bench@example.org", password: PASSWORD });
  const admin = await app.services.actors.createForUser(user.id, { preferredUsername: "bench" });
  const principal = app.services.actors.principalFor((await app.services.users.findById(user.id))!);
  const group = await app.services.groups.create(principal, { preferredUsername: "big_group", name: "Big group", openness: "OPEN", summary: "<p>A large group</p>" });
  const t0 = performance.now();
  const db = app.database.db;
  const now = new Date();
  // Members: people of no account (their profiles are what the lists show), inserted in bulk.
  for (let i = 0; i < MEMBERS - 1; i += 500) {
    const actors = await db
      .insertInto("actors")
      .values(Array.from({ length: Math.min(500, MEMBERS - 1 - i) }, (_, k) => ({ type: "Person" as const, preferred_username: `member_${i + k}`, domain: null, name: `Member ${i + k}`, summary: null, url: `http://bench.test/@member_${i + k}`, user_id: null, avatar_id: null, banner_id: null, visibility: "public", suspended: false, manually_approves_followers: false, inserted_at: now, updated_at: now })))
      .returning("id")
      .execute();
    await db
      .insertInto("members")
      .values(actors.map((a, k) => ({ url: `http://bench.test/member/${randomUUID()}`, parent_id: group.id, actor_id: a.id, role: k % 50 === 0 ? "MODERATOR" : "MEMBER", invited_by_id: null, message: null, inserted_at: now, updated_at: now })))
      .execute();
  }
  for (let i = 0; i < POSTS; i += 500) {
    await db
      .insertInto("posts")
      .values(
        Array.from({ length: Math.min(500, POSTS - i) }, (_, k) => {
          const uuid = randomUUID();
          const n = i + k;
          const slug = `post-${n}-${uuid.slice(0, 8)}`;
          return { uuid, slug, url: `http://bench.test/p/${slug}`, local: true, author_id: admin.id, attributed_to_id: group.id, title: `Post ${n}`, body: `<p>News number ${n} of the group.</p>`, draft: n % 20 === 0, visibility: n % 5 === 0 ? "PRIVATE" : "PUBLIC", language: "en", picture_id: null, publish_at: new Date(now.getTime() - n * 3600_000), inserted_at: now, updated_at: now };
        }),
      )
      .execute();
  }
  await seedEvents(db, app.database.dialect, EVENTS, admin.id);
  await db.updateTable("events").set({ attributed_to_id: group.id }).execute();
  const seedMs = performance.now() - t0;
  await app.close();
  return { dataDir, env, seedMs };
}

async function serve(env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, "server/src/main.ts")], { env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", JOBS_IN_PROCESS: "false" }, stdio: ["ignore", "ignore", "inherit"] });
  await waitUntilUp(`${url}/livez`);
  return { url, stop: () => new Promise<void>((r) => (child.once("exit", () => r()), child.kill("SIGTERM"))) };
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

// Mobilizon 5.1.3's client's group page query (FetchGroupPublic), with the fields its page reads.
const PAGE = `query FetchGroupPublic($name: String!, $afterDateTime: DateTime) { group(preferredUsername: $name) {
  id preferredUsername name domain summary url visibility openness manuallyApprovesFollowers avatar { id url } banner { id url }
  physicalAddress { id description locality geom } membersCount
  organizedEvents(afterDatetime: $afterDateTime, page: 1, limit: 10) { total elements { id uuid title beginsOn endsOn status visibility
    picture { id url } physicalAddress { id locality } options { maximumAttendeeCapacity } participantStats { participant notApproved }
    organizerActor { id preferredUsername name } attributedTo { id preferredUsername name } tags { slug title } } }
  posts(page: 1, limit: 10) { total elements { id slug title publishAt draft visibility author { id preferredUsername name } } }
  members { total } } }`;
const POSTS_Q = `query($name: String!) { group(preferredUsername: $name) { id posts(page: 1, limit: 10) { total elements { id slug title publishAt visibility author { preferredUsername name } tags { title } } } } }`;
const EVENTS_Q = `query($name: String!, $after: DateTime) { group(preferredUsername: $name) { id organizedEvents(afterDatetime: $after, page: 1, limit: 10) { total elements { id uuid title beginsOn physicalAddress { locality } participantStats { participant } } } } }`;

async function latencies(url: string, query: string, variables: Record<string, unknown>, token: string | null) {
  const times: number[] = [];
  let total = -1;
  for (let i = 0; i < 330; i++) {
    const t = performance.now();
    const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) }, body: JSON.stringify({ query, variables }) });
    const j = (await r.json()) as { data?: { group: Record<string, { total: number }> }; errors?: unknown };
    if (!j.data) throw new Error(JSON.stringify(j.errors));
    if (i >= 30) times.push(performance.now() - t);
    total = Object.values(j.data.group).find((v) => v && typeof v === "object" && "total" in v)?.total ?? total;
  }
  return { p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99), total };
}

const rows: string[] = [];
for (const dialect of ["sqlite", "postgres"] as const) {
  const name = dialect === "sqlite" ? "SQLite" : "PostgreSQL";
  console.log(`seeding a group on ${dialect}…`);
  const prep = await prepare(dialect);
  if (!prep) {
    rows.push(`| ${name} | not measured: no server at ${PG_ADMIN} | | | | |`);
    continue;
  }
  const server = await serve(prep.env);
  const login = await fetch(`${server.url}/api`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `mutation { login(email: "bench@example.org", password: "${PASSWORD}") { accessToken } }` }) });
  const token = ((await login.json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;
  const after = new Date().toISOString();
  const cases: [string, string, Record<string, unknown>, string | null][] = [
    ["Group page (FetchGroupPublic), visitor", PAGE, { name: "big_group", afterDateTime: after }, null],
    ["Group page (FetchGroupPublic), administrator", PAGE, { name: "big_group", afterDateTime: after }, token],
    ["Group.posts, first page, administrator", POSTS_Q, { name: "big_group" }, token],
    ["Group.organizedEvents, first page, visitor", EVENTS_Q, { name: "big_group", after }, null],
  ];
  for (const [label, q, vars, tok] of cases) {
    const l = await latencies(server.url, q, vars, tok);
    rows.push(`| ${name} | ${label} | ${l.p50.toFixed(1)} ms | **${l.p95.toFixed(1)} ms** | ${l.p99.toFixed(1)} ms | ${l.p95 < 30 ? "met" : "**missed**"} |`);
  }
  await server.stop();
  rmSync(prep.dataDir, { recursive: true, force: true });
  rows.push(`| ${name} | (seeded in ${(prep.seedMs / 1000).toFixed(1)} s) | | | | |`);
}

const out = [
  "# Group benchmark results",
  "",
  `Written by \`node bench/groups.ts\` on ${new Date().toISOString().slice(0, 10)}; one group with ${MEMBERS.toLocaleString("en")} members, ${POSTS.toLocaleString("en")} posts (a fifth members-only, one in twenty drafts) and ${EVENTS.toLocaleString("en")} events (90% public, over 400 days); machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
  "Each query: 300 sequential requests over loopback to a server process after 30 of warm-up. Target: p95 under 30 ms.",
  "",
  "| Database | Query | p50 | p95 | p99 | Target |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS-groups.md"), out.join("\n"));
console.log(out.join("\n"));
