import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { serve } from "@hono/node-server";
import pg from "pg";
import { createApp, type App } from "../src/app.ts";
import { loadConfig, type Config } from "../src/config/index.ts";
import { createHttpApp } from "../src/http/app.ts";
import { serveHttp } from "../src/http/serve.ts";
import type { Clock } from "../src/kernel/index.ts";
import { Mailbox } from "./mailbox.ts";

/**
 * The test kit: a real Convene (database, services, HTTP app, job worker) on SQLite, or on PostgreSQL when the
 * environment names one with DATABASE_URL (each test app gets a fresh database there), and a real SMTP server.
 */
export const TEST_DATABASE_URL = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : null;
export const DIALECT = TEST_DATABASE_URL ? "postgres" : "sqlite";

let seq = 0;

export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `convene_test_${process.pid}_${++seq}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL! });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL! });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A clock tests can move forward. */
export class TestClock implements Clock {
  offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

export type TestInstance = App & {
  http: ReturnType<typeof createHttpApp>;
  mailbox: Mailbox;
  clock: TestClock;
  dataDir: string;
  /** Runs a GraphQL request through the HTTP app. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlResult<T>>;
  /** Sends every queued job (e-mails…) now. */
  drain(): Promise<void>;
  /** Serves the HTTP app over a real socket on 127.0.0.1; returns its base URL. Closed by stop(). */
  listen(): Promise<string>;
  stop(): Promise<void>;
};

export type GqlResult<T> = { status: number; data: T; errors?: { message: string; code?: string; field?: string | null; status_code?: number }[] };

/** Starts a test instance with its own data folder, database and mailbox. */
export async function startInstance(env: Record<string, string> = {}): Promise<TestInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), "convene-test-"));
  const mailbox = new Mailbox();
  const smtpUrl = await mailbox.start();
  const pgdb = TEST_DATABASE_URL ? await freshPostgres() : null;
  const config: Config = loadConfig({
    DATA_DIR: dataDir,
    SMTP_URL: smtpUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    BASE_URL: "http://convene.test",
    ...(pgdb ? { DATABASE_URL: pgdb.url } : {}),
    ...env,
  });
  const clock = new TestClock();
  const app = await createApp(config, { clock });
  const servers: ReturnType<typeof serve>[] = [];
  const http = createHttpApp({ config, database: app.database, services: app.services, handler: app.graphql, logger: app.logger, mountFirst: (h) => app.federation.mount(h) });
  const inst: TestInstance = {
    ...app,
    http,
    mailbox,
    clock,
    dataDir,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string | null) {
      const res = await http.request("/api", {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: T; errors?: GqlResult<T>["errors"] };
      return { status: res.status, data: body.data, errors: body.errors };
    },
    drain: () => app.worker.drain(),
    async listen() {
      const server = await new Promise<ReturnType<typeof serve>>((res) => {
        const srv = serveHttp(http, config, { port: 0, hostname: "127.0.0.1" }, () => res(srv));
      });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    },
    async stop() {
      for (const s of servers) {
        (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        await new Promise((r) => s.close(r));
      }
      await app.close();
      await mailbox.stop();
      await pgdb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return inst;
}

/** Registers, confirms and logs in an account with a first identity; returns its tokens and ids. */
export async function buildUser(
  inst: TestInstance,
  opts: { email?: string; password?: string; username?: string; role?: "USER" | "MODERATOR" | "ADMINISTRATOR" } = {},
) {
  const n = ++seq;
  const email = opts.email ?? `user${n}@example.org`;
  const password = opts.password ?? "correct horse battery";
  const username = opts.username ?? `user_${n}`;
  const user = await inst.services.users.adminCreate({ email, password, role: opts.role ?? "USER" });
  const actor = await inst.services.actors.createForUser(user.id, { preferredUsername: username, name: `User ${n}` });
  const session = await inst.services.users.login(email, password, null);
  // Who this account is to the services (as a request would make it), with its first profile as the default.
  const principal = inst.services.actors.principalFor((await inst.services.users.findById(user.id))!);
  return { user, principal, actor, email, password, username, accessToken: session.accessToken, refreshToken: session.refreshToken };
}

/** Runs a GraphQL request with one file, in the GraphQL multipart request spec's form (operations + map). */
export async function gqlUpload<T = Record<string, unknown>>(
  inst: TestInstance,
  token: string,
  query: string,
  variables: Record<string, unknown>,
  file: { path: string; bytes: Uint8Array; name: string; type: string },
): Promise<GqlResult<T>> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables }));
  form.append("map", JSON.stringify({ 0: [file.path] }));
  form.append("0", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await inst.http.request("/api", { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { data: T; errors?: GqlResult<T>["errors"] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/** Polls `check` until it holds (PostgreSQL tells other processes of a change a moment later); returns the wait. */
export async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A small PNG of one colour. */
export async function buildPng(width = 64, height = 64): Promise<Uint8Array> {
  const { default: sharp } = await import("sharp");
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: "#336699" } }).png().toBuffer());
}

/** Asserts a GraphQL result failed with the given code; returns the error. */
export function expectError<T>(res: GqlResult<T>, code: string) {
  const e = res.errors?.[0];
  if (!e || e.code !== code) throw new Error(`expected error ${code}, got ${JSON.stringify(res.errors ?? res.data)}`);
  return e;
}

const CREATE_EVENT = `mutation($title: String!, $a: ID!, $d: String!, $b: DateTime!, $e: DateTime, $addr: AddressInput, $opts: EventOptionsInput, $tags: [String], $vis: EventVisibility, $join: EventJoinOptions, $draft: Boolean, $attributedToId: ID) {
  createEvent(title: $title, organizerActorId: $a, description: $d, beginsOn: $b, endsOn: $e, physicalAddress: $addr, options: $opts, tags: $tags, visibility: $vis, joinOptions: $join, draft: $draft, attributedToId: $attributedToId) { id uuid title }
}`;

/** An ISO date `days` from now at `hour`:00 UTC. */
export const inDays = (days: number, hour = 18) => {
  const t = new Date();
  t.setUTCDate(t.getUTCDate() + days);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};

/** Publishes an event through the API as the given user's first identity. */
export async function buildEvent(inst: TestInstance, u: { accessToken: string; actor: { id: number } }, vars: Record<string, unknown> = {}) {
  const r = await inst.gql<{ createEvent: { id: string; uuid: string; title: string } }>(
    CREATE_EVENT,
    { title: "An event", a: String(u.actor.id), d: "<p>Hello</p>", b: inDays(7), e: inDays(7, 21), ...vars },
    u.accessToken,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.createEvent;
}

/** Creates a group through the API with the given user's first identity as its administrator. */
export async function buildGroup(inst: TestInstance, u: { accessToken: string; actor: { id: number } }, vars: Record<string, unknown> = {}) {
  const r = await inst.gql<{ createGroup: { id: string; preferredUsername: string; url: string } }>(
    `mutation($u: String!, $n: String, $o: Openness, $v: GroupVisibility, $s: String, $addr: AddressInput) {
      createGroup(preferredUsername: $u, name: $n, openness: $o, visibility: $v, summary: $s, physicalAddress: $addr, creatorActorId: ${u.actor.id}) { id preferredUsername url }
    }`,
    { u: `group_${++seq}`, n: "A group", o: "OPEN", ...vars },
    u.accessToken,
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.createGroup;
}

/**
 * An open group with its administrator, a stranger, and one person per role asked (they join; moderators are then
 * promoted by the administrator), in that order.
 */
export async function buildCrew(inst: TestInstance, roles: readonly ("MEMBER" | "MODERATOR")[] = ["MEMBER"]) {
  const admin = await buildUser(inst);
  const stranger = await buildUser(inst);
  const g = await buildGroup(inst, admin, { o: "OPEN" });
  const people: Awaited<ReturnType<typeof buildUser>>[] = [];
  for (const role of roles) {
    const u = await buildUser(inst);
    const joined = await inst.gql<{ joinGroup: { id: string } }>(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, u.accessToken);
    if (joined.errors) throw new Error(JSON.stringify(joined.errors));
    if (role === "MODERATOR") await inst.gql(`mutation($id: ID!) { updateMember(memberId: $id, role: MODERATOR) { id } }`, { id: joined.data.joinGroup.id }, admin.accessToken);
    people.push(u);
  }
  return { admin, stranger, g, people };
}
