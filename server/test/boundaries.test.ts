// Reads every import of the server's source and fails on an edge that breaks the dependency direction
// kernel ← db ← modules ← {graphql, mail} ← {federation, http, jobs} ← app ← {server ← main, cli}, or on a cycle between
// modules.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(n) && !/\.test\.ts$/.test(n) ? [p] : [];
  });
}

const imports = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^(?:import|export)[^'"]*?from\s+["']([^"']+)["']/gm)]
    .map((m) => m[1])
    .filter((s) => s.startsWith("."))
    .map((s) => resolve(dirname(file), s));

/** The layer of a file: kernel, db, module:<name>, module-adapter:<name> (a module's graphql/), or a top folder. */
function layer(file: string): string {
  const rel = relative(SRC, file).split("/");
  if (rel[0] === "modules") return rel[2] === "graphql" ? `module-adapter:${rel[1]}` : `module:${rel[1]}`;
  if (rel.length === 1) return rel[0].replace(/\.ts$/, "");
  return rel[0];
}

const RANK: Record<string, number> = { kernel: 0, config: 0, db: 1, module: 2, graphql: 3, "module-adapter": 3, mail: 3, http: 4, jobs: 4, federation: 4, app: 6, server: 7, cli: 7, main: 8 };
const rank = (l: string) => RANK[l.split(":")[0]];

test("imports only point inward", () => {
  const bad: string[] = [];
  for (const f of files(SRC)) {
    const from = layer(f);
    for (const target of imports(f)) {
      const to = layer(target);
      if (from === to) continue;
      const [fk, fname] = from.split(":");
      const [tk, tname] = to.split(":");
      // A module's graphql/ slice may use its own module and the graphql layer.
      if (fk === "module-adapter" && ((tk === "module" && tname === fname) || tk === "graphql")) continue;
      // The graphql layer assembles every module's slice.
      if (fk === "graphql" && tk === "module-adapter") continue;
      if (fk === "module" && tk === "module") {
        // Between modules, only through index.ts.
        if (!target.endsWith(join("modules", tname, "index.ts"))) bad.push(`${relative(SRC, f)} → ${relative(SRC, target)} (not through index.ts)`);
        continue;
      }
      if (rank(to) === undefined || rank(from) === undefined) bad.push(`${relative(SRC, f)}: unknown layer ${from} or ${to}`);
      else if (rank(to) >= rank(from) && !(fk === "config" && tk === "kernel")) bad.push(`${relative(SRC, f)} (${from}) → ${relative(SRC, target)} (${to})`);
    }
  }
  assert.deepEqual(bad, []);
});

test("modules do not import each other in a cycle", () => {
  const graph = new Map<string, Set<string>>();
  for (const f of files(join(SRC, "modules"))) {
    const from = layer(f);
    if (!from.startsWith("module:")) continue;
    for (const t of imports(f)) {
      const to = layer(t);
      if (to.startsWith("module:") && to !== from) (graph.get(from) ?? graph.set(from, new Set()).get(from)!).add(to);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const cycles: string[] = [];
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === "done") return;
    if (state.get(n) === "visiting") return void cycles.push([...path, n].join(" → "));
    state.set(n, "visiting");
    for (const m of graph.get(n) ?? []) visit(m, [...path, n]);
    state.set(n, "done");
  };
  for (const n of graph.keys()) visit(n, []);
  assert.deepEqual(cycles, []);
});

test("only config/ reads process.env", () => {
  const offenders = files(SRC).filter((f) => !relative(SRC, f).startsWith("config/") && /process\.env/.test(readFileSync(f, "utf8")));
  assert.deepEqual(offenders.map((f) => relative(SRC, f)), []);
});
