// Event benchmarks, written to bench/RESULTS-events.md:
//   - searchEvents (text + 25 km radius) over 100,000 seeded events: p95 under 50 ms, on SQLite and on PostgreSQL;
//   - GET /events/:uuid (server-rendered page) throughput as a ratio to a bare node:http server measured in the same
//     run (bench/bare-http.ts), on SQLite and on PostgreSQL (target ≥ 0.3, issue 7).
// Loads go to 127.0.0.1 only. Set BENCH_EVENTS=20000 for a quicker run; PostgreSQL runs when it is reachable.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../server/test/net.ts";
import pg from "pg";
import { createApp } from "../server/src/app.ts";
import { loadConfig } from "../server/src/config/index.ts";
import { encodeGeohash } from "../server/src/db/index.ts";
import { bareServer, load, ratioToBare, waitUntilUp } from "./lib.ts";
import { CITIES, seedEvents } from "./seed-events.ts";

const ROOT = resolve(import.meta.dirname, "..");
const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const PG_ADMIN = process.env.BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/postgres";
const WORDS = ["réunion", "atelier", "velo", "jardin", "concert", "marche", "debat", "cafe", "climat", "musique"];


async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function prepare(dialect: "sqlite" | "postgres") {
  const dataDir = mkdtempSync(join(tmpdir(), "convene-bench-events-"));
  let databaseUrl = "";
  if (dialect === "postgres") {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    await c.query("drop database if exists convene_bench_events with (force)");
    await c.query("create database convene_bench_events");
    await c.end();
    const u = new URL(PG_ADMIN);
    u.pathname = "/convene_bench_events";
    databaseUrl = u.toString();
  }
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", BASE_URL: "http://bench.test" };
  const app = await createApp(loadConfig(env));
  const user = await app.services.users.adminCreate({ email: "bench@example.org", password: "bench password 1" });
  const actor = await app.services.actors.createForUser(user.id, { preferredUsername: "bench" });
  const t0 = performance.now();
  await seedEvents(app.database.db, app.database.dialect, N, actor.id);
  const seedMs = performance.now() - t0;
  const sample = await app.database.db.selectFrom("events").select("uuid").where("visibility", "=", "PUBLIC").limit(50).execute();
  await app.close();
  return { dataDir, databaseUrl, env, seedMs, uuids: sample.map((r) => r.uuid) };
}

async function serve(env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, join(ROOT, "server/src/main.ts")], { env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", JOBS_IN_PROCESS: "false" }, stdio: ["ignore", "ignore", "inherit"] });
  await waitUntilUp(`${url}/livez`);
  return { url, stop: () => new Promise<void>((r) => (child.once("exit", () => r()), child.kill("SIGTERM"))) };
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function searchLatencies(url: string) {
  const query = `query($term: String, $location: String, $radius: Float) { searchEvents(term: $term, location: $location, radius: $radius, limit: 10) { total elements { ... on Event { uuid title beginsOn } } } }`;
  const times: number[] = [];
  let totals = 0;
  for (let i = 0; i < 330; i++) {
    const [, lat, lon] = CITIES[i % CITIES.length];
    const body = JSON.stringify({ query, variables: { term: WORDS[i % WORDS.length], location: encodeGeohash(lat, lon, 6), radius: 25 } });
    const t = performance.now();
    const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const j = (await r.json()) as { data: { searchEvents: { total: number } } };
    if (i >= 30) times.push(performance.now() - t); // the first 30 warm caches up
    totals += j.data.searchEvents.total;
  }
  return { p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99), meanHits: totals / 330 };
}

/** The event page against the bare server: 50 public events, visited in turn. */
function pageThroughput(url: string, bareUrl: string, uuids: string[]) {
  const requests = uuids.map((u) => ({ method: "GET" as const, path: `/events/${u}` }));
  return ratioToBare(bareUrl, (duration) => load({ url, requests, duration }));
}

const lines: string[] = [];
const pages: string[] = [];
const bare = await bareServer();
for (const dialect of ["sqlite", "postgres"] as const) {
  if (dialect === "postgres" && !(await pgReachable())) {
    lines.push(`| PostgreSQL | not measured: no server at ${PG_ADMIN} | | | |`);
    continue;
  }
  console.log(`seeding ${N} events on ${dialect}…`);
  const prep = await prepare(dialect);
  const server = await serve(prep.env);
  const lat = await searchLatencies(server.url);
  const tp = await pageThroughput(server.url, bare.url, prep.uuids);
  await server.stop();
  rmSync(prep.dataDir, { recursive: true, force: true });
  const name = dialect === "sqlite" ? "SQLite" : "PostgreSQL";
  lines.push(`| ${name} | ${lat.p50.toFixed(1)} ms | **${lat.p95.toFixed(1)} ms** | ${lat.p99.toFixed(1)} ms | ${lat.p95 < 50 ? "met" : "**missed**"} (seeded in ${(prep.seedMs / 1000).toFixed(0)} s, ${lat.meanHits.toFixed(0)} matches per query on average) |`);
  pages.push(`| ${name} | ${tp.subject.rps.toFixed(0)} req/s | ${tp.bare.rps.toFixed(0)} req/s | **${tp.ratio.toFixed(2)}** (rounds ${tp.rounds.join(", ")}) | ${tp.ratio >= 0.3 ? "met" : "**missed**"} | ${tp.subject.errors + tp.bare.errors} |`);
}
await bare.stop();

const out = [
  "# Event benchmark results",
  "",
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; ${N.toLocaleString("en")} seeded events (90% public, spread over 15 cities and 400 days); machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
  "`searchEvents` with a word and a 25 km radius around a city, 300 sequential requests over loopback after 30 of warm-up. Target: p95 under 50 ms.",
  "",
  "| Database | p50 | p95 | p99 | |",
  "| --- | --- | --- | --- | --- |",
  ...lines,
  "",
  "`GET /events/:uuid`, the server-rendered page of 50 public events visited in turn, against a bare `node:http` server",
  "(bench/bare-http.ts, its own process) in the same run: 10 connections, three alternating 4 s rounds, the median",
  "round's figures. Target: 0.3 or more on both databases.",
  "",
  "| Database | Event page | Bare node:http | Ratio | Target | Errors |",
  "| --- | --- | --- | --- | --- | --- |",
  ...pages,
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS-events.md"), out.join("\n"));
console.log(out.join("\n"));
