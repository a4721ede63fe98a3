import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken user { id email defaultActor { preferredUsername } } } }`;
const linkIn = (text: string, path: string) => {
  const m = text.match(new RegExp(`https?://[^\\s]+${path}/([A-Za-z0-9_-]+)`));
  assert.ok(m, `no ${path} link in: ${text}`);
  return m[1];
};

describe("accounts", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("register, receive the confirmation e-mail, register a first profile, confirm, log in", async () => {
    const email = "Alice@Example.org";
    const res = await inst.gql<{ createUser: { id: string; email: string; confirmedAt: string | null } }>(
      `mutation($e: String!, $p: String!) { createUser(email: $e, password: $p, locale: "fr") { id email confirmedAt locale } }`,
      { e: email, p: "a long enough password" },
    );
    assert.equal(res.errors, undefined);
    assert.equal(res.data.createUser.email, "alice@example.org");
    assert.equal(res.data.createUser.confirmedAt, null);

    // Not confirmed yet: login refused.
    expectError(await inst.gql(LOGIN, { email, password: "a long enough password" }), "account_not_confirmed");

    const person = await inst.gql<{ registerPerson: { preferredUsername: string; name: string } }>(
      `mutation { registerPerson(email: "alice@example.org", preferredUsername: "alice", name: "Alice") { preferredUsername name } }`,
    );
    assert.equal(person.data.registerPerson.preferredUsername, "alice");
    // A second registerPerson on the same account is refused.
    expectError(await inst.gql(`mutation { registerPerson(email: "alice@example.org", preferredUsername: "alice2") { id } }`), "forbidden");

    await inst.drain();
    const mail = await inst.mailbox.waitFor("alice@example.org", /Confirmez/);
    assert.match(mail.html, /<html lang="fr">/);
    const token = linkIn(mail.text, "/validate");

    const v = await inst.gql<{ validateUser: { accessToken: string; user: { defaultActor: { preferredUsername: string } } } }>(
      `mutation($t: String!) { validateUser(token: $t) { accessToken refreshToken user { confirmedAt defaultActor { preferredUsername } } } }`,
      { t: token },
    );
    assert.equal(v.errors, undefined);
    assert.equal(v.data.validateUser.user.defaultActor.preferredUsername, "alice");
    // The token works once.
    expectError(await inst.gql(`mutation($t: String!) { validateUser(token: $t) { accessToken } }`, { t: token }), "invalid_token");

    const login = await inst.gql<{ login: { accessToken: string; user: { email: string } } }>(LOGIN, { email: "alice@example.org", password: "a long enough password" });
    assert.equal(login.data.login.user.email, "alice@example.org");
    const me = await inst.gql<{ loggedUser: { email: string; locale: string; actors: { preferredUsername: string }[] } }>(
      `{ loggedUser { email locale actors { preferredUsername } } }`,
      {},
      login.data.login.accessToken,
    );
    assert.deepEqual(me.data.loggedUser, { email: "alice@example.org", locale: "fr", actors: [{ preferredUsername: "alice" }] });
  });

  test("registration refuses duplicates, weak passwords and malformed e-mails, changing nothing", async () => {
    await buildUser(inst, { email: "taken@example.org" });
    expectError(await inst.gql(`mutation { createUser(email: "TAKEN@example.org", password: "a long enough password") { id } }`), "conflict");
    expectError(await inst.gql(`mutation { createUser(email: "new@example.org", password: "short") { id } }`), "validation");
    expectError(await inst.gql(`mutation { createUser(email: "not-an-email", password: "a long enough password") { id } }`), "validation");
    assert.equal(await inst.services.users.findByEmail("new@example.org"), null);
    // Wrong argument types are GraphQL validation errors (HTTP 200, as Mobilizon answers them), not 500s.
    const wrong = await inst.gql(`mutation { createUser(email: 12, password: true) { id } }`);
    assert.equal(wrong.status, 200);
    assert.ok(wrong.errors?.length);
  });

  test("access tokens expire; refresh tokens rotate; a reused refresh token ends the session; logout revokes", async () => {
    const u = await buildUser(inst);
    const r1 = await inst.gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(
      `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`,
      { t: u.refreshToken },
    );
    const next = r1.data.refreshToken.refreshToken;
    assert.notEqual(next, u.refreshToken);
    // Reusing the old token: refused, and the whole family is revoked.
    expectError(await inst.gql(`mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }`, { t: u.refreshToken }), "invalid_token");
    expectError(await inst.gql(`mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }`, { t: next }), "invalid_token");

    const s = await inst.services.users.login(u.email, u.password, null);
    const out = await inst.gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: s.refreshToken }, s.accessToken);
    assert.equal(out.errors, undefined);
    expectError(await inst.gql(`mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }`, { t: s.refreshToken }), "invalid_token");

    // 16 minutes later the access token is no longer accepted.
    inst.clock.advance(16 * 60_000);
    try {
      expectError(await inst.gql(`{ loggedUser { id } }`, {}, s.accessToken), "unauthenticated");
    } finally {
      inst.clock.advance(-16 * 60_000);
    }
  });

  test("login is rate-limited per account after repeated failures", async () => {
    const u = await buildUser(inst);
    for (let i = 0; i < 10; i++) expectError(await inst.gql(LOGIN, { email: u.email, password: "wrong password!" }), "bad_credentials");
    // Even the right password is refused while the limit holds.
    expectError(await inst.gql(LOGIN, { email: u.email, password: u.password }), "rate_limited");
    inst.clock.advance(16 * 60_000);
    try {
      const ok = await inst.gql<{ login: { accessToken: string } }>(LOGIN, { email: u.email, password: u.password });
      assert.ok(ok.data.login.accessToken);
    } finally {
      inst.clock.advance(-16 * 60_000);
    }
  });

  test("change password: old one required, sessions revoked, notice e-mailed", async () => {
    const u = await buildUser(inst);
    expectError(
      await inst.gql(`mutation { changePassword(oldPassword: "nope nope nope", newPassword: "another long password") { id } }`, {}, u.accessToken),
      "bad_credentials",
    );
    const ok = await inst.gql(`mutation { changePassword(oldPassword: "${u.password}", newPassword: "another long password") { id } }`, {}, u.accessToken);
    assert.equal(ok.errors, undefined);
    expectError(await inst.gql(`mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }`, { t: u.refreshToken }), "invalid_token");
    expectError(await inst.gql(LOGIN, { email: u.email, password: u.password }), "bad_credentials");
    assert.ok((await inst.gql<{ login: unknown }>(LOGIN, { email: u.email, password: "another long password" })).data.login);
    await inst.drain();
    await inst.mailbox.waitFor(u.email, /password/i);
  });

  test("reset a forgotten password: same answer for unknown e-mails, single-use token", async () => {
    const u = await buildUser(inst);
    const known = await inst.gql<{ sendResetPassword: string }>(`mutation($e: String!) { sendResetPassword(email: $e) }`, { e: u.email });
    const unknown = await inst.gql<{ sendResetPassword: string }>(`mutation { sendResetPassword(email: "nobody@example.org") }`);
    assert.equal(known.errors, undefined);
    assert.equal(unknown.errors, undefined);
    assert.equal(unknown.data.sendResetPassword, "nobody@example.org");
    await inst.drain();
    assert.equal(inst.mailbox.to("nobody@example.org").length, 0);
    const mail = await inst.mailbox.waitFor(u.email, /Reset/);
    const token = linkIn(mail.text, "/password-reset");
    expectError(await inst.gql(`mutation($t: String!) { resetPassword(token: $t, password: "short") { accessToken } }`, { t: token }), "validation");
    const ok = await inst.gql<{ resetPassword: { accessToken: string } }>(
      `mutation($t: String!) { resetPassword(token: $t, password: "brand new password") { accessToken } }`,
      { t: token },
    );
    assert.ok(ok.data.resetPassword.accessToken);
    expectError(await inst.gql(`mutation($t: String!) { resetPassword(token: $t, password: "brand new password 2") { accessToken } }`, { t: token }), "invalid_token");
    expectError(await inst.gql(LOGIN, { email: u.email, password: u.password }), "bad_credentials");
  });

  test("change e-mail: confirm the new address, old address warned", async () => {
    const u = await buildUser(inst);
    const other = await buildUser(inst);
    expectError(await inst.gql(`mutation { changeEmail(email: "${other.email}", password: "${u.password}") { id } }`, {}, u.accessToken), "conflict");
    const r = await inst.gql<{ changeEmail: { email: string } }>(`mutation { changeEmail(email: "moved@example.org", password: "${u.password}") { email } }`, {}, u.accessToken);
    assert.equal(r.data.changeEmail.email, u.email);
    await inst.drain();
    await inst.mailbox.waitFor(u.email, /changing/);
    const token = linkIn((await inst.mailbox.waitFor("moved@example.org", /Confirm/)).text, "/validate/email");
    const v = await inst.gql<{ validateEmail: { email: string } }>(`mutation($t: String!) { validateEmail(token: $t) { email } }`, { t: token });
    assert.equal(v.errors, undefined, `${JSON.stringify(v.errors)} (token ${token})`);
    assert.equal(v.data.validateEmail.email, "moved@example.org");
  });

  test("settings and locale are saved; bad values are refused", async () => {
    const u = await buildUser(inst);
    const s = await inst.gql<{ setUserSettings: { timezone: string; notificationBeforeEvent: boolean; location: { range: number } } }>(
      `mutation { setUserSettings(timezone: "Europe/Paris", notificationBeforeEvent: true, location: { geohash: "u09tvw", range: 25, name: "Paris" }) { timezone notificationBeforeEvent location { range geohash name } } }`,
      {},
      u.accessToken,
    );
    assert.equal(s.data.setUserSettings.timezone, "Europe/Paris");
    assert.equal(s.data.setUserSettings.notificationBeforeEvent, true);
    assert.equal(s.data.setUserSettings.location.range, 25);
    assert.ok((await inst.gql(`mutation { setUserSettings(timezone: "Mars/Olympus") { timezone } }`, {}, u.accessToken)).errors);
    const l = await inst.gql<{ updateLocale: { locale: string } }>(`mutation { updateLocale(locale: "fr_FR") { locale } }`, {}, u.accessToken);
    assert.equal(l.data.updateLocale.locale, "fr");
    expectError(await inst.gql(`mutation { updateLocale(locale: "xx") { locale } }`, {}, u.accessToken), "validation");
  });

  test("strangers are refused: anonymous settings, user lists, other accounts", async () => {
    const u = await buildUser(inst);
    const other = await buildUser(inst);
    expectError(await inst.gql(`mutation { setUserSettings(timezone: "Europe/Paris") { timezone } }`), "unauthenticated");
    expectError(await inst.gql(`{ users { total } }`, {}, u.accessToken), "forbidden");
    expectError(await inst.gql(`{ user(id: "${other.user.id}") { email } }`, {}, u.accessToken), "forbidden");
    expectError(await inst.gql(`mutation { deleteAccount(userId: "${other.user.id}") { id } }`, {}, u.accessToken), "forbidden");
    assert.ok(await inst.services.users.findById(other.user.id));
    const admin = await buildUser(inst, { role: "ADMINISTRATOR" });
    const list = await inst.gql<{ users: { total: number; elements: { email: string }[] } }>(`{ users(limit: 100) { total elements { email } } }`, {}, admin.accessToken);
    assert.ok(list.data.users.total >= 3);
  });

  test("delete the account with its password; its profiles go with it", async () => {
    const u = await buildUser(inst);
    expectError(await inst.gql(`mutation { deleteAccount(password: "wrong password") { id } }`, {}, u.accessToken), "bad_credentials");
    const d = await inst.gql<{ deleteAccount: { id: string } }>(`mutation { deleteAccount(password: "${u.password}") { id } }`, {}, u.accessToken);
    assert.equal(d.data.deleteAccount.id, String(u.user.id));
    assert.equal(await inst.services.users.findById(u.user.id), null);
    assert.equal(await inst.services.actors.findById(u.actor.id), null);
    // The username stays reserved.
    const again = await buildUser(inst);
    expectError(await inst.gql(`mutation { createPerson(preferredUsername: "${u.username}") { id } }`, {}, again.accessToken), "conflict");
  });
});

describe("registration rules", () => {
  test("closed registrations, allow-list and deny-list", async () => {
    const inst = await startInstance({ REGISTRATIONS_OPEN: "false", REGISTRATIONS_ALLOWLIST: "ok.example, vip@other.example", REGISTRATIONS_DENYLIST: "bad.ok.example" });
    try {
      const q = (e: string) => inst.gql(`mutation($e: String!) { createUser(email: $e, password: "a long enough password") { id } }`, { e });
      expectError(await q("someone@elsewhere.example"), "registrations_closed");
      expectError(await q("x@bad.ok.example"), "email_not_allowed");
      assert.equal((await q("x@ok.example")).errors, undefined);
      assert.equal((await q("x@sub.ok.example")).errors, undefined);
      assert.equal((await q("vip@other.example")).errors, undefined);
      expectError(await q("other@other.example"), "registrations_closed");
    } finally {
      await inst.stop();
    }
  });
});
