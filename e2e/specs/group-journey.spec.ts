// Groups in Chromium on a phone-sized screen: create a group, invite a member who accepts, make them a moderator,
// publish a group event as the administrator and edit it as the moderator; open a discussion and reply, add a folder
// and a link, publish a members-only post and a public one, read the timeline (in French too); a visitor sees the
// public page and nothing members-only; the instance's moderator finds it among the instance's groups.
// Accounts are created with the CLI, as an admin would.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { axeViolations, logIn, openBrowser, skipReason, startServer, type Server } from "../harness.ts";

const BIN = resolve(import.meta.dirname, "../../server/bin/convene.js");

describe("group journey", { skip: skipReason }, () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let eventUrl = "";

  before(async () => {
    server = await startServer();
    const env = { ...process.env, DATA_DIR: server.dataDir, DATABASE_URL: server.databaseUrl, LOG_LEVEL: "warn" };
    for (const [email, user, name] of [["founder@example.org", "founder", "Founder"], ["mira@example.org", "mira", "Mira"], ["host@example.org", "host", "Host"]])
      execFileSync(process.execPath, [BIN, "users", "new", email, "--password", "journey password 1", "--profile-username", user, "--profile-display-name", name, ...(user === "host" ? ["--moderator"] : [])], { env });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const login = (email: string) => logIn(browser.page, server.url, email);

  test("the founder creates a group and invites Mira", async () => {
    const { page } = browser;
    await login("founder@example.org");
    await page.goto(`${server.url}/groups/me`);
    await page.getByText("You are not in any group yet.").waitFor();
    await page.getByRole("link", { name: "Create a group" }).click();
    await page.getByLabel(/^Name of the group/).fill("Tenants Union");
    assert.equal(await page.getByLabel(/^Group handle/).inputValue(), "tenants_union");
    await page.getByRole("textbox", { name: "Description" }).fill("We defend tenants of the neighbourhood.");
    await page.getByLabel(/On invitation only/).check();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Create the group" }).click();
    await page.getByRole("heading", { level: 1, name: "Tenants Union" }).waitFor();
    await page.getByText("@tenants_union").waitFor();
    await page.getByText("We defend tenants of the neighbourhood.").waitFor();
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole("link", { name: "Members" }).click();
    await page.getByLabel(/^Their username/).fill("mira");
    await page.getByRole("button", { name: "Send the invitation" }).click();
    await page.getByText("mira is invited.").waitFor();
    await page.getByRole("list").getByText("Invited", { exact: true }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await server.waitForMail("mira@example.org", /invited to join Tenants Union/);
  });

  test("Mira accepts the invitation from her groups; the founder makes her a moderator", async () => {
    const { page } = browser;
    await login("mira@example.org");
    await page.goto(`${server.url}/groups/me`);
    await page.getByRole("heading", { name: "Invitations" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Accept (Tenants Union)" }).click();
    await page.getByText("You are now a member of the group.").waitFor();
    await page.getByRole("link", { name: "Tenants Union" }).click();
    await page.getByRole("button", { name: "Leave the group" }).waitFor();

    await login("founder@example.org");
    await page.goto(`${server.url}/@tenants_union/settings/members`);
    await page.getByRole("button", { name: "Make moderator (Mira)" }).click();
    await page.getByText("Mira is now Moderator.").waitFor();
  });

  test("the founder publishes an event for the group; Mira, a moderator, edits it", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/@tenants_union`);
    await page.getByRole("link", { name: "Create an event" }).click();
    assert.equal(await page.getByLabel("Publish for a group").inputValue(), await page.evaluate(() => new URLSearchParams(location.search).get("group")));
    await page.getByLabel(/^Title( \*)?$/).fill("Rent strike assembly");
    await page.getByRole("textbox", { name: "Description" }).fill("Everyone is welcome.");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("heading", { level: 1, name: "Rent strike assembly" }).waitFor();
    await page.getByRole("link", { name: "Tenants Union" }).waitFor();
    eventUrl = page.url();

    await login("mira@example.org");
    await page.goto(eventUrl);
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel(/^Title( \*)?$/).fill("Rent strike assembly (moved)");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { level: 1, name: "Rent strike assembly (moved)" }).waitFor();
    await page.getByText(/Founder/).first().waitFor();
  });

  test("Mira opens a discussion; the founder replies", async () => {
    const { page } = browser;
    await login("mira@example.org");
    await page.goto(`${server.url}/@tenants_union`);
    await page.getByRole("link", { name: "Discussions" }).click();
    await page.getByLabel(/^Subject/).fill("Rent strike: when?");
    await page.getByLabel(/^Message/).fill("Shall we start in March?");
    await page.getByRole("button", { name: "Open the discussion" }).click();
    await page.getByRole("heading", { level: 1, name: "Rent strike: when?" }).waitFor();
    await page.getByText("Shall we start in March?").waitFor();
    assert.deepEqual(await axeViolations(page), []);
    const url = page.url();

    await login("founder@example.org");
    await page.goto(url);
    await page.getByLabel(/^Your reply/).fill("March works for me.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("March works for me.").waitFor();
  });

  test("the founder adds a folder and a link to the resources", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/@tenants_union`);
    await page.getByRole("link", { name: "Resources" }).click();
    await page.getByRole("heading", { level: 1, name: "Resources" }).waitFor();
    await page.getByLabel("folder", { exact: true }).check();
    await page.getByLabel(/^Name/).fill("Legal");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("link", { name: "Legal" }).click();
    await page.getByRole("navigation", { name: "Where you are" }).getByRole("link", { name: "Legal" }).waitFor();
    await page.getByLabel("link", { exact: true }).check();
    await page.getByLabel(/^Address of the link/).fill(`${server.url}/`);
    await page.getByLabel(/^Name/).fill("Our instance");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("link", { name: "Our instance" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  test("the founder publishes a members-only post and a public one; a visitor reads only the public one", async () => {
    const { page } = browser;
    for (const [title, who] of [["Strike fund accounts", "Members only"], ["Why we strike", "Everyone"]]) {
      await page.goto(`${server.url}/@tenants_union`);
      await page.getByRole("link", { name: "Write a post" }).click();
      await page.getByLabel(/^Title/).fill(title);
      await page.getByRole("textbox", { name: "Text" }).fill(`About: ${title}.`);
      await page.getByLabel(who).check();
      await page.getByRole("button", { name: "Publish" }).click();
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
    }
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${server.url}/@tenants_union/timeline`);
    await page.getByText(/published the post Why we strike/).waitFor();
    await page.getByText(/opened the discussion Rent strike: when\?/).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    // In French too.
    await page.getByRole("button", { name: "Main navigation" }).click();
    await page.getByLabel("Language", { exact: true }).selectOption("fr");
    await page.getByRole("heading", { level: 1, name: "Historique de Tenants Union" }).waitFor();
    await page.getByText(/a publié le billet Why we strike/).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Navigation principale" }).click();
    await page.getByLabel("Langue", { exact: true }).selectOption("en");
  });

  test("a visitor sees the group's page and its event, and is asked to log in to join", async () => {
    const { page } = browser;
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${server.url}/@tenants_union`);
    await page.getByRole("heading", { level: 1, name: "Tenants Union" }).waitFor();
    await page.getByText("2 members").waitFor();
    await page.getByRole("link", { name: "Rent strike assembly (moved)" }).waitFor();
    await page.getByRole("link", { name: "Log in to join or follow" }).waitFor();
    await page.getByRole("link", { name: "Why we strike" }).waitFor();
    assert.equal(await page.getByText("Strike fund accounts").count(), 0, "a members-only post never reaches a visitor");
    assert.equal(await page.getByRole("link", { name: "Discussions" }).count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    // The group is found in the search.
    await page.goto(`${server.url}/search`);
    await page.getByLabel("Groups").check();
    await page.getByLabel("Words").fill("tenants");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: "Tenants Union" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });
  test("the instance's moderator finds the group among the instance's groups", async () => {
    const { page } = browser;
    await login("host@example.org");
    await page.getByRole("button", { name: "Main navigation" }).click();
    await page.getByRole("link", { name: "Groups (admin)" }).click();
    await page.getByRole("heading", { level: 1, name: "Groups on this instance and known from others" }).waitFor();
    await page.getByRole("link", { name: "Tenants Union" }).waitFor();
    await page.getByText("2 members").waitFor();
    await page.getByText("Invitation only").waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Other instances" }).click();
    await page.getByText("No group here.").waitFor();
    await page.getByRole("button", { name: "This instance" }).click();
    // The server cannot be reached while the group's page loads: the app says so instead of loading forever.
    await page.route("**/api", (r) => r.abort());
    await page.getByRole("link", { name: "Tenants Union" }).click();
    await page.getByRole("alert").getByText("Cannot reach the server").waitFor();
    await page.unroute("**/api");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Tenants Union" }).waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
  });
});
