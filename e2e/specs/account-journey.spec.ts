// The journey of issue 2, in Chromium on a phone-sized screen: register, confirm from the e-mail, see the first
// profile, create a second one with a picture, switch, edit and delete profiles, change password, e-mail and
// language, log out, reset a forgotten password, delete the account.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { axeViolations, linkIn, openBrowser, skipReason, startServer, type Server } from "../harness.ts";

describe("account and identities journey", { skip: skipReason }, () => {
  let server: Server;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  before(async () => {
    server = await startServer();
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const email = "journey@example.org";
  const password = "first password 123";

  test("register, confirm by e-mail, land on the first profile", async () => {
    const { page } = browser;
    await page.goto(server.url);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("E-mail address").fill(email);
    await page.getByLabel("Password", { exact: false }).first().fill("short");
    await page.getByRole("button", { name: "Create my account" }).click();
    await page.getByText("at least 8 characters long").waitFor();
    await page.getByLabel("Password", { exact: false }).first().fill(password);
    await page.getByRole("button", { name: "Create my account" }).click();

    await page.getByRole("heading", { name: "Create your profile" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel("Display name").fill("Journey Person");
    assert.equal(await page.getByLabel("Username").inputValue(), "journey_person");
    await page.getByRole("button", { name: "Create my profile" }).click();
    await page.getByRole("heading", { name: "Check your mailbox" }).waitFor();

    const mail = await server.waitForMail(email, /Confirm your account/);
    await page.goto(server.url + linkIn(mail.text, "/validate"));
    await page.getByRole("heading", { name: "My profiles" }).waitFor();
    await page.getByText("Your account is confirmed.").waitFor();
    await page.getByText("@journey_person").waitFor();
    assert.deepEqual(await axeViolations(page), []);
  });

  test("create a second profile with a picture and a description, then switch to it", async () => {
    const { page } = browser;
    await page.getByRole("link", { name: "Create a profile" }).click();
    await page.getByLabel("Username").fill("second_me");
    await page.getByLabel("Display name").fill("Second Me");
    await page.getByLabel("Description").fill("I organise the bike repair café.");
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#2a9d8f" } }).png().toBuffer();
    await page.getByLabel("Profile picture").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png });
    await page.getByLabel("Description of the picture").fill("A green square");
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole("button", { name: "Create a profile" }).click();
    await page.getByRole("heading", { name: "My profiles" }).waitFor();
    const avatar = page.getByRole("img", { name: "A green square" });
    await avatar.waitFor();
    await page.waitForFunction(() => {
      const img = [...document.images].find((i) => i.alt === "A green square");
      return !!img && img.complete && img.naturalWidth > 0;
    });

    await page.getByRole("button", { name: "Use this profile (Second Me)" }).click();
    await page.getByText("You now act as Second Me.").waitFor();
    await page.goto(server.url + "/");
    await page.getByRole("heading", { name: "Welcome, Second Me!" }).waitFor();
  });

  test("edit one profile and delete the other, with the keyboard", async () => {
    const { page } = browser;
    await page.goto(server.url + "/identities");
    await page.getByRole("link", { name: "Edit (Journey Person)" }).click();
    const name = page.getByLabel("Display name");
    await name.fill("Journey Renamed");
    await name.press("Enter");
    await page.getByText("Saved.").waitFor();
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete this profile" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "My profiles" }).waitFor();
    await page.getByText("@second_me").waitFor();
    assert.equal(await page.getByText("@journey_person").count(), 0);
  });

  test("change the language, the password and the e-mail address", async () => {
    const { page } = browser;
    // The navigation is behind a menu button on a phone.
    await page.getByRole("button", { name: "Main navigation" }).click();
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Language of e-mails and of the interface").selectOption("fr");
    await page.getByRole("form", { name: "Language" }).getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Paramètres du compte" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "fr");
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel("Mot de passe actuel").fill(password);
    await page.getByLabel("Nouveau mot de passe").fill("second password 456");
    await page.getByRole("button", { name: "Changer mon mot de passe" }).click();
    await page.getByText("Votre mot de passe a été changé.").waitFor();
    await server.waitForMail(email, /mot de passe/);

    await page.getByLabel("Nouvelle adresse e-mail").fill("moved@example.org");
    await page.locator("form", { has: page.getByRole("button", { name: "Changer mon e-mail" }) }).getByLabel(/^Mot de passe( \*)?$/).fill("second password 456");
    await page.getByRole("button", { name: "Changer mon e-mail" }).click();
    await page.getByText("Un lien de confirmation a été envoyé à moved@example.org").waitFor();
    const mail = await server.waitForMail("moved@example.org", /Confirmez/);
    await page.goto(server.url + linkIn(mail.text, "/validate/email"));
    await page.getByText("Votre adresse e-mail est maintenant moved@example.org.").waitFor();
  });

  test("log out, reset the forgotten password, log in, delete the account", async () => {
    const { page } = browser;
    await page.getByRole("button", { name: "Navigation principale" }).click();
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.getByRole("link", { name: "Créer un compte" }).waitFor();

    await page.goto(server.url + "/login");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    // The login page has an e-mail field too: fill the reset page's, once it is shown.
    await page.getByRole("heading", { name: "Réinitialiser votre mot de passe" }).waitFor();
    await page.getByLabel("Adresse e-mail").fill("moved@example.org");
    await page.getByRole("button", { name: "Envoyer le lien" }).click();
    await page.getByText("Si un compte utilise moved@example.org").waitFor();
    const mail = await server.waitForMail("moved@example.org", /Réinitialisez/);
    await page.goto(server.url + linkIn(mail.text, "/password-reset"));
    await page.getByLabel("Nouveau mot de passe").fill("third password 789");
    await page.getByLabel("Confirmez le mot de passe").fill("third password 789");
    await page.getByRole("button", { name: "Changer mon mot de passe" }).click();
    await page.getByRole("heading", { name: /Bienvenue/ }).waitFor();

    await page.getByRole("button", { name: "Navigation principale" }).click();
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    // Wait for the log-out to finish: /login sends a logged-in visitor home, where there is no e-mail field.
    await page.getByRole("link", { name: "Créer un compte" }).waitFor();
    await page.goto(server.url + "/login");
    await page.getByLabel("Adresse e-mail").fill("moved@example.org");
    await page.getByLabel(/^Mot de passe( \*)?$/).fill("wrong password!!");
    await page.getByLabel(/^Mot de passe( \*)?$/).press("Enter");
    await page.getByRole("alert").getByText("Adresse e-mail ou mot de passe incorrect.").waitFor();
    await page.getByLabel(/^Mot de passe( \*)?$/).fill("third password 789");
    await page.getByLabel(/^Mot de passe( \*)?$/).press("Enter");
    await page.getByRole("heading", { name: /Bienvenue/ }).waitFor();

    await page.goto(server.url + "/settings/account/general");
    await page.locator("form", { has: page.getByRole("button", { name: "Supprimer mon compte" }) }).getByLabel(/^Mot de passe( \*)?$/).fill("third password 789");
    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Supprimer mon compte" }).click();
    await page.getByRole("link", { name: "Créer un compte" }).waitFor();
    const res = await fetch(`${server.url}/api`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `mutation { login(email: "moved@example.org", password: "third password 789") { accessToken } }` }),
    });
    assert.equal(((await res.json()) as { errors: { code: string }[] }).errors[0].code, "bad_credentials");
  });
});
