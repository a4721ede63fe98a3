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

const child = spawn(process.execPath, ["--test", "--test-reporter=spec", "--test-concurrency=2", "--test-timeout=180000", ...files], {
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
const skipped = count("skipped");
console.log(`${count("pass")} passed, ${count("fail")} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(code);
