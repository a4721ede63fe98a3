// Addresses, login limits and the links that must stop working (docs/security.md, "Sessions and addresses").
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addressKey } from "../../kernel/index.ts";
import { buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;
const linkIn = (text: string, path: string) => {
  const m = text.match(new RegExp(`https?://[^\\s]+${path}/([A-Za-z0-9_-]+)`));
  assert.ok(m, `no ${path} link in: ${text}`);
  return m[1];
};
const code = (e: unknown) => (e as { code?: string }).code;

describe("sessions and addresses", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance({ TRUST_PROXY: "true" });
  });
  after(() => inst.stop());

  test("behind a trusted proxy the client is the rightmost untrusted X-Forwarded-For entry, never one the client wrote", async () => {
    const url = await inst.listen();
    const u = await buildUser(inst);
    const admin = await buildUser(inst, { role: "ADMINISTRATOR" });
    const signInIp = async (xff: string | null) => {
      const res = await fetch(`${url}/api`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(xff ? { "x-forwarded-for": xff } : {}) },
        body: JSON.stringify({ query: LOGIN, variables: { email: u.email, password: u.password } }),
      });
      assert.equal(((await res.json()) as { errors?: unknown }).errors, undefined);
      const r = await inst.gql<{ user: { currentSignInIp: string } }>(`query($id: ID!) { user(id: $id) { currentSignInIp } }`, { id: String(u.user.id) }, admin.accessToken);
      return r.data.user.currentSignInIp;
    };
    // The peer (127.0.0.1, trusted) appended what it saw; the client wrote "6.6.6.6" itself.
    assert.equal(await signInIp("6.6.6.6, 203.0.113.7"), "203.0.113.7");
    // Two trusted hops: still the first untrusted address from the right.
    assert.equal(await signInIp("6.6.6.6, 203.0.113.7, 127.0.0.1"), "203.0.113.7");
    assert.equal(await signInIp("garbage, 203.0.113.9"), "203.0.113.9");
    assert.equal(await signInIp(null), "127.0.0.1");
  });

  test("IPv6 addresses count by /64 for limits", () => {
    assert.equal(addressKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    assert.equal(addressKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
    assert.equal(addressKey("2001:db8::1"), "2001:db8:0:0::/64");
    assert.equal(addressKey("::1"), "0:0:0:0::/64");
    assert.equal(addressKey("203.0.113.7"), "203.0.113.7");
  });

  test("concurrent guesses are counted before the password is checked: at most 10 get verified", async () => {
    const u = await buildUser(inst);
    const tries = await Promise.allSettled(Array.from({ length: 200 }, () => inst.services.users.login(u.email, "wrong password!", "198.51.100.1")));
    const verified = tries.filter((t) => t.status === "rejected" && code(t.reason) === "bad_credentials").length;
    const limited = tries.filter((t) => t.status === "rejected" && code(t.reason) === "rate_limited").length;
    assert.equal(verified, 10);
    assert.equal(limited, 190);
  });

  test("guessing from many addresses slows down, stops at a ceiling, and never locks the owner out where they signed in before", async () => {
    const u = await buildUser(inst);
    // The owner signed in once from their usual address.
    await inst.services.users.login(u.email, u.password, "192.0.2.10");
    const guess = async (ip: string) => {
      try {
        await inst.services.users.login(u.email, "wrong password!", ip);
        return "verified";
      } catch (e) {
        return code(e);
      }
    };
    // Past 20 attempts on the account, one address gets one guess every 10 seconds.
    for (let i = 0; i < 20; i++) await guess(`198.51.100.${i}`);
    assert.equal(await guess("198.51.100.200"), "bad_credentials");
    assert.equal(await guess("198.51.100.200"), "rate_limited", "the same address again at once");
    // Past the ceiling, addresses the account never signed in from are refused outright.
    let limited = 0;
    for (let i = 0; i < 100; i++) if ((await guess(`203.0.113.${i}`)) === "rate_limited") limited++;
    assert.ok(limited >= 15, `past the ceiling (${limited} of 100 refused)`);
    // The owner at their usual address gets in at once.
    const s = await inst.services.users.login(u.email, u.password, "192.0.2.10");
    assert.ok(s.accessToken);
    // At a new address, once the window of attempts has passed.
    inst.clock.advance(16 * 60_000);
    try {
      const t = await inst.services.users.login(u.email, u.password, "192.0.2.201");
      assert.ok(t.accessToken);
    } finally {
      inst.clock.advance(-16 * 60_000);
    }
  });

  test("a password change voids reset links sent before it", async () => {
    const u = await buildUser(inst);
    await inst.gql(`mutation($e: String!) { sendResetPassword(email: $e) }`, { e: u.email });
    await inst.drain();
    const token = linkIn((await inst.mailbox.waitFor(u.email, /reset|réinitialis/i)).text, "/password-reset");
    const changed = await inst.gql(`mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { id } }`, { o: u.password, n: "a brand new password" }, u.accessToken);
    assert.equal(changed.errors, undefined);
    expectError(await inst.gql(`mutation($t: String!) { resetPassword(token: $t, password: "the attacker's pick") { accessToken } }`, { t: token }), "invalid_token");
  });

  test("a pending e-mail change does not block the address's owner from signing up", async () => {
    const u = await buildUser(inst);
    const r = await inst.gql(`mutation { changeEmail(email: "victim@example.net", password: "${u.password}") { id } }`, {}, u.accessToken);
    assert.equal(r.errors, undefined);
    const signUp = await inst.gql<{ createUser: { email: string } }>(`mutation { createUser(email: "victim@example.net", password: "the victim's password") { email } }`);
    assert.equal(signUp.errors, undefined, JSON.stringify(signUp.errors));
    await inst.drain();
    const token = linkIn((await inst.mailbox.waitFor("victim@example.net", /./)).text, "/validate/email");
    // The change can no longer complete: the address belongs to its owner now.
    expectError(await inst.gql(`mutation($t: String!) { validateEmail(token: $t) { id } }`, { t: token }), "conflict");
  });

  test("registerPerson without a session only for a new, unconfirmed account; refusals read the same", async () => {
    const create = (email: string, username: string, token?: string) =>
      inst.gql(`mutation($e: String!, $u: String!) { registerPerson(email: $e, preferredUsername: $u) { preferredUsername } }`, { e: email, u: username }, token);
    // A confirmed account without a profile (made by an admin): a stranger cannot plant its first identity.
    const confirmed = await inst.services.users.adminCreate({ email: "confirmed@example.org", password: "a long enough password" });
    const planted = await create("confirmed@example.org", "planted");
    expectError(planted, "forbidden");
    // The same answer for an address without an account.
    const none = await create("nobody@example.org", "nobody");
    expectError(none, "forbidden");
    assert.equal(none.errors![0].message, planted.errors![0].message);
    // An account older than an hour, still unconfirmed: the same.
    await inst.gql(`mutation { createUser(email: "slow@example.org", password: "a long enough password") { id } }`);
    inst.clock.advance(2 * 3600_000);
    try {
      expectError(await create("slow@example.org", "slow"), "forbidden");
    } finally {
      inst.clock.advance(-2 * 3600_000);
    }
    // Right after sign-up, as Mobilizon 5.1's sign-up page does it: allowed.
    await inst.gql(`mutation { createUser(email: "fresh@example.org", password: "a long enough password") { id } }`);
    const fresh = await create("fresh@example.org", "fresh");
    assert.equal(fresh.errors, undefined);
    // With the account's own session: allowed; with someone else's: refused.
    const other = await buildUser(inst);
    expectError(await create("confirmed@example.org", "planted2", other.accessToken), "forbidden");
    const login = await inst.services.users.login("confirmed@example.org", "a long enough password", null);
    const own = await create("confirmed@example.org", "mine", login.accessToken);
    assert.equal(own.errors, undefined);
    assert.ok(confirmed.id);
  });

  test("review findings: huge typed addresses make small counters; a guesser's pace does not hold back the owner elsewhere", async () => {
    // A 480 KB "e-mail": refused like any wrong login, and the counters' keys stay small (PostgreSQL's index refused
    // keys of more than 2.7 KB with an internal error).
    for (const size of [5_000, 480_000]) {
      const huge = `${"a".repeat(size)}@example.org`;
      const r = await inst.gql(`mutation($e: String!) { login(email: $e, password: "whatever it is") { accessToken } }`, { e: huge });
      expectError(r, "bad_credentials");
    }
    const longest = await inst.database.db.selectFrom("rate_limits").select((eb) => eb.fn.max(eb.fn("length", ["key"])).as("n")).executeTakeFirstOrThrow();
    assert.ok(Number(longest.n) < 200, `longest key: ${longest.n}`);

    // An attacker keeps one guess going every few seconds from a fresh address; the owner, at an address of their own
    // they never used before, still gets in.
    const u = await buildUser(inst);
    for (let i = 0; i < 25; i++) await inst.services.users.login(u.email, "wrong password!", `198.51.100.${i}`).catch(() => null);
    await inst.services.users.login(u.email, "wrong password!", "203.0.113.99").catch(() => null);
    const s = await inst.services.users.login(u.email, u.password, "192.0.2.200");
    assert.ok(s.accessToken);
  });
});
