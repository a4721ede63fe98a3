// Benchmarks written to bench/RESULTS.md:
//   1. `npm start` (the README's command, web build current) to the first answered request, and the server's idle RSS
//      on SQLite (targets: < 1.5 s, < 120 MB; issue 7);
//   2. GraphQL `loggedPerson` throughput as a ratio to a bare node:http server in the same run (target ≥ 0.4);
//   3. gzipped JavaScript the web app's first page loads, measured in Chromium (target ≤ 150 KB).
// Every load goes to 127.0.0.1 only, bounded in time.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../server/test/net.ts";
import { bareServer, load, ratioToBare, type Load } from "./lib.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** The pids of a process and all its descendants. */
function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    for (const task of readdirSync(`/proc/${out[i]}/task`)) {
      const children = readFileSync(`/proc/${out[i]}/task/${task}/children`, "utf8").trim();
      if (children) out.push(...children.split(" ").map(Number));
    }
  }
  return out;
}

const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024;
const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");

/**
 * Runs the README's `npm start` from `cwd` (so the data goes to `cwd`/data) and times the first answered GraphQL
 * request from the moment the command starts.
 */
async function npmStart(cwd: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn("npm", ["--prefix", ROOT, "start"], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: url, DATABASE_URL: "", LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (;;) {
    try {
      const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ config { name } }"}' });
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - t0 > 20_000) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - t0;
  const server = tree(child.pid!).find((p) => /node .*scripts\/start\.ts/.test(cmdline(p)));
  if (!server) throw new Error("the server process was not found under npm");
  return { url, child, server, startMs };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((res) => {
    child.once("exit", () => res());
    child.kill("SIGTERM");
  });

async function gql(url: string, query: string, token?: string) {
  const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) });
  return (await r.json()) as { data: Record<string, unknown>; errors?: unknown };
}

// 1. The web build is current (npm start then only starts the server); a new folder each run: the first start creates
// and migrates the database, the next three are restarts.
const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit" });
if (build.status !== 0) throw new Error("web build failed");
const here = mkdtempSync(join(tmpdir(), "convene-bench-"));
const dataDir = join(here, "data");
const starts: number[] = [];
let server = await npmStart(here);
starts.push(server.startMs);
await stop(server.child);
for (let i = 0; i < 3; i++) {
  server = await npmStart(here);
  starts.push(server.startMs);
  if (i < 2) await stop(server.child);
}
if (!existsSync(join(dataDir, "convene.sqlite"))) throw new Error("npm start did not put the database in ./data of the folder it ran from");
await new Promise((r) => setTimeout(r, 3000));
const idleRss = rssMb(server.server);
const npmRss = rssMb(server.child.pid!);

// 2. loggedPerson against the bare node:http server.
const password = "bench password 123";
async function account(username: string): Promise<string> {
  const mail = `${username}@example.org`;
  execFileSync(process.execPath, [join(ROOT, "server/bin/convene.js"), "users", "new", mail, "--password", password, "--profile-username", username], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
  });
  const login = await gql(server.url, `mutation { login(email: "${mail}", password: "${password}") { accessToken } }`);
  return (login.data.login as { accessToken: string }).accessToken;
}
// Two callers: a bare new profile (the figure of the target), and a profile with a picture and a few words, so that
// `avatar { url }` reads a media row (reported beside it).
const token = await account("bench");
const pictureToken = await account("bench_pic");
{
  const me = await gql(server.url, "{ loggedPerson { id } }", pictureToken);
  const { default: sharp } = await import("sharp");
  const picture = await sharp({ create: { width: 256, height: 256, channels: 3, background: { r: 40, g: 120, b: 200 } } }).jpeg().toBuffer();
  const form = new FormData();
  const update = "mutation($id: ID!, $s: String, $a: MediaInput) { updatePerson(id: $id, summary: $s, avatar: $a) { avatar { url } } }";
  const variables = { id: (me.data.loggedPerson as { id: string }).id, s: "Bench profile", a: { media: { name: "me.jpg", alt: "A blue square", file: null } } };
  form.append("operations", JSON.stringify({ query: update, variables }));
  form.append("map", JSON.stringify({ 0: ["variables.a.media.file"] }));
  form.append("0", new Blob([new Uint8Array(picture)], { type: "image/jpeg" }), "me.jpg");
  const r = (await (await fetch(`${server.url}/api`, { method: "POST", headers: { authorization: `Bearer ${pictureToken}` }, body: form })).json()) as { data?: { updatePerson?: { avatar?: { url: string } } } };
  if (!r.data?.updatePerson?.avatar?.url) throw new Error(`could not give the bench profile a picture: ${JSON.stringify(r)}`);
}
const query = JSON.stringify({ query: "query LoggedPerson { loggedPerson { id preferredUsername name summary avatar { url } } }" });
const apiLoad = (t: string) => (duration: number) => load({ url: `${server.url}/api`, duration, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t}` }, body: query });
const bare = await bareServer();
const plain = await ratioToBare(bare.url, apiLoad(token));
const withPicture = await ratioToBare(bare.url, apiLoad(pictureToken));
await bare.stop();
const rssAfterLoad = rssMb(server.server);

// 3. JavaScript the first page loads, as Chromium transfers it.
let firstPageKb: number | null = null;
let firstPageFiles: string[] = [];
const chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (chromiumPath && existsSync(join(ROOT, "web/dist/index.html"))) {
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "convene-bench-chromium-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const scripts: { url: string; bytes: number }[] = [];
  page.on("requestfinished", async (req) => {
    if (req.resourceType() !== "script") return;
    const sizes = await req.sizes();
    scripts.push({ url: new URL(req.url()).pathname, bytes: sizes.responseBodySize });
  });
  await page.goto(server.url + "/", { waitUntil: "networkidle" });
  await ctx.close();
  rmSync(profile, { recursive: true, force: true });
  firstPageKb = scripts.reduce((s, x) => s + x.bytes, 0) / 1024;
  firstPageFiles = scripts.map((s) => `${s.url} (${(s.bytes / 1024).toFixed(1)} KB)`);
}

await stop(server.child);
rmSync(here, { recursive: true, force: true });

const coldStart = starts[0];
const restart = Math.max(...starts.slice(1));
const ok = (b: boolean) => (b ? "met" : "**missed**");
const errors = (x: { bare: Load; subject: Load }) => x.bare.errors + x.subject.errors;
const lines = [
  "# Benchmark results",
  "",
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Loads go to 127.0.0.1 with autocannon (10 connections). Throughput is compared with a bare \`node:http\` server (bench/bare-http.ts, its own process) in the same run: three alternating 4 s rounds, the median round's figures.`,
  "",
  "| Figure | Measured | Target | |",
  "| --- | --- | --- | --- |",
  `| \`npm start\` to the first answered GraphQL request, new folder (creates and migrates \`./data\`) | ${coldStart.toFixed(0)} ms | < 1500 ms | ${ok(coldStart < 1500)} |`,
  `| \`npm start\` again, web build current (slowest of 3) | ${restart.toFixed(0)} ms | < 1500 ms | ${ok(restart < 1500)} |`,
  `| Idle RSS of the server (SQLite) | ${idleRss.toFixed(0)} MB | < 120 MB | ${ok(idleRss < 120)} |`,
  `| RSS of npm itself, beside it | ${npmRss.toFixed(0)} MB | — | |`,
  `| RSS of the server after the loads below | ${rssAfterLoad.toFixed(0)} MB | — | |`,
  `| Bare \`node:http\` | ${plain.bare.rps.toFixed(0)} req/s (p99 ${plain.bare.p99} ms) | — | |`,
  `| GraphQL \`loggedPerson\` with a bearer token | ${plain.subject.rps.toFixed(0)} req/s (p99 ${plain.subject.p99} ms) | — | |`,
  `| Ratio \`loggedPerson\` / bare \`node:http\` (rounds: ${plain.rounds.join(", ")}) | ${plain.ratio.toFixed(2)} | ≥ 0.4 | ${ok(plain.ratio >= 0.4)} |`,
  `| Same, for a profile with a picture and a summary (rounds: ${withPicture.rounds.join(", ")}) | ${withPicture.ratio.toFixed(2)} (${withPicture.subject.rps.toFixed(0)} req/s) | ≥ 0.4 | ${ok(withPicture.ratio >= 0.4)} |`,
  firstPageKb === null
    ? "| Gzipped JavaScript of the first page | not measured (no Chromium or no web build) | ≤ 150 KB | |"
    : `| Gzipped JavaScript of the first page (as transferred to Chromium) | ${firstPageKb.toFixed(1)} KB | ≤ 150 KB | ${ok(firstPageKb <= 150)} |`,
  "",
  ...(firstPageFiles.length ? ["Scripts of the first page:", "", ...firstPageFiles.map((f) => `- ${f}`), ""] : []),
  `Errors during the loads: ${errors(plain) + errors(withPicture)}. Analysis of the figures: [NOTES.md](NOTES.md).`,
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS.md"), lines.join("\n"));
console.log(lines.join("\n"));
