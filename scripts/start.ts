// `npm start`: builds the web app only when it is missing or older than its sources, then runs the server in this very
// process (no second npm, no second Node). Data goes to ./data of the folder the command was run from (npm tells it
// as INIT_CWD; the configuration reads it).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const WEB = join(ROOT, "web");
const BUILT = join(WEB, "dist", "index.html");

/** The latest change among the web app's sources and build settings. */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of ["src", "public", "index.html", "vite.config.ts", "package.json", "tsconfig.json"]) visit(join(WEB, p));
  visit(join(ROOT, "package-lock.json"));
  return newest;
}

if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < newestSource()) {
  console.log(existsSync(BUILT) ? "Building the web app (its sources changed since the last build)…" : "Building the web app…");
  const vite = join(dirname(createRequire(join(WEB, "package.json")).resolve("vite/package.json")), "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: WEB, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

await import("../server/src/main.ts");
