// Two Convene instances as separate processes on 127.0.0.2 and 127.0.0.3 (federation.md §7, scenarios 1–5):
// discovery, an instance follow approved by the other side's administrator with the crawl of its outbox, an event's
// round trip with every field, repeated updates, and a deletion confirmed by 410.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DIALECT } from "../../test/kit.ts";
import { startPeer, until, type Peer } from "../../test/peers.ts";

const EVENT = `query($uuid: UUID!) { event(uuid: $uuid) { id uuid url title description beginsOn endsOn status visibility joinOptions onlineAddress category local
  options { timezone maximumAttendeeCapacity commentModeration isOnline }
  physicalAddress { description street locality postalCode country geom }
  tags { title } metadata { key value type }
  organizerActor { preferredUsername domain url } } }`;

const CREATE = `mutation($a: ID!, $title: String!, $b: DateTime!, $e: DateTime, $addr: AddressInput, $opts: EventOptionsInput, $tags: [String], $meta: [EventMetadataInput], $online: String, $cat: EventCategory, $join: EventJoinOptions) {
  createEvent(organizerActorId: $a, title: $title, description: "<p>Bring <strong>tools</strong></p>", beginsOn: $b, endsOn: $e, physicalAddress: $addr, options: $opts, tags: $tags, metadata: $meta, onlineAddress: $online, category: $cat, joinOptions: $join) { id uuid url } }`;

describe(`two instances on loopback (${DIALECT})`, { timeout: 120_000 }, () => {
  let a: Peer;
  let b: Peer;
  let aliceA: Awaited<ReturnType<Peer["user"]>>;
  let adminA: Awaited<ReturnType<Peer["user"]>>;
  let adminB: Awaited<ReturnType<Peer["user"]>>;
  const later = (days: number, hour: number) => {
    const d = new Date();
    d.setUTCDate(d.getUTCDate() + days);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };

  before(async () => {
    [a, b] = await Promise.all([startPeer("127.0.0.2"), startPeer("127.0.0.3")]);
    aliceA = await a.user("alice");
    adminA = await a.user("admin_a", true);
    adminB = await b.user("admin_b", true);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test("scenario 1: B finds alice@A through WebFinger; A's NodeInfo names its instance actor, fetchable unsigned", async () => {
    const actor = await b.app.federation.lookup.actor(`alice@${a.domain}`);
    assert.equal(actor?.url, `${a.url}/@alice`);
    assert.equal(actor?.domain, a.domain);
    assert.equal(actor?.endpoints?.sharedInbox, `${a.url}/inbox`);
    const ni = await (await fetch(`${a.url}/.well-known/nodeinfo`)).json();
    const app = ni.links.find((l: { rel: string }) => l.rel === "https://www.w3.org/ns/activitystreams#Application");
    const relay = await (await fetch(app.href, { headers: { accept: "application/activity+json" } })).json();
    assert.equal(relay.type, "Application");
  });

  test("scenario 2: B's administrator follows A; A's approves; B reads A's outbox and shows its earlier events", async () => {
    const earlier = await a.gql(CREATE, { a: String(aliceA.actorId), title: "Published before the follow", b: later(10, 17) }, aliceA.token);
    assert.equal(earlier.errors, undefined, JSON.stringify(earlier.errors));
    // Only administrators follow instances.
    const refused = await b.gql(`mutation($d: String!) { addInstance(domain: $d) { domain } }`, { d: a.domain }, (await b.user("someone")).token);
    assert.equal(refused.errors?.[0]?.code, "forbidden");

    const added = await b.gql(`mutation($d: String!) { addInstance(domain: $d) { domain followerStatus hasRelay relayAddress software } }`, { d: a.domain }, adminB.token);
    assert.equal(added.errors, undefined, JSON.stringify(added.errors));
    assert.deepEqual(added.data.addInstance, { domain: a.domain, followerStatus: "PENDING", hasRelay: true, relayAddress: `relay@${a.domain}`, software: "convene" });

    const waiting = await until("A sees B's follow", async () => {
      const r = await a.gql(`{ relayFollowers { total elements { approved actor { url } } } }`, {}, adminA.token);
      return r.data.relayFollowers.total === 1 ? r.data.relayFollowers.elements[0] : null;
    });
    assert.deepEqual(waiting, { approved: false, actor: { url: `${b.url}/relay` } });
    const accepted = await a.gql(`mutation($r: String!) { acceptRelay(address: $r) { approved } }`, { r: `relay@${b.domain}` }, adminA.token);
    assert.equal(accepted.errors, undefined, JSON.stringify(accepted.errors));
    await until("B's follow is approved", async () => {
      const r = await b.gql(`query($d: ID!) { instance(domain: $d) { followerStatus } }`, { d: a.domain }, adminB.token);
      return r.data.instance?.followerStatus === "APPROVED";
    });
    const list = async (peer: Peer, token: string, f: string) => (await peer.gql(`query($f: InstanceFilterFollowStatus) { instances(filterFollowStatus: $f, limit: 5) { total elements { domain followerStatus followedStatus } } }`, { f }, token)).data.instances;
    assert.deepEqual(await list(b, adminB.token, "FOLLOWING"), { total: 1, elements: [{ domain: a.domain, followerStatus: "APPROVED", followedStatus: "NONE" }] });
    assert.deepEqual(await list(b, adminB.token, "FOLLOWED"), { total: 0, elements: [] });
    assert.deepEqual((await list(a, adminA.token, "FOLLOWED")).elements, [{ domain: b.domain, followerStatus: "NONE", followedStatus: "APPROVED" }]);
    const counts = async (peer: Peer, token: string, d: string) => (await peer.gql(`query($d: ID!) { instance(domain: $d) { followersCount followingsCount } }`, { d }, token)).data.instance;
    assert.deepEqual(await counts(b, adminB.token, a.domain), { followersCount: 0, followingsCount: 1 }, "B follows one of A's actors");
    assert.deepEqual(await counts(a, adminA.token, b.domain), { followersCount: 1, followingsCount: 0 }, "one of B's actors follows A");
    const shown = await until("B shows A's earlier event", async () => {
      const r = await b.gql(`query($u: UUID!) { event(uuid: $u) { title local } }`, { u: earlier.data.createEvent.uuid });
      return r.data?.event;
    });
    assert.deepEqual(shown, { title: "Published before the follow", local: false });
  });

  test("scenario 3: a new event reaches B with every field equal", async () => {
    const created = await a.gql(
      CREATE,
      {
        a: String(aliceA.actorId),
        title: "Repair café",
        b: later(14, 16),
        e: later(14, 19),
        addr: { description: "Town hall", street: "1 place de la Mairie", locality: "Lyon", postalCode: "69001", country: "France", geom: "4.835;45.767" },
        opts: { timezone: "Europe/Paris", maximumAttendeeCapacity: 30, commentModeration: "MODERATED" },
        tags: ["repair", "bikes"],
        meta: [{ key: "mz:live:peertube:url", value: "https://video.example/w/1", type: "STRING" }],
        online: "https://meet.example/repair",
        cat: "CRAFTS",
        join: "RESTRICTED",
      },
      aliceA.token,
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const uuid = created.data.createEvent.uuid;
    const there = await until("B has the event", async () => (await b.gql(EVENT, { uuid })).data?.event);
    const here = (await a.gql(EVENT, { uuid })).data.event;
    for (const k of ["uuid", "url", "title", "description", "beginsOn", "endsOn", "status", "visibility", "joinOptions", "onlineAddress", "category"]) assert.deepEqual(there[k], here[k], k);
    assert.deepEqual(there.options, here.options);
    assert.deepEqual(there.physicalAddress, here.physicalAddress);
    assert.deepEqual(there.tags.map((t: { title: string }) => t.title).sort(), ["bikes", "repair"]);
    assert.deepEqual(there.metadata, here.metadata);
    assert.equal(there.local, false);
    assert.deepEqual(there.organizerActor, { preferredUsername: "alice", domain: a.domain, url: `${a.url}/@alice` });
  });

  test("scenarios 4 and 5: three updates are each applied; a deletion is applied once A answers 410", async () => {
    const created = await a.gql(CREATE, { a: String(aliceA.actorId), title: "Version 0", b: later(20, 10) }, aliceA.token);
    const { id, uuid } = created.data.createEvent;
    await until("B has it", async () => (await b.gql(EVENT, { uuid })).data?.event);
    for (const n of [1, 2, 3]) {
      const u = await a.gql(`mutation($id: ID!, $t: String!) { updateEvent(eventId: $id, title: $t) { title } }`, { id, t: `Version ${n}` }, aliceA.token);
      assert.equal(u.errors, undefined);
    }
    await until("B shows the third version", async () => (await b.gql(EVENT, { uuid })).data?.event?.title === "Version 3");
    await a.gql(`mutation($id: ID!) { deleteEvent(eventId: $id) { id } }`, { id }, aliceA.token);
    assert.equal((await fetch(`${a.url}/events/${uuid}`, { headers: { accept: "application/activity+json" } })).status, 410);
    await until("B no longer has it", async () => (await b.gql(EVENT, { uuid })).errors?.[0]?.code === "not_found");
  });

  const MY_ROLE = `query($e: ID!) { loggedPerson { participations(eventId: $e) { elements { role } } } }`;
  const roleOn = async (peer: Peer, token: string, eventId: string) => (await peer.gql(MY_ROLE, { e: eventId }, token)).data?.loggedPerson?.participations?.elements?.[0]?.role ?? null;
  const PARTICIPANTS = `query($u: UUID!) { event(uuid: $u) { participants(limit: 20) { total elements { role actor { preferredUsername domain } } } } }`;
  /** A's event as B knows it: B's own id for it. */
  const onB = (uuid: string) => until("B has the event", async () => (await b.gql(`query($u: UUID!) { event(uuid: $u) { id } }`, { u: uuid })).data?.event?.id as string | undefined);

  test("scenario 6: a person on B joins A's free event, A's organizer sees them, they leave", async () => {
    const bob = await b.user("bob");
    const e = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "Open picnic", b: later(9, 12) }, aliceA.token)).data.createEvent;
    const idOnB = await onB(e.uuid);
    const joined = await b.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { role } }`, { e: idOnB, a: String(bob.actorId) }, bob.token);
    assert.equal(joined.errors, undefined, JSON.stringify(joined.errors));
    assert.equal(joined.data.joinEvent.role, "PARTICIPANT", "a free event is joined at once, the origin confirming");
    const seen = await until("A lists bob", async () => {
      const r = await a.gql(PARTICIPANTS, { u: e.uuid }, aliceA.token);
      return r.data.event.participants.elements.find((p: { actor: { preferredUsername: string } }) => p.actor.preferredUsername === "bob");
    });
    assert.deepEqual(seen, { role: "PARTICIPANT", actor: { preferredUsername: "bob", domain: b.domain } });
    // A stranger on A does not see the list.
    assert.equal((await a.gql(PARTICIPANTS, { u: e.uuid }, (await a.user("stranger_a")).token)).data.event.participants.total, 0);
    await b.gql(`mutation($e: ID!, $a: ID!) { leaveEvent(eventId: $e, actorId: $a) { actor { id } } }`, { e: idOnB, a: String(bob.actorId) }, bob.token);
    await until("A no longer lists bob", async () => {
      const r = await a.gql(PARTICIPANTS, { u: e.uuid }, aliceA.token);
      return !r.data.event.participants.elements.some((p: { actor: { preferredUsername: string } }) => p.actor.preferredUsername === "bob");
    });
  });

  test("scenario 7: approval with a message, a refusal, and a seat that is not there: B shows each state", async () => {
    const carol = await b.user("carol");
    const dave = await b.user("dave");
    const erin = await b.user("erin");
    const moderated = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "Workshop on request", b: later(11, 9), join: "RESTRICTED" }, aliceA.token)).data.createEvent;
    const idOnB = await onB(moderated.uuid);
    for (const [who, msg] of [[carol, "I repair bikes"], [dave, "Hello"]] as const) {
      const r = await b.gql(`mutation($e: ID!, $a: ID!, $m: String) { joinEvent(eventId: $e, actorId: $a, message: $m) { role } }`, { e: idOnB, a: String(who.actorId), m: msg }, who.token);
      assert.equal(r.data.joinEvent.role, "NOT_APPROVED");
    }
    const list = await until("A has both requests", async () => {
      const r = await a.gql(`query($u: UUID!) { event(uuid: $u) { participants(roles: "not_approved") { elements { id role metadata { message } actor { preferredUsername } } } } }`, { u: moderated.uuid }, aliceA.token);
      const els = r.data.event.participants.elements;
      return els.length === 2 ? els : null;
    });
    const byName = (n: string) => list.find((p: { actor: { preferredUsername: string } }) => p.actor.preferredUsername === n);
    assert.equal(byName("carol").metadata.message, "I repair bikes");
    await a.gql(`mutation($id: ID!) { updateParticipation(id: $id, role: PARTICIPANT) { role } }`, { id: byName("carol").id }, aliceA.token);
    await a.gql(`mutation($id: ID!) { updateParticipation(id: $id, role: REJECTED) { role } }`, { id: byName("dave").id }, aliceA.token);
    await until("B shows carol approved", async () => (await roleOn(b, carol.token, idOnB)) === "PARTICIPANT");
    await until("B shows dave declined", async () => (await roleOn(b, dave.token, idOnB)) === "REJECTED");

    const full = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "One seat", b: later(12, 9), opts: { maximumAttendeeCapacity: 1 } }, aliceA.token)).data.createEvent;
    const fullOnB = await onB(full.uuid);
    await b.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { role } }`, { e: fullOnB, a: String(carol.actorId) }, carol.token);
    await until("A seats carol", async () => (await a.gql(PARTICIPANTS, { u: full.uuid }, aliceA.token)).data.event.participants.elements.some((p: { role: string }) => p.role === "PARTICIPANT"));
    await b.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { role } }`, { e: fullOnB, a: String(erin.actorId) }, erin.token);
    await until("B shows erin refused: no seat left", async () => (await roleOn(b, erin.token, fullOnB)) === "REJECTED");
  });

  test("scenario 14: comments and replies travel both ways; a closed event takes none", async () => {
    const bob = await b.user("bob_c");
    const e = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "Talk and questions", b: later(15, 18) }, aliceA.token)).data.createEvent;
    const idOnB = await onB(e.uuid);
    const COMMENTS = `query($u: UUID!) { event(uuid: $u) { comments { id uuid text actor { preferredUsername domain } replies { text actor { preferredUsername } } } } }`;
    const fromAlice = await a.gql(`mutation($e: ID!) { createComment(eventId: $e, text: "Questions welcome") { id uuid } }`, { e: e.id }, aliceA.token);
    assert.equal(fromAlice.errors, undefined);
    const onBComment = await until("B shows alice's comment", async () => (await b.gql(COMMENTS, { u: e.uuid })).data?.event?.comments?.[0]);
    assert.equal(onBComment.actor.domain, a.domain);
    const reply = await b.gql(`mutation($e: ID!, $r: ID) { createComment(eventId: $e, text: "Will it be recorded?", inReplyToCommentId: $r) { id } }`, { e: idOnB, r: onBComment.id }, bob.token);
    assert.equal(reply.errors, undefined, JSON.stringify(reply.errors));
    const top = await b.gql(`mutation($e: ID!) { createComment(eventId: $e, text: "See you there") { id } }`, { e: idOnB }, bob.token);
    assert.equal(top.errors, undefined);
    const onA = await until("A shows bob's reply and comment", async () => {
      const cs = (await a.gql(COMMENTS, { u: e.uuid })).data.event.comments;
      return cs.length === 2 && cs.find((c: { replies: unknown[] }) => c.replies.length === 1) ? cs : null;
    });
    const thread = onA.find((c: { uuid: string }) => c.uuid === fromAlice.data.createComment.uuid);
    assert.deepEqual(thread.replies, [{ text: "<p>Will it be recorded?</p>", actor: { preferredUsername: "bob_c" } }]);
    const other = onA.find((c: { uuid: string }) => c.uuid !== fromAlice.data.createComment.uuid);
    assert.deepEqual([other.text, other.actor], ["<p>See you there</p>", { preferredUsername: "bob_c", domain: b.domain }]);

    const closed = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "No comments", b: later(16, 18), opts: { commentModeration: "CLOSED" } }, aliceA.token)).data.createEvent;
    const closedOnB = await onB(closed.uuid);
    const refused = await b.gql(`mutation($e: ID!) { createComment(eventId: $e, text: "Hello?") { id } }`, { e: closedOnB }, bob.token);
    assert.equal(refused.errors?.[0]?.code, "forbidden", "B applies the organizer's rule it was told");
  });

  test("look-ups from B: a person by address, an event by URL (interact, or pasted in the search), within a budget", async () => {
    const carl = await a.user("carl");
    const found = await b.gql(`query($t: String) { searchPersons(term: $t) { total elements { preferredUsername domain url } } }`, { t: `@carl@${a.domain}` });
    assert.deepEqual(found.data.searchPersons, { total: 1, elements: [{ preferredUsername: "carl", domain: a.domain, url: carl.actorUrl }] });
    assert.equal((await b.gql(`query($p: String!) { fetchPerson(preferredUsername: $p) { url } }`, { p: `carl@${a.domain}` })).data.fetchPerson.url, carl.actorUrl);
    const e = (await a.gql(CREATE, { a: String(carl.actorId), title: "Found by its link", b: later(17, 18) }, carl.token)).data.createEvent;
    // Whether or not B already holds it (it follows A), its link finds it.
    const viaInteract = await b.gql(`query($u: String!) { interact(uri: $u) { ... on Event { uuid title } } }`, { u: e.url });
    assert.deepEqual(viaInteract.data.interact, { uuid: e.uuid, title: "Found by its link" });
    const viaSearch = await b.gql(`query($t: String) { searchEvents(term: $t) { total elements { ... on Event { title } } } }`, { t: e.url });
    assert.deepEqual(viaSearch.data.searchEvents, { total: 1, elements: [{ title: "Found by its link" }] });
    const twice = await b.gql(`query($t: String) { a: searchPersons(term: $t) { total } b: searchPersons(term: $t) { total } }`, { t: `@carl@${a.domain}` });
    assert.match(twice.errors?.[0]?.message ?? "", /One look-up on another server per request/);
    const nobody = await b.gql(`query($t: String) { searchPersons(term: $t) { total } }`, { t: `@nobody@${a.domain}` });
    assert.equal(nobody.data.searchPersons.total, 0);
  });

  test("an administrator silences a server (its events leave the lists) and blocks it (nothing more comes in, the follow ends)", async () => {
    const SEARCH = `query($t: String) { searchEvents(term: $t) { total } }`;
    const e = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "Zebra crossing meetup", b: later(18, 18) }, aliceA.token)).data.createEvent;
    await onB(e.uuid);
    assert.equal((await b.gql(SEARCH, { t: "Zebra" })).data.searchEvents.total, 1);
    const policy = `mutation($d: String!, $b: Boolean, $s: Boolean) { updateInstancePolicy(domain: $d, blocked: $b, silenced: $s) { domain blocked silenced followerStatus } }`;
    assert.equal((await b.gql(policy, { d: a.domain, s: true }, (await b.user("not_admin")).token)).errors?.[0]?.code, "forbidden");
    const silenced = await b.gql(policy, { d: a.domain, s: true }, adminB.token);
    assert.deepEqual(silenced.data.updateInstancePolicy, { domain: a.domain, blocked: false, silenced: true, followerStatus: "APPROVED" });
    assert.equal((await b.gql(SEARCH, { t: "Zebra" })).data.searchEvents.total, 0, "silenced: not listed");
    assert.equal((await b.gql(`query($u: UUID!) { event(uuid: $u) { title } }`, { u: e.uuid })).data.event.title, "Zebra crossing meetup", "still reachable by link");
    const blocked = await b.gql(policy, { d: a.domain, b: true, s: false }, adminB.token);
    assert.deepEqual(blocked.data.updateInstancePolicy, { domain: a.domain, blocked: true, silenced: false, followerStatus: "NONE" });
    const after = (await a.gql(CREATE, { a: String(aliceA.actorId), title: "Zebra after the block", b: later(19, 18) }, aliceA.token)).data.createEvent;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await b.gql(`query($u: UUID!) { event(uuid: $u) { title } }`, { u: after.uuid })).errors?.[0]?.code, "not_found");
    const refused = await fetch(`${b.url}/inbox`, { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify({ type: "Create", actor: `${a.url}/@alice`, object: {} }) });
    assert.equal(refused.status, 403);
  });
});
