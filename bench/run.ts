// Benchmarks of issue 2, written to bench/RESULTS.md:
//   1. cold start to the first answered request, and idle RSS, on SQLite (targets < 1.5 s, < 150 MB);
//   2. GraphQL `loggedPerson` throughput as a ratio to a bare route of the same server (target ≥ 0.4);
//   3. gzipped JavaScript the web app's first page loads, measured in Chromium (target ≤ 150 KB).
// Every load goes to 127.0.0.1 only, bounded in time.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import { freePort } from "../server/test/net.ts";

const ROOT = resolve(import.meta.dirname, "..");
const MAIN = join(ROOT, "server/src/main.ts");


async function startServer(dataDir: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: url, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
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
  return { url, child, startMs: performance.now() - t0 };
}

const rssMb = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
};

const stop = (child: ReturnType<typeof spawn>) =>
  new Promise<void>((res) => {
    child.once("exit", () => res());
    child.kill("SIGTERM");
  });

async function gql(url: string, query: string, token?: string) {
  const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query }) });
  return (await r.json()) as { data: Record<string, unknown>; errors?: unknown };
}

async function load(opts: autocannon.Options) {
  const r = await autocannon({ connections: 10, duration: 8, ...opts });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

// 1. Cold start (first start creates and migrates the database; the second is a restart) and idle memory.
const dataDir = mkdtempSync(join(tmpdir(), "convene-bench-"));
const starts: number[] = [];
let server = await startServer(dataDir);
starts.push(server.startMs);
await stop(server.child);
for (let i = 0; i < 3; i++) {
  server = await startServer(dataDir);
  starts.push(server.startMs);
  if (i < 2) await stop(server.child);
}
await new Promise((r) => setTimeout(r, 3000));
const idleRss = rssMb(server.child.pid!);

// 2. loggedPerson throughput versus the bare /livez route, same server, same connections.
const password = "bench password 123";
const { execFileSync } = await import("node:child_process");
async function account(username: string): Promise<string> {
  const mail = `${username}@example.org`;
  execFileSync(process.execPath, [join(ROOT, "server/bin/convene.js"), "users", "new", mail, "--password", password, "--profile-username", username], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "warn" },
  });
  const login = await gql(server.url, `mutation { login(email: "${mail}", password: "${password}") { accessToken } }`);
  return (login.data.login as { accessToken: string }).accessToken;
}
// Two callers: a bare new profile (the figure of the target), and a profile with a picture and a few words, so that
// `avatar { url }` reads a media row and the summary is rendered (reported beside it).
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
const apiLoad = (t: string, duration: number) => load({ url: `${server.url}/api`, duration, method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${t}` }, body: query });
// The machine's own speed drifts by 10–40 % within a minute; three alternating rounds, and the median of their ratios,
// keep that drift from deciding the figure. Each round loads the bare route, then the API as each caller, 4 s each.
await load({ url: `${server.url}/livez`, duration: 2 });
await apiLoad(token, 2);
await apiLoad(pictureToken, 2);
type Load = Awaited<ReturnType<typeof load>>;
const rounds: { bare: Load; api: Load; picture: Load }[] = [];
for (let i = 0; i < 3; i++) rounds.push({ bare: await load({ url: `${server.url}/livez`, duration: 4 }), api: await apiLoad(token, 4), picture: await apiLoad(pictureToken, 4) });
const median = <T,>(xs: T[], key: (x: T) => number) => [...xs].sort((x, y) => key(x) - key(y))[Math.floor(xs.length / 2)];
const middle = median(rounds, (r) => r.api.rps / r.bare.rps);
const { bare, api } = middle;
const pictureRound = median(rounds, (r) => r.picture.rps / r.bare.rps);
const pictureRatio = pictureRound.picture.rps / pictureRound.bare.rps;
const pictureRatios = rounds.map((r) => (r.picture.rps / r.bare.rps).toFixed(2)).join(", ");
const rssAfterLoad = rssMb(server.child.pid!);

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
rmSync(dataDir, { recursive: true, force: true });

const coldStart = starts[0];
const restart = Math.max(...starts.slice(1));
const ratio = api.rps / bare.rps;
const roundRatios = rounds.map((r) => (r.api.rps / r.bare.rps).toFixed(2)).join(", ");
const ok = (b: boolean) => (b ? "met" : "**missed**");
const lines = [
  "# Benchmark results",
  "",
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Loads go to 127.0.0.1 with autocannon (10 connections; the two throughputs are those of the median round).`,
  "",
  "| Figure | Measured | Target | |",
  "| --- | --- | --- | --- |",
  `| Cold start to first answered GraphQL request, new SQLite database (creates and migrates it) | ${coldStart.toFixed(0)} ms | < 1500 ms | ${ok(coldStart < 1500)} |`,
  `| Restart to first answered GraphQL request (slowest of 3) | ${restart.toFixed(0)} ms | < 1500 ms | ${ok(restart < 1500)} |`,
  `| Idle RSS after start (SQLite) | ${idleRss.toFixed(0)} MB | < 150 MB | ${ok(idleRss < 150)} |`,
  `| RSS after the load below | ${rssAfterLoad.toFixed(0)} MB | — | |`,
  `| Bare route \`GET /livez\` | ${bare.rps.toFixed(0)} req/s (p99 ${bare.p99} ms) | — | |`,
  `| GraphQL \`loggedPerson\` with a bearer token | ${api.rps.toFixed(0)} req/s (p99 ${api.p99} ms) | — | |`,
  `| Ratio GraphQL / bare route (median of 3 alternating rounds: ${roundRatios}) | ${ratio.toFixed(2)} | ≥ 0.4 | ${ok(ratio >= 0.4)} |`,
  `| Same, for a profile with a picture and a summary (rounds: ${pictureRatios}) | ${pictureRatio.toFixed(2)} (${pictureRound.picture.rps.toFixed(0)} req/s) | ≥ 0.4 | ${ok(pictureRatio >= 0.4)} |`,
  firstPageKb === null
    ? "| Gzipped JavaScript of the first page | not measured (no Chromium or no web build) | ≤ 150 KB | |"
    : `| Gzipped JavaScript of the first page (as transferred to Chromium) | ${firstPageKb.toFixed(1)} KB | ≤ 150 KB | ${ok(firstPageKb <= 150)} |`,
  "",
  ...(firstPageFiles.length ? ["Scripts of the first page:", "", ...firstPageFiles.map((f) => `- ${f}`), ""] : []),
  `Errors during the loads: ${rounds.reduce((n, r) => n + r.bare.errors + r.api.errors + r.picture.errors, 0)}. Analysis of the figures: [NOTES.md](NOTES.md).`,
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS.md"), lines.join("\n"));
console.log(lines.join("\n"));
