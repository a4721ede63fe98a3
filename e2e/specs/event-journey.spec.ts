// Events in Chromium on a phone-sized screen: publish an event with an address, join it from a second account,
// comment, find it by text, download its calendar file. Accounts are created with the CLI, as an admin would.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer, type Server as HttpServer } from "node:http";
import { resolve } from "node:path";
import sharp from "sharp";
import { after, before, describe, test } from "node:test";
import { axeViolations, logIn, openBrowser, skipReason, startServer, type Server } from "../harness.ts";

const BIN = resolve(import.meta.dirname, "../../server/bin/convene.js");

describe("event journey", { skip: skipReason }, () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let eventUrl = "";
  let tiles: HttpServer;
  let tileRequests = 0;

  before(async () => {
    // A local tile server standing in for the one an admin would configure.
    const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#cde6c7" } }).png().toBuffer();
    tiles = createServer((_req, res) => {
      tileRequests++;
      res.writeHead(200, { "content-type": "image/png" }).end(tile);
    });
    await new Promise<void>((r) => tiles.listen(0, "127.0.0.1", () => r()));
    server = await startServer({ MAP_TILES_URL: `http://127.0.0.1:${(tiles.address() as { port: number }).port}/{z}/{x}/{y}.png`, MAP_TILES_ATTRIBUTION: "Test tiles" });
    const env = { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl, LOG_LEVEL: "warn" };
    for (const [email, user] of [["organizer@example.org", "organizer"], ["guest@example.org", "guest"]])
      execFileSync(process.execPath, [BIN, "users", "new", email, "--password", "journey password 1", "--profile-username", user, "--profile-display-name", user === "guest" ? "Guest" : "Orga"], { env });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    tiles?.close();
  });

  const login = (email: string) => logIn(browser.page, server.url, email);

  test("the organizer publishes an event with an address", async () => {
    const { page } = browser;
    await login("organizer@example.org");
    await page.getByRole("link", { name: "Create an event" }).click();
    await page.getByLabel(/^Title( \*)?$/).fill("Community garden workday");
    await page.getByRole("textbox", { name: "Description" }).fill("We plant tomatoes and fix the fence.");
    await page.getByLabel("Category").selectOption("OUTDOORS_ADVENTURE");
    await page.getByLabel("Tags").fill("garden, volunteering");
    const start = new Date(Date.now() + 5 * 86400_000);
    const day = start.toISOString().slice(0, 10);
    await page.getByLabel("Starts").fill(`${day}T10:00`);
    await page.getByLabel("Ends").fill(`${day}T13:00`);
    await page.getByLabel("Timezone").selectOption("Europe/Paris");
    await page.getByRole("combobox", { name: "Find the place" }).fill("Lyon");
    await page.getByRole("option", { name: /^Lyon, France/ }).click();
    await page.getByText("The place is located on the map.").waitFor();
    await page.getByLabel("Name of the place").fill("Jardin partagé");
    await page.getByLabel("Street").fill("12 rue des Lilas");
    await page.getByLabel("Postal code").fill("69003");
    await page.getByLabel("City").fill("Lyon");
    await page.getByLabel("Number of seats", { exact: true }).fill("15");
    await page.getByLabel("Allow people without an account to take part").check();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("heading", { level: 1, name: "Community garden workday" }).waitFor();
    await page.getByText("12 rue des Lilas", { exact: true }).waitFor();
    await page.getByText("15 seats left").waitFor();
    eventUrl = page.url();
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: "Events you organize" }).waitFor();
    await page.getByRole("link", { name: "Community garden workday" }).first().waitFor();
    await page.goto(eventUrl);
    assert.match(eventUrl, /\/events\/[0-9a-f-]{36}$/);
    await page.getByRole("figure", { name: /^Map of / }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll(".leaflet-tile-loaded").length > 0);
    assert.ok(tileRequests > 0, "tiles come from the configured server");
    // 10:00 in Paris is shown in the event's timezone.
    await page.getByText(/10:00/).first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Main navigation" }).click();
    await page.getByRole("button", { name: "Log out" }).click();
  });

  test("a guest finds it by text, joins it, comments and gets the calendar file", async () => {
    const { page } = browser;
    await login("guest@example.org");
    await page.goto(`${server.url}/search`);
    await page.getByLabel("Words").fill("GARDEN workday");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("One event found").waitFor();
    await page.getByRole("link", { name: "Community garden workday" }).click();
    await page.getByRole("button", { name: "I'm going" }).click();
    await page.getByText("You're going! A confirmation is on its way by e-mail.").waitFor();
    await page.getByText("14 seats left").waitFor();
    const mail = await server.waitForMail("guest@example.org", /going to Community garden workday/);
    assert.match(mail.text, /Jardin partagé/);

    await page.getByLabel("Your comment").fill("I'll bring a shovel.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("I'll bring a shovel.").waitFor();
    assert.deepEqual(await axeViolations(page), []);

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Add to my calendar" }).click();
    const file = await (await download).path();
    const { readFileSync } = await import("node:fs");
    const ics = readFileSync(file!, "utf8");
    assert.match(ics, /BEGIN:VCALENDAR/);
    assert.match(ics.replace(/\r\n[ \t]/g, ""), /SUMMARY:Community garden workday/);
  });

  test("the event is found by distance from a city", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/search`);
    await page.getByRole("combobox", { name: "Near" }).pressSequentially("Villeurba");
    await page.getByRole("combobox", { name: "Near" }).press("ArrowDown");
    await page.getByRole("combobox", { name: "Near" }).press("Enter");
    await page.getByLabel("Distance").selectOption("10");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "Community garden workday" }).waitFor();
    await page.getByRole("combobox", { name: "Near" }).fill("Marseille");
    await page.getByRole("option", { name: /^Marseille/ }).first().click();
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("No event found").waitFor();
  });

  test("a participant subscribes to a private calendar of their events", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/events/me`);
    await page.getByRole("button", { name: "Create my private calendar link" }).click();
    const link = await page.getByLabel("Private calendar link").inputValue();
    assert.match(link, /\/events\/going\/[A-Za-z0-9_-]{30,}\/ics$/);
    const ics = await (await fetch(link)).text();
    assert.match(ics.replace(/\r\n[ \t]/g, ""), /SUMMARY:Community garden workday/);
    assert.deepEqual(await axeViolations(page), []);
  });

  test("a person saves their area and sees the events near it on the home page", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/settings/account/general`);
    await page.getByRole("combobox", { name: "City" }).fill("Lyon");
    await page.getByRole("option", { name: /^Lyon, France/ }).click();
    await page.getByRole("form", { name: "Your area" }).getByRole("button", { name: "Save" }).click();
    await page.getByText("Your area is saved.").waitFor();
    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { name: "Near Lyon" }).waitFor();
    await page.getByRole("link", { name: "Community garden workday" }).first().waitFor();
  });

  test("someone without an account takes part with an e-mail address, confirms, and can cancel", async () => {
    const { page } = browser;
    await page.evaluate(() => localStorage.clear());
    await page.goto(eventUrl);
    await page.getByRole("heading", { name: "Take part without an account" }).waitFor();
    await page.getByLabel("E-mail address").fill("walker@example.org");
    await page.getByRole("button", { name: "Take part with my e-mail" }).click();
    await page.getByText("Check your mailbox").waitFor();
    const mail = await server.waitForMail("walker@example.org", /Confirm your participation/);
    const confirm = mail.text.match(/https?:\/\/\S+(\/participation\/email\/confirm\/[A-Za-z0-9_-]+)/)![1];
    await page.goto(server.url + confirm);
    await page.getByText(/You're going to Community garden workday/).waitFor();
    const confirmed = await server.waitForMail("walker@example.org", /going to Community garden workday/);
    const cancel = confirmed.text.match(/https?:\/\/\S+(\/participation\/email\/cancel\/\S+)/)![1];
    await page.goto(server.url + cancel);
    await page.getByRole("button", { name: "Cancel my participation" }).click();
    await page.getByText("Your participation in Community garden workday is cancelled.").waitFor();
  });

  test("the event page is previewable without JavaScript", async () => {
    const html = await (await fetch(eventUrl)).text();
    assert.match(html, /<meta property="og:title" content="Community garden workday">/);
    assert.match(html, /"@type":"Event"/);
  });
});
