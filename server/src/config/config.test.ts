import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.ts";

test("defaults give a working SQLite instance on port 4000", () => {
  const c = loadConfig({});
  assert.equal(c.port, 4000);
  assert.equal(c.baseUrl, "http://localhost:4000");
  assert.equal(c.database.kind, "sqlite");
  assert.match((c.database as { file: string }).file, /data\/convene\.sqlite$/);
  assert.equal(c.smtpUrl, null);
  assert.equal(c.registrations.open, true);
});

test("variables are parsed and normalised", () => {
  const c = loadConfig({
    PORT: "8080",
    BASE_URL: "https://events.example.org/",
    DATABASE_URL: "postgres://u:p@db:5432/convene",
    REGISTRATIONS_OPEN: "no",
    REGISTRATIONS_ALLOWLIST: " Example.org , vip@other.org ",
  });
  assert.equal(c.baseUrl, "https://events.example.org");
  assert.equal(c.hostname, "events.example.org");
  assert.deepEqual(c.database, { kind: "postgres", url: "postgres://u:p@db:5432/convene" });
  assert.equal(c.registrations.open, false);
  assert.deepEqual(c.registrations.allowlist, ["example.org", "vip@other.org"]);
  assert.equal(c.emailFrom, "noreply@events.example.org");
});

test("a wrong value names its variable", () => {
  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: "70000" }, /PORT/],
    [{ BASE_URL: "ftp://x" }, /BASE_URL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL/],
    [{ SMTP_URL: "http://mail" }, /SMTP_URL/],
    [{ REGISTRATIONS_OPEN: "maybe" }, /REGISTRATIONS_OPEN/],
    [{ REGISTRATIONS_DENYLIST: "not a domain" }, /REGISTRATIONS_DENYLIST/],
    [{ SECRET_KEY: "short" }, /SECRET_KEY/],
    [{ LOG_LEVEL: "loud" }, /LOG_LEVEL/],
    [{ TRUST_PROXY: "maybe" }, /TRUST_PROXY/],
    [{ TRUST_PROXY: "10.0.0.0/33" }, /TRUST_PROXY/],
  ];
  for (const [env, re] of bad) assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && re.test((e as Error).message));
});

test("TRUST_PROXY: off, loopback, or the proxies' addresses and ranges", () => {
  assert.deepEqual(loadConfig({}).trustProxy, []);
  assert.deepEqual(loadConfig({ TRUST_PROXY: "false" }).trustProxy, []);
  assert.deepEqual(loadConfig({ TRUST_PROXY: "true" }).trustProxy, ["127.0.0.0/8", "::1/128"]);
  assert.deepEqual(loadConfig({ TRUST_PROXY: " 10.0.0.0/8, 192.0.2.4 ,fd00::/8" }).trustProxy, ["10.0.0.0/8", "192.0.2.4", "fd00::/8"]);
});

test("DATA_DIR is relative to the folder the command was run from (npm's INIT_CWD), not to npm's working folder", () => {
  assert.equal(loadConfig({ INIT_CWD: "/srv/community" }).dataDir, "/srv/community/data");
  assert.equal(loadConfig({ INIT_CWD: "/srv/community", DATA_DIR: "/var/lib/convene" }).dataDir, "/var/lib/convene");
});
