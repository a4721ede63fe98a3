// A start that cannot succeed says which variable to look at, without a stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { freePort } from "../test/net.ts";

const MAIN = resolve(import.meta.dirname, "main.ts");
const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, [MAIN], { env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "", HOST: "127.0.0.1", ...env }, encoding: "utf8", timeout: 30_000 });

test("a data folder that cannot be made, a port in use, an unknown host: exit 1 naming the variable", async () => {
  const dir = mkdtempSync(join(tmpdir(), "convene-start-"));
  const port = await freePort();
  const blocker = createServer().listen(port, "127.0.0.1");
  try {
    const cases: [Record<string, string>, RegExp][] = [
      [{ DATA_DIR: "/dev/null/convene", PORT: String(await freePort()) }, /DATA_DIR: .*\/dev\/null\/convene/],
      [{ DATA_DIR: dir, PORT: String(port) }, new RegExp(`PORT: port ${port} .* already in use`)],
      [{ DATA_DIR: dir, PORT: String(await freePort()), HOST: "nonsense.invalid" }, /HOST: nonsense.invalid/],
    ];
    for (const [env, message] of cases) {
      const r = start(env);
      assert.equal(r.status, 1, JSON.stringify(env));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  } finally {
    blocker.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
