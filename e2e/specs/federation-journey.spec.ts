// Federation in Chromium on a phone-sized screen, between two servers on loopback: an administrator follows
// another instance from the "Other instances" page, the other's administrator accepts, the followed instance's event
// shows where it comes from, and a visitor with an account elsewhere opens it on their own instance.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { axeViolations, logIn, openBrowser, skipReason, startServer, type Server } from "../harness.ts";

const BIN = resolve(import.meta.dirname, "../../server/bin/convene.js");

describe("federation journey", { skip: skipReason }, () => {
  let a: Server;
  let b: Server;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let eventUuid = "";

  const cli = (s: Server, ...args: string[]) =>
    // The same environment as the server's (BASE_URL included: profiles are named by their URL).
    execFileSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATA_DIR: s.dataDir, DATABASE_URL: s.databaseUrl, BASE_URL: s.url, LOG_LEVEL: "warn" } });
  const host = (s: Server) => new URL(s.url).host;

  before(async () => {
    [a, b] = await Promise.all([startServer({ ALLOW_PRIVATE_ADDRESSES: "true" }), startServer({ ALLOW_PRIVATE_ADDRESSES: "true" })]);
    cli(a, "users", "new", "admin@a.example", "--password", "journey password 1", "--admin", "--profile-username", "admin_a");
    cli(a, "users", "new", "orga@a.example", "--password", "journey password 1", "--profile-username", "orga");
    cli(b, "users", "new", "admin@b.example", "--password", "journey password 1", "--admin", "--profile-username", "admin_b");
    // The organizer on A publishes an event through the API (the event journey covers the form).
    const login = await (await fetch(`${a.url}/api`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: `mutation { login(email: "orga@a.example", password: "journey password 1") { accessToken user { defaultActor { id } } } }` }) })).json();
    const token = login.data.login.accessToken;
    const begins = new Date(Date.now() + 6 * 86400_000).toISOString();
    const created = await (
      await fetch(`${a.url}/api`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `mutation($a: ID!, $b: DateTime!) { createEvent(organizerActorId: $a, title: "Neighbourhood assembly", description: "<p>Everyone welcome</p>", beginsOn: $b) { uuid } }`, variables: { a: login.data.login.user.defaultActor.id, b: begins } }),
      })
    ).json();
    eventUuid = created.data.createEvent.uuid;
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const login = (s: Server, email: string) => logIn(browser.page, s.url, email);

  test("B's administrator follows A from the Other instances page", async () => {
    const { page } = browser;
    await login(b, "admin@b.example");
    await page.getByRole("button", { name: "Main navigation" }).click();
    await page.getByRole("link", { name: "Other instances" }).click();
    await page.getByRole("heading", { level: 1, name: "Other instances" }).waitFor();
    await page.getByLabel(/^Domain/).fill(host(a));
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await page.getByText(`Follow request sent to ${host(a)}`).waitFor();
    await page.getByText("Our request is waiting").waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  test("A's administrator accepts, with the keyboard; B then shows A's event and where it comes from", async () => {
    const { page } = browser;
    await login(a, "admin@a.example");
    await page.goto(`${a.url}/settings/admin/instances`);
    const accept = page.getByRole("button", { name: "Accept" });
    await accept.waitFor({ timeout: 20_000 });
    await page.getByText("It asks to follow us").waitFor();
    await accept.focus();
    await page.keyboard.press("Enter");
    await page.getByText(`${host(b)} now follows this instance.`).waitFor();

    await login(b, "admin@b.example");
    await page.goto(`${b.url}/settings/admin/instances`);
    for (let i = 0; i < 100 && !(await page.getByText("We follow it").isVisible()); i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    await page.getByText("We follow it").waitFor();
    // B reads A's outbox once its follow is accepted: the event arrives within moments.
    const heading = page.getByRole("heading", { level: 1, name: "Neighbourhood assembly" });
    for (let i = 0; i < 50; i++) {
      await page.goto(`${b.url}/events/${eventUuid}`);
      if (await heading.isVisible({ timeout: 1000 }).catch(() => false)) break;
    }
    await heading.waitFor();
    await page.getByText(`This event is organized on ${host(a)}.`).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  test("a visitor with an account on B opens A's event on B, in French", async () => {
    const { page } = browser;
    await page.goto(`${a.url}/`);
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${a.url}/events/${eventUuid}`);
    await page.getByRole("heading", { level: 1, name: "Neighbourhood assembly" }).waitFor();
    await page.getByRole("button", { name: "Main navigation" }).click();
    await page.getByLabel("Language", { exact: true }).selectOption("fr");
    await page.getByRole("heading", { name: "Vous avez un compte sur une autre instance ?" }).waitFor();
    await page.getByLabel("Votre adresse").fill(`admin_b@${host(b)}`);
    await page.getByRole("button", { name: "L'ouvrir sur mon instance" }).click();
    await page.waitForURL(`${b.url}/events/${eventUuid}`);
    await page.getByRole("heading", { level: 1, name: "Neighbourhood assembly" }).waitFor();
  });
});
