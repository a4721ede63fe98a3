import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildUser, startInstance, type TestInstance } from "../../test/kit.ts";

describe("the /api endpoint", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  const post = (body: string, type = "application/json", headers: Record<string, string> = {}) =>
    inst.http.request("/api", { method: "POST", headers: { "content-type": type, ...headers }, body });

  test("snake_case field and argument names match the camelCase schema; response keys stay as written", async () => {
    const u = await buildUser(inst);
    const res = await inst.gql<{ logged_user: { default_actor: { preferred_username: string } } }>(
      `{ logged_user { default_actor { preferred_username } } }`,
      {},
      u.accessToken,
    );
    assert.equal(res.errors, undefined);
    assert.equal(res.data.logged_user.default_actor.preferred_username, u.username);
    const arg = await inst.gql<{ fetchPerson: { id: string } }>(`{ fetchPerson(preferred_username: "${u.username}") { id } }`);
    assert.equal(arg.data.fetchPerson.id, String(u.actor.id));
  });

  test("fields that cannot be merged by the strict rule are accepted, as Mobilizon's client needs", async () => {
    const u = await buildUser(inst);
    const res = await inst.gql<{ loggedPerson: { participations: { total: number } } }>(
      `{ loggedPerson { participations { total } participations(page: 1, limit: 5) { elements { id } } } }`,
      {},
      u.accessToken,
    );
    assert.equal(res.errors, undefined);
    assert.equal(res.data.loggedPerson.participations.total, 0);
  });

  test("features that have not landed answer empty pages, not invented data", async () => {
    const u = await buildUser(inst);
    const res = await inst.gql<{ loggedUser: Record<string, unknown> }>(
      `{ loggedUser { drafts { total elements { id } } participations { total } memberships { total } feedTokens { token } actors { organizedEvents { total } } } }`,
      {},
      u.accessToken,
    );
    assert.deepEqual(res.data.loggedUser, {
      drafts: { total: 0, elements: [] },
      participations: { total: 0 },
      memberships: { total: 0 },
      feedTokens: [],
      actors: [{ organizedEvents: { total: 0 } }],
    });
  });

  test("malformed requests get a clear error, never a 500; GraphQL-level errors answer 200 as Mobilizon's server does", async () => {
    const cases: [string, string, number][] = [
      ["{not json", "application/json", 400],
      ["[]", "application/json", 400],
      [JSON.stringify({ query: "{ loggedUser { " }), "application/json", 200],
      [JSON.stringify({ query: "{ noSuchField }" }), "application/json", 200],
      [JSON.stringify({ query: "{ config { name } }", variables: "nope" }), "application/json", 400],
      [JSON.stringify({ query: "{ config { name } }", operationName: 5 }), "application/json", 400],
      [JSON.stringify({ query: "x".repeat(200_000) }), "application/json", 200],
      ["x".repeat(1_100_000), "application/json", 413],
      ["query=1", "text/plain", 415],
      [JSON.stringify({ query: `{ ${"config { ".repeat(1)}name } }` }), "application/json", 200],
    ];
    for (const [i, [body, type, status]] of cases.entries()) {
      const res = await post(body, type);
      assert.equal(res.status, status, `${body.slice(0, 40)} → ${res.status}`);
      const json = (await res.json()) as { errors?: { message: string }[] };
      // Every case but the last (a valid query) is an error with a message.
      if (i < cases.length - 1) assert.ok(json.errors?.[0]?.message, "an error message");
    }
    const deep = `{ loggedUser { ${"defaultActor { user { ".repeat(8)} id ${"} } ".repeat(8)} } }`;
    const res = await post(JSON.stringify({ query: deep }));
    assert.equal(res.status, 200);
    assert.match(((await res.json()) as { errors: { message: string }[] }).errors[0].message, /nested too deeply/);
  });

  test("GET serves queries but refuses mutations", async () => {
    const q = await inst.http.request(`/api?query=${encodeURIComponent("{ config { name } }")}`);
    assert.equal(q.status, 200);
    assert.equal(((await q.json()) as { data: { config: { name: string } } }).data.config.name, "Convene");
    const m = await inst.http.request(`/api?query=${encodeURIComponent('mutation { sendResetPassword(email: "a@b.co") }')}`);
    assert.equal(m.status, 405);
  });

  test("an invalid or forged bearer token is anonymous, not an error", async () => {
    const res = await post(JSON.stringify({ query: "{ config { name } loggedUser { id } }" }), "application/json", { authorization: "Bearer forged.token.value" });
    const json = (await res.json()) as { data: { config: { name: string } }; errors: { code: string }[] };
    assert.equal(json.data.config.name, "Convene");
    assert.equal(json.errors[0].code, "unauthenticated");
  });

  test("healthz, security headers and the web app fallback", async () => {
    const h = await inst.http.request("/healthz");
    assert.deepEqual(await h.json(), { status: "ok" });
    // Over a real socket: the Node server sets the security headers on every answer (http/serve.ts).
    const url = await inst.listen();
    for (const path of ["/identity/create", "/api?query=%7Bconfig%7Bname%7D%7D", "/livez"]) {
      const res = await fetch(`${url}${path}`);
      assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'self'/, path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("referrer-policy"), "same-origin", path);
    }
    const page = await inst.http.request("/identity/create");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.equal((await inst.http.request("/assets/nope.js")).status, 404);
    assert.equal((await inst.http.request("/media/..%2F..%2Fetc%2Fpasswd")).status, 404);
    assert.equal((await inst.http.request("/assets/..%2F..%2Fpackage.json")).status, 404);
  });
});
