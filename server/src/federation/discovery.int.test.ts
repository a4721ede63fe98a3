// Discovery and the documents other servers read (federation.md §1, scenario 1 on one instance): WebFinger with the
// host's port, host-meta, NodeInfo 2.0/2.1 with the FEP-2677 link, actors with one publicKey object, events and
// comments by content negotiation, paged collections that always carry orderedItems, 410 + Tombstone once deleted.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, DIALECT, startInstance, type TestInstance } from "../../test/kit.ts";

const AP = { accept: "application/activity+json" };
type Json = Record<string, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(`federation discovery and documents (${DIALECT})`, () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance({ BASE_URL: "http://convene.test:8080" });
  });
  after(() => inst.stop());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await inst.http.request(path, { headers });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text);
    } catch {
      /* a page */
    }
    return { status: res.status, type: res.headers.get("content-type") ?? "", text, json };
  };

  test("WebFinger finds a person by acct with the port, and by URL; unknown and missing resources are refused", async () => {
    const u = await buildUser(inst, { username: "alice" });
    const r = await get("/.well-known/webfinger?resource=acct:alice@convene.test:8080");
    assert.equal(r.status, 200);
    assert.match(r.type, /application\/jrd\+json/);
    assert.equal(r.json.subject, "acct:alice@convene.test:8080");
    const self = r.json.links.find((l: Json) => l.rel === "self");
    assert.deepEqual(self, { rel: "self", type: "application/activity+json", href: "http://convene.test:8080/@alice" });
    assert.ok(r.json.links.some((l: Json) => l.rel === "http://ostatus.org/schema/1.0/subscribe" && String(l.template).includes("{uri}")));
    assert.equal((await get(`/.well-known/webfinger?resource=${encodeURIComponent(u.actor.url)}`)).json.subject, "acct:alice@convene.test:8080");
    assert.equal((await get("/.well-known/webfinger?resource=acct:relay@convene.test:8080")).json.links[0].href, "http://convene.test:8080/relay");
    assert.equal((await get("/.well-known/webfinger?resource=acct:alice@elsewhere.example")).status, 404);
    assert.equal((await get("/.well-known/webfinger?resource=acct:nobody@convene.test:8080")).status, 404);
    assert.equal((await get("/.well-known/webfinger?resource=acct:anonymous@convene.test:8080")).status, 404, "the stand-in for people without an account is nobody");
    assert.equal((await get("/.well-known/webfinger")).status, 400);
  });

  test("host-meta points to WebFinger; NodeInfo lists 2.0, 2.1 and the instance actor, which is fetchable unsigned", async () => {
    const hm = await get("/.well-known/host-meta");
    assert.match(hm.type, /application\/xrd\+xml/);
    assert.match(hm.text, /template="http:\/\/convene\.test:8080\/\.well-known\/webfinger\?resource=\{uri\}"/);
    const links = (await get("/.well-known/nodeinfo")).json.links as Json[];
    assert.deepEqual(links.map((l) => l.rel), ["http://nodeinfo.diaspora.software/ns/schema/2.0", "http://nodeinfo.diaspora.software/ns/schema/2.1", "https://www.w3.org/ns/activitystreams#Application"]);
    for (const v of ["2.0", "2.1"]) {
      const ni = await get(`/.well-known/nodeinfo/${v}`);
      assert.equal(ni.json.version, v);
      assert.equal(ni.json.software.name, "convene");
      assert.deepEqual(ni.json.protocols, ["activitypub"]);
      assert.equal(typeof ni.json.usage.users.total, "number");
      assert.equal(ni.json.metadata.nodeName, "Convene");
    }
    assert.equal((await get("/.well-known/nodeinfo/1.0")).status, 404);
    const relay = await get("/relay");
    assert.equal(relay.json.type, "Application");
    assert.equal(relay.json.preferredUsername, "relay");
    assert.equal(relay.json.manuallyApprovesFollowers, true);
    assert.equal(relay.json.inbox, "http://convene.test:8080/inbox");
  });

  test("a person is HTML to browsers and an actor to servers: one publicKey object, the shared inbox, summary never null", async () => {
    await buildUser(inst, { username: "bob" });
    const page = await get("/@bob", { accept: "text/html,application/xhtml+xml,*/*;q=0.8" });
    assert.match(page.type, /text\/html/);
    const a = await get("/@bob", AP);
    assert.match(a.type, /application\/activity\+json/);
    assert.equal(a.json.id, "http://convene.test:8080/@bob");
    assert.equal(a.json.type, "Person");
    assert.equal(a.json.summary, "");
    assert.equal(a.json.inbox, "http://convene.test:8080/@bob/inbox");
    assert.equal(a.json.endpoints.sharedInbox, "http://convene.test:8080/inbox");
    assert.equal(typeof a.json.publicKey, "object");
    assert.ok(!Array.isArray(a.json.publicKey), "Mobilizon reads publicKey as one object");
    assert.equal(a.json.publicKey.id, "http://convene.test:8080/@bob#main-key");
    assert.match(a.json.publicKey.publicKeyPem, /BEGIN PUBLIC KEY/);
    const again = await get("/@bob", { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' });
    assert.equal(again.json.publicKey.publicKeyPem, a.json.publicKey.publicKeyPem, "the key is made once and kept");
    assert.equal((await get("/@nobody_here", AP)).status, 404);
  });

  test("an event as Mobilizon reads it, with FEP-8a8e terms; drafts and private events are not served; deletion answers 410", async () => {
    const u = await buildUser(inst);
    const e = await buildEvent(inst, u, {
      title: "Repair café",
      tags: ["repair", "bikes"],
      opts: { timezone: "Europe/Paris", maximumAttendeeCapacity: 20, showRemainingAttendeeCapacity: true, commentModeration: "MODERATED" },
      join: "RESTRICTED",
      addr: { description: "Town hall", street: "1 place de la Mairie", locality: "Lyon", postalCode: "69001", country: "France", geom: "4.835;45.767" },
    });
    const r = await get(`/events/${e.uuid}`, AP);
    assert.equal(r.status, 200);
    const ev = r.json;
    assert.equal(ev.type, "Event");
    assert.equal(ev.id, `http://convene.test:8080/events/${e.uuid}`);
    assert.equal(ev.name, "Repair café");
    assert.match(ev.startTime, /T\d\d:00:00\+0[12]:00$/, "the start carries the event's own offset");
    assert.equal(ev.timezone, "Europe/Paris");
    assert.equal(ev.joinMode, "restricted");
    assert.equal(ev.repliesModerationOption, "moderated");
    assert.equal(ev.commentsEnabled, false);
    assert.equal(ev.maximumAttendeeCapacity, 20);
    assert.equal(ev.remainingAttendeeCapacity, 20, "the organizer takes no seat");
    assert.equal(ev.participantCount, 1);
    assert.equal(ev["ical:status"], "CONFIRMED");
    assert.deepEqual(ev.to, ["https://www.w3.org/ns/activitystreams#Public"]);
    assert.ok(Array.isArray(ev.cc));
    assert.deepEqual(ev.organizers, [u.actor.url]);
    assert.equal(ev.location.type, "Place");
    assert.equal(ev.location.address.addressLocality, "Lyon");
    assert.equal(ev.location.latitude, 45.767);
    assert.deepEqual(ev.tag.map((t: Json) => t.name).sort(), ["#bikes", "#repair"]);
    const html = await get(`/events/${e.uuid}`, { accept: "text/html" });
    assert.match(html.type, /text\/html/, "browsers get the page");

    const draft = await buildEvent(inst, u, { title: "Not yet", draft: true });
    assert.equal((await get(`/events/${draft.uuid}`, AP)).status, 404);
    const priv = await buildEvent(inst, u, { title: "Between us", vis: "PRIVATE" });
    assert.equal((await get(`/events/${priv.uuid}`, AP)).status, 404);

    await inst.gql(`mutation($id: ID!) { deleteEvent(eventId: $id) { id } }`, { id: e.id }, u.accessToken);
    const gone = await get(`/events/${e.uuid}`, AP);
    assert.equal(gone.status, 410);
    assert.equal(gone.json.type, "Tombstone");
    assert.equal(gone.json.formerType, "Event");
  });

  test("comments are Notes addressed to Public in an array; the outbox pages always carry orderedItems; bad pages are 400", async () => {
    const u = await buildUser(inst, { username: "carol" });
    const e = await buildEvent(inst, u, { title: "Picnic" });
    const c = await inst.gql<{ createComment: { id: string; uuid: string } }>(`mutation($e: ID!) { createComment(eventId: $e, text: "Bring bread") { id uuid } }`, { e: e.id }, u.accessToken);
    const note = (await get(`/comments/${c.data.createComment.uuid}`, AP)).json;
    assert.equal(note.type, "Note");
    assert.deepEqual(note.to, ["https://www.w3.org/ns/activitystreams#Public"]);
    assert.equal(note.inReplyTo, `http://convene.test:8080/events/${e.uuid}`);
    assert.equal(note.attributedTo, u.actor.url);

    const outbox = (await get("/@carol/outbox", AP)).json;
    assert.equal(outbox.type, "OrderedCollection");
    assert.equal(outbox.totalItems, 2);
    assert.equal(outbox.first.orderedItems.length, 2);
    assert.deepEqual(outbox.first.orderedItems.map((a: Json) => [a.type, a.object.type]).sort(), [["Create", "Event"], ["Create", "Note"]]);
    const empty = (await get("/@carol/outbox?page=5", AP)).json;
    assert.deepEqual(empty.orderedItems, [], "an empty page still says so");
    const followers = (await get("/@carol/followers", AP)).json;
    assert.deepEqual([followers.totalItems, followers.first.orderedItems], [0, []]);
    assert.equal((await get("/@carol/outbox?page=abc", AP)).status, 400);
    assert.equal((await get("/@carol/outbox?page=0", AP)).status, 400);

    await inst.gql(`mutation($c: ID!) { deleteComment(commentId: $c) { id } }`, { c: c.data.createComment.id }, u.accessToken);
    const gone = await get(`/comments/${c.data.createComment.uuid}`, AP);
    assert.deepEqual([gone.status, gone.json.type, gone.json.formerType], [410, "Tombstone", "Note"]);
  });

  test("a deleted profile answers 410 with a Tombstone", async () => {
    const u = await buildUser(inst, { username: "dora" });
    await inst.gql(`mutation { createPerson(preferredUsername: "dora_two") { id } }`, {}, u.accessToken);
    await inst.gql(`mutation($id: ID!) { deletePerson(id: $id) { id } }`, { id: String(u.actor.id) }, u.accessToken);
    const r = await get("/@dora", AP);
    assert.deepEqual([r.status, r.json.type, r.json.formerType], [410, "Tombstone", "Person"]);
  });
});

describe(`FEDERATION=false (${DIALECT})`, () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance({ FEDERATION: "false" });
  });
  after(() => inst.stop());

  test("no discovery, no actor documents, no inbox", async () => {
    for (const path of ["/.well-known/webfinger?resource=acct:a@convene.test", "/.well-known/nodeinfo", "/.well-known/host-meta", "/relay"])
      assert.equal((await inst.http.request(path)).status, 404, path);
    assert.equal((await inst.http.request("/inbox", { method: "POST", body: "{}" })).status, 404);
  });
});
