// A long mixed load, written to bench/RESULTS-soak.md: six minutes, some 250,000 requests of the kinds a busy instance serves
// (logged-in GraphQL, searches, event pages, feeds, refused hostile documents, joins and leaves), with the server's
// memory sampled every 5 s. What must hold: no error (no 5xx, no internal_error) and a memory curve that stays flat.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { freePort } from "../server/test/net.ts";
import { waitUntilUp } from "./lib.ts";

const ROOT = resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 360);
const dataDir = mkdtempSync(join(tmpdir(), "convene-bench-soak-"));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "error" };
const password = "soak bench password";
for (let i = 0; i < 2; i++) execFileSync(process.execPath, [join(ROOT, "server/bin/convene.js"), "users", "new", `soak${i}@example.org`, "--password", password, "--profile-username", `soak${i}`], { env });
const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const child = spawn(process.execPath, ["--max-semi-space-size=2", ...flags, join(ROOT, "server/src/main.ts")], {
  env: { ...env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: url, MALLOC_ARENA_MAX: "2" },
  stdio: ["ignore", "ignore", "inherit"],
});
await waitUntilUp(`${url}/livez`);

const gql = async (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  (await (await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) })).json()) as {
    data: Record<string, Record<string, unknown>>;
  };
const tokens: string[] = [];
const actors: string[] = [];
for (let i = 0; i < 2; i++) {
  const t = (await gql(`mutation { login(email: "soak${i}@example.org", password: "${password}") { accessToken } }`)).data.login.accessToken as string;
  tokens.push(t);
  actors.push((await gql("{ loggedPerson { id } }", {}, t)).data.loggedPerson.id as string);
}
const uuids: string[] = [];
const ids: string[] = [];
for (let i = 0; i < 30; i++) {
  const e = (await gql(
    `mutation($a: ID!, $t: String!) { createEvent(title: $t, description: "<p>Soak</p>", beginsOn: "2099-01-01T10:00:00Z", organizerActorId: $a, tags: ["soak"]) { id uuid } }`,
    { a: actors[0], t: `Soak event ${i} music` },
    tokens[0],
  )).data.createEvent;
  uuids.push(e.uuid as string);
  ids.push(e.id as string);
}

const json = (query: string, variables: Record<string, unknown> = {}, token?: string) => ({
  method: "POST" as const,
  path: "/api",
  headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify({ query, variables }),
});
const requests = [
  json("{ loggedPerson { id preferredUsername avatar { url } } }", {}, tokens[1]),
  json(`query($t: String) { searchEvents(term: $t, limit: 10) { total elements { ... on Event { uuid title } } } }`, { t: "music" }),
  { method: "GET" as const, path: `/events/${uuids[3]}` },
  json(`query($u: UUID!) { event(uuid: $u) { title participantStats { participant } organizerActor { name } comments { text } } }`, { u: uuids[5] }),
  json(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id } }`, { e: ids[7], a: actors[1] }, tokens[1]),
  json(`mutation($e: ID!, $a: ID!) { leaveEvent(eventId: $e, actorId: $a) { id } }`, { e: ids[7], a: actors[1] }, tokens[1]),
  { method: "GET" as const, path: "/feed/instance/atom" },
  json(`{ ${Array.from({ length: 300 }, (_, i) => `a${i}: __typename`).join(" ")} }`),
  json(`{ event(uuid: "${uuids[1]}") { ${"relatedEvents { id ".repeat(10)}${"} ".repeat(10)} } }`),
  json("{ config { name maps { tiles { endpoint } } } }"),
];

const rss = () => Number(readFileSync(`/proc/${child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;
const samples: number[] = [rss()];
const sampler = setInterval(() => samples.push(rss()), 5000);
const r = await autocannon({ url, connections: 10, duration: SECONDS, requests });
clearInterval(sampler);
samples.push(rss());
// What answered 200 with an internal error: sampled after the load, one of each request.
let internal = 0;
for (const req of requests) {
  const res = await fetch(`${url}${req.path}`, { method: req.method, headers: "headers" in req ? req.headers : {}, body: "body" in req ? req.body : undefined });
  if (res.status >= 500 || /internal_error/.test(await res.text())) internal++;
}
child.kill("SIGTERM");
await new Promise((res) => child.once("exit", res));
rmSync(dataDir, { recursive: true, force: true });

const third = Math.max(1, Math.floor(samples.length / 3));
const firstThird = samples.slice(1, 1 + third);
const lastThird = samples.slice(-third);
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const out = [
  "# Soak: a long mixed load",
  "",
  `Written by \`npm run bench\` (bench/soak.ts) on ${new Date().toISOString().slice(0, 10)}; machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. SQLite, the server as \`npm start\` runs it.`,
  "",
  `${SECONDS} s with autocannon (10 connections) cycling through ten kinds of request: a logged-in \`loggedPerson\`, a text search,`,
  "an event page, an event with its counts and comments, a join and a leave, the instance's Atom feed, a refused 300-alias",
  "document, a refused nesting of related events, and `config`.",
  "",
  "| Figure | Measured |",
  "| --- | --- |",
  `| Requests | ${r.requests.total.toLocaleString("en")} (${r.requests.average.toFixed(0)} a second) |`,
  `| Transport errors, timeouts | ${r.errors}, ${r.timeouts} |`,
  `| HTTP 5xx | ${r["5xx"]} |`,
  `| Internal errors in one answer of each kind afterwards | ${internal} |`,
  `| RSS at start, mean of the first third, mean of the last third, at the end | ${samples[0].toFixed(0)}, ${avg(firstThird).toFixed(0)}, ${avg(lastThird).toFixed(0)}, ${samples[samples.length - 1].toFixed(0)} MB |`,
  "",
  `RSS every 5 s (MB): ${samples.map((s) => s.toFixed(0)).join(", ")}.`,
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS-soak.md"), out.join("\n"));
console.log(out.join("\n"));
