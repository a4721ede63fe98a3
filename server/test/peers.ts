// Convene instances as separate processes on distinct loopback addresses (127.0.0.2, 127.0.0.3…), talking real
// HTTP with real signatures and real queues: the federation tests drive them through their GraphQL API, and set up
// accounts through a second handle on the same database (as the CLI does).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../src/app.ts";
import { loadConfig } from "../src/config/index.ts";
import { createLogger } from "../src/kernel/index.ts";
import { freshPostgres, TEST_DATABASE_URL } from "./kit.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export type Peer = {
  url: string;
  host: string;
  /** The address as other servers name it: host with its port. */
  domain: string;
  app: App;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ data: T; errors?: { message: string; code?: string }[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** An account with a first profile; administrators with `admin`. */
  user(username: string, admin?: boolean): Promise<{ token: string; actorId: number; actorUrl: string }>;
  stop(): Promise<void>;
};

export async function startPeer(host: string, env: Record<string, string> = {}): Promise<Peer> {
  const port = await freePort(host);
  const dataDir = mkdtempSync(join(tmpdir(), "convene-peer-"));
  const pgdb = TEST_DATABASE_URL ? await freshPostgres() : null;
  const url = `http://${host}:${port}`;
  const vars: Record<string, string> = {
    PORT: String(port),
    HOST: host,
    BASE_URL: url,
    DATA_DIR: dataDir,
    ALLOW_PRIVATE_ADDRESSES: "true",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
    ...env,
  };
  // The database is made (and migrated) here first, so that the handle and the server agree on it.
  const app = await createApp(loadConfig(vars), { logger: createLogger("silent") });
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "server/src/main.ts")], { env: { ...process.env, ...vars, DATABASE_URL: vars.DATABASE_URL ?? "" }, stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 150) throw new Error(`the server on ${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const gql: Peer["gql"] = async (query, variables = {}, token) => {
    const res = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as never;
  };
  return {
    url,
    host,
    domain: `${host}:${port}`,
    app,
    gql,
    async user(username, admin = false) {
      const email = `${username}@${host}.example`;
      const password = "correct horse battery";
      const u = await app.services.users.adminCreate({ email, password, role: admin ? "ADMINISTRATOR" : "USER" });
      const actor = await app.services.actors.createForUser(u.id, { preferredUsername: username, name: username });
      const session = await app.services.users.login(email, password, null);
      return { token: session.accessToken, actorId: actor.id, actorUrl: actor.url };
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await app.close();
      await pgdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value that is not null/undefined/false, or fails after `ms`. */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
