// Runs the whole test suite with Node's test runner: server unit and integration tests, then the browser journeys
// (skipped with a notice when no Chromium is installed). Set DATABASE_URL=postgres://… to run against PostgreSQL.
// Ends with the line "N passed, N failed".
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const only = process.argv.slice(2);

function find(dir: string, suffix: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === "node_modules") return [];
    return statSync(p).isDirectory() ? find(p, suffix) : suffix.test(name) ? [p] : [];
  });
}

let files = [...find(join(root, "server"), /\.test\.ts$/), ...find(join(root, "e2e/specs"), /\.spec\.ts$/)].sort();
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));

const needsWeb = files.some((f) => f.includes("/e2e/"));
if (needsWeb) {
  const build = spawn("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  const code: number = await new Promise((r) => build.on("exit", (c) => r(c ?? 1)));
  if (code !== 0) process.exit(code);
}

// Server tests run two files at a time; browser journeys one at a time (each drives a server and a browser, and
// two at once on a 2-core machine made timings flaky).
async function run(list: string[], concurrency: number): Promise<{ code: number; pass: number; fail: number; skipped: number }> {
  if (list.length === 0) return { code: 0, pass: 0, fail: 0, skipped: 0 };
  const child = spawn(process.execPath, ["--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, "--test-timeout=180000", ...list], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    process.stdout.write(d);
    out += d.toString();
  });
  const code: number = await new Promise((r) => child.on("exit", (c) => r(c ?? 1)));
  const count = (what: string) => Number(out.match(new RegExp(`ℹ ${what} (\\d+)`))?.[1] ?? 0);
  return { code, pass: count("pass"), fail: count("fail"), skipped: count("skipped") };
}

const server = await run(files.filter((f) => !f.includes("/e2e/")), 2);
const browser = await run(files.filter((f) => f.includes("/e2e/")), 1);
const skipped = server.skipped + browser.skipped;
console.log(`${server.pass + browser.pass} passed, ${server.fail + browser.fail} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(server.code || browser.code);
