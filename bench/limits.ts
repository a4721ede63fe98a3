// How fast the GraphQL limits refuse the shapes that used to take the instance down (issue 7: each refused, or
// validated, in under 50 ms), written to bench/RESULTS-limits.md. Each shape is sent 20 times to a real server over
// loopback, without logging in; the figures are the time from sending to the whole answer.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../server/test/net.ts";
import { waitUntilUp } from "./lib.ts";

const ROOT = resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "convene-bench-limits-"));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ["--max-semi-space-size=2", join(ROOT, "server/src/main.ts")], {
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: url, DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "error", JOBS_IN_PROCESS: "false" },
  stdio: ["ignore", "ignore", "inherit"],
});
await waitUntilUp(`${url}/livez`);

const uuid = "00000000-0000-4000-8000-000000000000";
const chain = `query { ...F1 }\n${Array.from({ length: 40 }, (_, i) => (i === 39 ? `fragment F40 on RootQueryType { config { name } }` : `fragment F${i + 1} on RootQueryType { ...F${i + 2} ...F${i + 2} }`)).join("\n")}`;
const cycle = `query { ...F1 }\n${Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on RootQueryType { config { name } ...F${((i + 1) % 40) + 1} }`).join("\n")}`;
const shapes: [string, string, Record<string, unknown>?][] = [
  ["40 fragments, each spreading the next twice (validated)", chain],
  ["a cycle of 40 fragments", cycle],
  ["relatedEvents of relatedEvents, 10 deep", `{ event(uuid: "${uuid}") { ${"relatedEvents { id ".repeat(10)}${"} ".repeat(10)} } }`],
  ["organizedEvents(limit: 100) nested three times under an event", `{ event(uuid: "${uuid}") { organizerActor { ... on Person { organizedEvents(limit: 100) { elements { organizerActor { ... on Person { organizedEvents(limit: 100) { elements { organizerActor { ... on Person { organizedEvents(limit: 100) { elements { title } } } } } } } } } } } } } }`],
  ["1,000 aliases of searchEvents(limit: 100) with comments", `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: searchEvents(limit: 100) { elements { ... on Event { comments { id } } } }`).join(" ")} }`],
  ["40 aliases of the same (under the alias cap)", `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: searchEvents(limit: 100) { elements { ... on Event { comments { id } } } }`).join(" ")} }`],
  ["categoryOneOf with 33,000 items", `query($c: [String]) { searchEvents(categoryOneOf: $c) { total } }`, { c: Array.from({ length: 33_000 }, (_, i) => `c${i}`) }],
  ["9,000 nested braces", `{ ${"a { ".repeat(9000)}${"} ".repeat(9000)} }`],
  ["94 KB of __typename aliases", `{ ${Array.from({ length: 5000 }, (_, k) => `a${k}: __typename`).join(" ")} }`],
];

const rows: string[] = [];
let worst = 0;
for (const [name, query, variables] of shapes) {
  const body = JSON.stringify({ query, variables: variables ?? {} });
  const times: number[] = [];
  let message = "";
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const json = (await r.json()) as { errors?: { message: string }[] };
    if (i > 0) times.push(performance.now() - t); // the first warms the server up
    message = json.errors?.[0]?.message ?? "validated and ran";
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const max = times[times.length - 1];
  worst = Math.max(worst, max);
  rows.push(`| ${name} | ${(body.length / 1024).toFixed(0)} KB | ${median.toFixed(1)} ms | ${max.toFixed(1)} ms | ${max < 50 ? "met" : "**missed**"} | ${message.slice(0, 110).replace(/\|/g, "/")} |`);
}
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
rmSync(dataDir, { recursive: true, force: true });

const out = [
  "# GraphQL limits: time to refuse",
  "",
  `Written by \`npm run bench\` (bench/limits.ts) on ${new Date().toISOString().slice(0, 10)}; machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
  "Each shape is posted 21 times, without logging in, to a server over loopback (the first answer is not counted); the",
  "time is from sending to the whole answer received. Target: each refused, or validated, in under 50 ms.",
  "",
  "| Shape | Body | Median | Slowest | Target | Answer |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
  `Slowest answer of all: ${worst.toFixed(1)} ms.`,
  "",
];
writeFileSync(join(ROOT, "bench/RESULTS-limits.md"), out.join("\n"));
console.log(out.join("\n"));
