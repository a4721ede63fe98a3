// Starts a real Convene server (the same entry point as `npm start`) on a free port with its own data folder, and
// Debian's Chromium through playwright-core. E-mails go to the .eml outbox, which the journeys read.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { freePort } from "../server/test/net.ts";
import pg from "pg";
import { simpleParser } from "../server/test/mail-parse.ts";

const ROOT = resolve(import.meta.dirname, "..");
export const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p)) ?? null;
export const skipReason = CHROMIUM ? false : "Chromium is not installed (apt-get install chromium): browser journeys skipped";


export type Server = { url: string; dataDir: string; databaseUrl: string; stop(): Promise<void>; mails(to: string): { subject: string; text: string }[]; waitForMail(to: string, subject: RegExp): Promise<{ subject: string; text: string }> };

export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), "convene-e2e-"));
  const port = await freePort();
  let dbName: string | null = null;
  let databaseUrl = "";
  const admin = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : null;
  if (admin) {
    dbName = `convene_e2e_${process.pid}_${port}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`create database ${dbName}`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "server/src/main.ts")], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SMTP_URL: "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 100) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const mails = (to: string) => {
    const dir = join(dataDir, "mail");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(".eml")) // not the temporary names of messages being written
      .sort()
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .filter((raw) => new RegExp(`^To: .*${to.replace(/[.+]/g, "\\$&")}`, "mi").test(raw))
      .map((raw) => simpleParser(raw));
  };
  return {
    url,
    dataDir,
    databaseUrl,
    mails,
    async waitForMail(to, subject) {
      for (let i = 0; i < 100; i++) {
        const m = mails(to).filter((x) => subject.test(x.subject)).pop();
        if (m) return m;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no mail to ${to} matching ${subject}`);
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
      if (admin && dbName) {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        await c.query(`drop database if exists ${dbName} with (force)`);
        await c.end();
      }
    },
  };
}

/** A fresh browser profile sized like a small phone (360 × 740). */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "convene-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM!,
    headless: true,
    viewport: { width: 360, height: 740 },
    locale: "en-GB",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Logs in on `serverUrl` from a clean browser state with the journeys' password; waits for the welcome. */
export async function logIn(page: Page, serverUrl: string, email: string, password = "journey password 1"): Promise<void> {
  await page.goto(`${serverUrl}/`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${serverUrl}/login`);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel(/^Password( \*)?$/).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: /Welcome/ }).waitFor();
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy (rightly) does not let a
  // <script> tag do.
  await page.evaluate(source);
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[];
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export const linkIn = (text: string, path: string): string => {
  const m = text.match(new RegExp(`https?://\\S+(${path}/[A-Za-z0-9_-]+)`));
  if (!m) throw new Error(`no ${path} link in ${text}`);
  return m[1];
};
