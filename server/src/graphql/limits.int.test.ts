// What one request may ask of the GraphQL endpoint (graphql/limits.ts, docs/security.md). Each shape here took the
// instance down or held it for seconds before the limits existed; now each is refused at once with a clear message.
// The time bounds asserted are loose on purpose (a loaded CI machine): what they catch is exponential or unbounded
// work, which takes minutes. The figures themselves are in bench/RESULTS-limits.md.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, inDays, startInstance, type TestInstance } from "../../test/kit.ts";

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; code?: string; status_code?: number }[] };

describe("GraphQL request limits", () => {
  let inst: TestInstance;
  let u: Awaited<ReturnType<typeof buildUser>>;
  before(async () => {
    inst = await startInstance();
    u = await buildUser(inst);
    for (let i = 0; i < 3; i++) await buildEvent(inst, u, { title: `Meetup ${i}`, tags: ["music"] });
  });
  after(() => inst.stop());

  const post = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const t0 = performance.now();
    const res = await inst.http.request("/api", {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Body;
    return { status: res.status, body, ms: performance.now() - t0 };
  };
  const get = async (query: string) => {
    const t0 = performance.now();
    const res = await inst.http.request(`/api?query=${encodeURIComponent(query)}`);
    return { status: res.status, body: (await res.json()) as Body, ms: performance.now() - t0 };
  };
  const refused = (r: { status: number; body: Body }, pattern: RegExp) => {
    assert.equal(r.status, 200, "GraphQL-level refusals answer HTTP 200, as Mobilizon's server does");
    assert.equal(r.body.data ?? null, null, "nothing ran");
    assert.match(r.body.errors?.[0]?.message ?? "", pattern);
    assert.doesNotMatch(JSON.stringify(r.body), /RangeError|stack|internal/i);
  };

  test("a chain of 40 fragments that each spread the next twice is checked in linear time", async () => {
    const frags = Array.from({ length: 40 }, (_, i) =>
      i === 39 ? `fragment F${i + 1} on RootQueryType { config { name } }` : `fragment F${i + 1} on RootQueryType { ...F${i + 2} ...F${i + 2} }`,
    ).join("\n");
    const query = `query { ...F1 }\n${frags}`;
    for (const r of [await post(query), await get(query)]) {
      assert.equal(r.status, 200);
      assert.ok(r.ms < 1000, `took ${r.ms} ms`);
      assert.deepEqual(r.body.errors, undefined);
      assert.equal((r.body.data as { config: { name: string } }).config.name, "Convene");
    }
  });

  test("a cycle of 40 fragments is refused at once", async () => {
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on RootQueryType { config { name } ...F${(i + 1) % 40 + 1} }`).join("\n");
    for (const r of [await post(`query { ...F1 }\n${frags}`), await get(`query { ...F1 }\n${frags}`)]) {
      refused(r, /Cannot spread fragment/);
      assert.ok(r.ms < 1000, `took ${r.ms} ms`);
    }
  });

  test("nested lists multiply: related events of related events, organizers' events of organizers' events", async () => {
    const uuid = (await buildEvent(inst, u)).uuid;
    const related = `{ event(uuid: "${uuid}") { ${"relatedEvents { id ".repeat(10)}${"} ".repeat(10)} } }`;
    refused(await post(related), /asks for too much at once/);
    const organizers = `{ event(uuid: "${uuid}") { organizerActor { ... on Person { organizedEvents(limit: 100) { elements { organizerActor { ... on Person { organizedEvents(limit: 100) { elements { organizerActor { ... on Person { organizedEvents(limit: 100) { elements { title } } } } } } } } } } } } } }`;
    const r = await post(organizers);
    refused(r, /asks for too much at once/);
    assert.ok(r.ms < 1000, `took ${r.ms} ms`);
    // One level of the same is an ordinary profile page and runs.
    const one = await post(`{ event(uuid: "${uuid}") { organizerActor { ... on Person { organizedEvents(limit: 100) { total elements { title } } } } } }`);
    assert.equal(one.body.errors, undefined);
  });

  test("aliases cannot repeat an expensive field: a thousand are refused, forty that fan out too", async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: searchEvents(limit: 100) { elements { ... on Event { comments { id } } } }`).join(" ")} }`;
    const r = await post(aliased(1000));
    refused(r, /more that 15000 tokens/);
    assert.ok(r.ms < 1000, `took ${r.ms} ms`);
    refused(await post(aliased(300)), /300 aliases \(at most 50\)/);
    const forty = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: searchEvents(limit: 100) { elements { ... on Event { comments { id } } } }`).join(" ")} }`;
    refused(await post(forty), /asks for too much at once/);
    // The cost follows the limit a variable asks for.
    const page = `query($n: Int) { searchEvents(limit: $n) { elements { ... on Event { participants(limit: 100) { elements { id } } } } } }`;
    refused(await post(page, { n: 100 }), /asks for too much at once/);
    const small = await post(page, { n: 5 });
    assert.equal(small.body.errors, undefined);
  });

  test("one place search per request, whatever the aliases", async () => {
    const r = await post(`{ a: searchAddress(query: "Paris") { locality } b: searchAddress(query: "Lyon") { locality } }`);
    assert.equal(r.status, 200);
    const data = r.body.data as { a: unknown[] | null; b: unknown[] | null };
    assert.ok(Array.isArray(data.a), "the first search runs");
    assert.equal(data.b, null);
    assert.match(r.body.errors?.[0].message ?? "", /One place search per request/);
  });

  test("lists in arguments are bounded before they reach SQL", async () => {
    const many = Array.from({ length: 33_000 }, (_, i) => `c${i}`);
    const q = `query($c: [String], $l: [String], $s: [EventStatus]) { searchEvents(categoryOneOf: $c, languageOneOf: $l, statusOneOf: $s) { total } }`;
    refused(await post(q, { c: many }), /at most 100 items/);
    refused(await post(q, { l: many }), /at most 100 items/);
    refused(await post(q, { s: Array(200).fill("CONFIRMED") }), /at most 100 items/);
    const literal = `{ searchEvents(categoryOneOf: [${many.slice(0, 500).map((c) => `"${c}"`).join(",")}]) { total } }`;
    refused(await post(literal), /at most 100 items/);
    const tags = await post(`query($t: String) { searchEvents(tags: $t) { total } }`, { t: many.join(",") });
    assert.match(tags.body.errors?.[0].message ?? "", /at most 20 tags/);
    // Lists of an ordinary size still work.
    const ok = await post(q, { c: ["MEETING", "MUSIC"], l: ["en", "fr"], s: ["CONFIRMED"] });
    assert.equal(ok.body.errors, undefined);
  });

  test("thousands of nested brackets are the client's error, not a stack overflow", async () => {
    refused(await post(`{ ${"a { ".repeat(9000)}${"} ".repeat(9000)} }`), /nests brackets too deeply/);
    refused(await post(`{ config(x: ${"[".repeat(9000)}${"]".repeat(9000)}) { name } }`), /nests brackets too deeply/);
    // Brackets inside strings and comments do not count.
    const text = await post(`# ${"{".repeat(500)}\n{ searchEvents(term: "${"{".repeat(500)}") { total } }`);
    assert.equal(text.body.errors, undefined);
    // Deeply nested variables are refused too (JSON.parse copes with them; the check walks them without recursing far).
    const res = await inst.http.request("/api", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"query":"query($t: String) { searchEvents(term: $t) { total } }","variables":{"t":${"[".repeat(5000)}${"]".repeat(5000)}}}`,
    });
    refused({ status: res.status, body: (await res.json()) as Body }, /nested too deeply/);
  });

  test("validation errors answer HTTP 200 with Mobilizon's error shape", async () => {
    const r = await post(`{ noSuchField }`);
    assert.equal(r.status, 200);
    assert.equal(r.body.errors?.[0].code, "bad_request");
    assert.equal(r.body.errors?.[0].status_code, 400);
    const syntax = await post(`{ loggedUser { `);
    assert.equal(syntax.status, 200);
    assert.match(syntax.body.errors?.[0].message ?? "", /Syntax Error/);
  });

  test("the document cache is bounded by size, and refused documents are not kept", async () => {
    const before = inst.graphql.cacheStats();
    // Refused: too many aliases (94 KB each, as in the report that grew the server to 2.4 GB).
    for (let i = 0; i < 50; i++) {
      const q = `{ ${Array.from({ length: 5000 }, (_, k) => `a${k}_${i}: __typename`).join(" ")} }`;
      refused(await post(q), /too long|tokens|aliases/);
    }
    assert.equal(inst.graphql.cacheStats().entries, before.entries);
    // Valid and large: kept, but the cache never holds more than its budget.
    for (let i = 0; i < 30; i++) {
      const q = `{ ${"__typename ".repeat(5000)} config { name${" ".repeat(i)} } }`;
      const r = await post(q);
      assert.equal(r.body.errors, undefined);
    }
    const after = inst.graphql.cacheStats();
    assert.ok(after.bytes <= 20 * 1024 * 1024, `cache holds ${after.bytes} bytes`);
    assert.ok(after.entries < before.entries + 30, "old entries were evicted");
  });

  test("the heaviest pages of Mobilizon's client shapes still run: an event with its comment threads and related events", async () => {
    const e = await buildEvent(inst, u, { title: "Big thread", b: inDays(3) });
    for (let i = 0; i < 3; i++) {
      const c = await inst.gql<{ createComment: { id: string } }>(`mutation($e: ID!) { createComment(eventId: $e, text: "Hello") { id } }`, { e: e.id }, u.accessToken);
      await inst.gql(`mutation($e: ID!, $r: ID) { createComment(eventId: $e, text: "Reply", inReplyToCommentId: $r) { id } }`, { e: e.id, r: c.data.createComment.id }, u.accessToken);
    }
    const actor = `id preferredUsername name domain avatar { id url } type url`;
    const comment = `id uuid url text visibility local actor { ${actor} } totalReplies insertedAt updatedAt deletedAt publishedAt isAnnouncement language`;
    const q = `query($uuid: UUID!) { event(uuid: $uuid) { id uuid title description beginsOn endsOn
      picture { id url } physicalAddress { id description locality } organizerActor { ${actor} } attributedTo { ${actor} }
      participantStats { going notApproved participant } tags { id slug title } options { maximumAttendeeCapacity remainingAttendeeCapacity }
      comments { ${comment} inReplyToComment { ${comment} } originComment { ${comment} } replies { ${comment} inReplyToComment { ${comment} } originComment { ${comment} } } }
      relatedEvents { id uuid title beginsOn picture { id url } organizerActor { ${actor} } participantStats { going } } } }`;
    const r = await post(q, { uuid: e.uuid }, u.accessToken);
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
    const ev = (r.body.data as { event: { comments: { replies: unknown[] }[] } }).event;
    assert.equal(ev.comments.length, 3);
    assert.equal(ev.comments[0].replies.length, 1);
  });

  test("review findings: introspection, a variable named __proto__, comment lists, escaped block strings", async () => {
    // One introspection is what tools ask for; fifty aliases of it were a 70 MB answer.
    const schema = `__schema { types { name fields { name type { name ofType { name } } } } }`;
    const one = await post(`{ ${schema} }`);
    assert.equal(one.body.errors, undefined);
    refused(await post(`{ ${Array.from({ length: 50 }, (_, i) => `s${i}: ${schema}`).join(" ")} }`), /asks for too much at once/);
    // A variable named __proto__ counts like any other.
    const proto = `query($__proto__: Int) { searchEvents(limit: $__proto__) { elements { ... on Event { organizerActor { ... on Person { organizedEvents(limit: $__proto__) { elements { organizerActor { ... on Person { organizedEvents(limit: $__proto__) { elements { id } } } } } } } } } } } }`;
    const r = await inst.http.request("/api", { method: "POST", headers: { "content-type": "application/json" }, body: `{"query":${JSON.stringify(proto)},"variables":{"__proto__":100}}` });
    refused({ status: r.status, body: (await r.json()) as Body }, /asks for too much at once/);
    // An event's comments are counted as what they may hold: a few aliases of them are refused.
    const e = await buildEvent(inst, u);
    refused(await post(`{ ${Array.from({ length: 10 }, (_, i) => `e${i}: event(uuid: "${e.uuid}") { comments { text } }`).join(" ")} }`), /asks for too much at once/);
    assert.equal((await post(`{ event(uuid: "${e.uuid}") { comments { text } } }`)).body.errors, undefined);
    // An escaped """ inside a block string does not end it for the bracket check either.
    refused(await post(`{ __typename(a: """\\"""""", b: ${"[".repeat(7000)}${"]".repeat(7000)}) }`), /nests brackets too deeply|nested too deeply/);
  });
});
