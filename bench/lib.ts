// Shared by the benchmarks: a bare node:http server to compare with, loads with autocannon, alternating rounds.
import { fork } from "node:child_process";
import { resolve } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { freePort } from "../server/test/net.ts";

export type Load = { rps: number; p99: number; errors: number };

/** Loads a URL (or a list of requests) with 10 connections for `duration` seconds. */
export async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon({ connections: 10, duration: 8, ...opts });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Starts bench/bare-http.ts in its own process; returns its URL and a stop function. */
export async function bareServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = fork(resolve(import.meta.dirname, "bare-http.ts"), { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((res, rej) => {
    child.once("message", () => res());
    child.once("exit", (code) => rej(new Error(`bare server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => new Promise((r) => (child.once("exit", () => r()), child.kill("SIGTERM"))) };
}

/**
 * The ratio of `subject`'s throughput to the bare server's, as the median of three alternating rounds: the machine's
 * own speed drifts by 10–40 % within a minute, and alternating keeps the drift from deciding the figure.
 */
export async function ratioToBare(bareUrl: string, subject: (duration: number) => Promise<Load>, seconds = 4) {
  await load({ url: bareUrl, duration: 2 });
  await subject(2);
  const rounds: { bare: Load; subject: Load }[] = [];
  for (let i = 0; i < 3; i++) rounds.push({ bare: await load({ url: bareUrl, duration: seconds }), subject: await subject(seconds) });
  rounds.sort((a, b) => a.subject.rps / a.bare.rps - b.subject.rps / b.bare.rps);
  const middle = rounds[1];
  return { ...middle, ratio: middle.subject.rps / middle.bare.rps, rounds: rounds.map((r) => (r.subject.rps / r.bare.rps).toFixed(2)) };
}

/** Waits until `url` answers (a server starting), up to `ms`. */
export async function waitUntilUp(url: string, ms = 20_000): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - t0 > ms) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The PostgreSQL server the benches use (BENCH_PG). */
export const PG_ADMIN = process.env.BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh PostgreSQL database named `name` on the bench server, or null when none answers. */
export async function pgDatabase(name: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
  } catch {
    return null;
  }
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}
