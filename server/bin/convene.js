#!/usr/bin/env node
// The `convene` command. Runs on the Node 24 that `npm ci` installs (npx puts it first on PATH).
const [major] = process.versions.node.split(".").map(Number);
if (major < 23) {
  console.error(`Convene needs Node 24 (found ${process.version}). Run it through npm: npx convene …`);
  process.exit(1);
}
// The compiled code of the modules is kept between runs (see src/config/runtime.ts).
(await import("node:module")).default.enableCompileCache?.();
const { runCli } = await import("../src/cli/main.ts");
process.exitCode = await runCli(process.argv.slice(2));
