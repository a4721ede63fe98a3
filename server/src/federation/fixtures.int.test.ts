// The published sample documents of Mastodon, Pleroma and Mobilizon (test/fixtures/activitypub), replayed through the
// inbox with their servers' origins rewritten to a stand-in peer and signed by it (federation.md §7, scenarios 16,
// 17, 19, 20–23), and a hand-made Gancio event (no @context, a text address, Place + VirtualLocation).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, DIALECT, startInstance, type TestInstance } from "../../test/kit.ts";
import { FakePeer } from "../../test/fake-peer.ts";

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/activitypub/${name}`, import.meta.url), "utf8");
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe(`fixtures replayed through the inbox (${DIALECT})`, () => {
  let inst: TestInstance;
  let peer: FakePeer;
  let organizer: Awaited<ReturnType<typeof buildUser>>;
  let event: { id: string; uuid: string };
  before(async () => {
    inst = await startInstance({ ALLOW_PRIVATE_ADDRESSES: "true" });
    peer = await new FakePeer().start();
    organizer = await buildUser(inst, { username: "tcit" });
    event = await buildEvent(inst, organizer, { title: "Fixture target" });
  });
  after(async () => {
    await peer.stop();
    await inst.stop();
  });

  /** The fixture with every URL of `origins` moved to the stand-in peer. */
  const load = (name: string, origins: string[], extra: (doc: Json) => void = () => {}) => {
    let text = fixture(name);
    for (const o of origins) text = text.split(o).join(peer.origin);
    const doc = JSON.parse(text) as Json;
    extra(doc);
    return doc;
  };
  const deliver = async (doc: Json, signer: string) => {
    const res = await inst.http.request(await peer.signed("http://convene.test/inbox", doc, signer));
    await inst.drain();
    return res.status;
  };
  const comments = async () =>
    (await inst.gql<{ event: { comments: { text: string; actor: { preferredUsername: string; domain: string } }[] } }>(`query($u: UUID!) { event(uuid: $u) { comments { text actor { preferredUsername domain } } } }`, { u: event.uuid })).data.event.comments;

  test("scenario 21: a Mastodon reply to an event becomes a comment; the hashtag variant too; a private mention does not", async () => {
    const admin = await peer.actor("admin");
    const eventUrl = `http://convene.test/events/${event.uuid}`;
    const reply = load("mastodon-post-activity.json", ["https://framapiaf.org"], (d) => (d.object.inReplyTo = eventUrl));
    assert.equal(await deliver(reply, admin), 202);
    const hashtag = load("mastodon-post-activity-hashtag.json", ["https://framapiaf.org"], (d) => {
      d.object.inReplyTo = eventUrl;
      d.object.id = `${d.object.id}-hashtag`;
      d.id = `${d.id}-hashtag`;
    });
    assert.equal(await deliver(hashtag, admin), 202);
    const priv = load("mastodon-post-activity-private.json", ["https://framapiaf.org"], (d) => (d.object.inReplyTo = eventUrl));
    assert.equal(await deliver(priv, admin), 202);
    const list = await comments();
    assert.equal(list.length, 2, "two public replies, not the private mention");
    assert.ok(list.every((c) => c.actor.preferredUsername === "admin" && c.actor.domain === new URL(peer.origin).host));
    assert.match(list[0].text, /tcit/);
    // The reply's author sees the event's later edits.
    await inst.gql(`mutation($id: ID!) { updateEvent(eventId: $id, title: "Fixture target, moved") { id } }`, { id: event.id }, organizer.accessToken);
    await inst.drain();
    const update = await peer.waitFor((d) => d.body.type === "Update" && (d.body.object as Json)?.name === "Fixture target, moved");
    assert.equal(update.path, "/inbox");
  });

  test("scenario 23: a Delete of a Note from another server than the note's is refused; from its own, once it is gone", async () => {
    const admin = `${peer.origin}/users/admin`;
    const [note] = (await inst.services.comments.findByIds([1, 2, 3, 4, 5])).filter((c) => !c.local);
    const other = new FakePeer();
    await other.start();
    try {
      const mallory = await other.actor("mallory");
      // The note is on `peer`; a Delete signed by a server that is not its own changes nothing.
      const forged = { id: `${mallory}#delete`, type: "Delete", actor: mallory, object: { id: note.url, type: "Tombstone" } };
      assert.equal((await inst.http.request(await other.signed("http://convene.test/inbox", forged, mallory))).status, 202);
      await inst.drain();
      assert.equal((await comments()).length, 2);
    } finally {
      await other.stop();
    }
    // Its own server deletes it, but still serves it: kept. Then it answers 410: removed.
    const path = new URL(note.url).pathname;
    peer.documents.set(path, { id: note.url, type: "Note" });
    const del = { id: `${admin}#delete-1`, type: "Delete", actor: admin, object: { id: note.url, type: "Tombstone" } };
    assert.equal(await deliver(del, admin), 202);
    assert.equal((await comments()).length, 2, "the origin still serves it");
    peer.documents.set(path, 410);
    assert.equal(await deliver({ ...del, id: `${admin}#delete-2` }, admin), 202);
    const after = await comments();
    assert.deepEqual(after.map((c) => c.text === ""), [true, false], "gone at its origin, a tombstone here");
  });

  test("scenario 17: Mobilizon's Create{Event} is stored with its Website link and postal address", async () => {
    await peer.actor("metacartes", "Person", {}, "/@metacartes");
    const doc = load("mobilizon-post-activity.json", ["https://mobilizon.fr"], (d) => {
      d.object.startTime = new Date(Date.now() + 10 * 86_400_000).toISOString();
    });
    assert.equal(await deliver(doc, `${peer.origin}/@metacartes`), 202);
    const stored = await inst.services.remoteEvents.findByUrl(doc.object.id);
    assert.ok(stored);
    assert.equal(stored.title, "My first event");
    assert.equal(stored.onlineAddress, "https://google.com/");
    assert.equal(stored.category, "MEETING", "an unknown category falls back to MEETING");
    const [address] = await inst.services.events.addresses([stored.physicalAddressId!]);
    assert.deepEqual([address.street, address.postalCode, address.locality, address.country], ["10 Rue Jangot", "69007", "Lyon", "France"]);
  });

  test("scenario 16: a Gancio event without @context, with a text address and a Place + VirtualLocation array", async () => {
    const gancio = await peer.actor("gancio", "Application", {}, "/federation/u/gancio");
    const id = `${peer.origin}/federation/m/42`;
    const start = new Date(Date.now() + 5 * 86_400_000);
    const create = {
      id: `${id}#create-1`,
      type: "Create",
      actor: gancio,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: {
        id,
        type: "Event",
        name: "Assemblea",
        content: "<p>Tutti benvenuti</p><script>alert(1)</script>",
        startTime: start.toISOString().replace("Z", "+02:00").replace(/\.\d{3}/, ""),
        endTime: null,
        attributedTo: gancio,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        location: [
          { type: "Place", name: "Colosseo", address: "Piazza del Colosseo, Roma" },
          { type: "VirtualLocation", url: "https://stream.example/assemblea" },
        ],
        tag: [{ type: "Hashtag", name: "#test", href: "/tags/test" }],
      },
    };
    assert.equal(await deliver(create, gancio), 202);
    const e = await inst.services.remoteEvents.findByUrl(id);
    assert.ok(e);
    assert.equal(e.description, "<p>Tutti benvenuti</p>", "the description is cleaned");
    assert.equal(e.onlineAddress, "https://stream.example/assemblea");
    const [address] = await inst.services.events.addresses([e.physicalAddressId!]);
    assert.equal(address.description, "Colosseo");
    assert.equal(address.street, "Piazza del Colosseo, Roma");
    assert.deepEqual((await inst.services.events.tagsOf([e.id])).map((t) => t.title), ["test"]);
  });

  test("scenario 19: Mobilizon's Join of a local event makes a participant and an Accept; its Leave ends it", async () => {
    const admin = await peer.actor("admin2", "Person", {}, "/@admin");
    const eventUrl = `http://convene.test/events/${event.uuid}`;
    const join = load("mobilizon-join-activity.json", ["http://mobilizon2.test"], (d) => {
      d.object = eventUrl;
      d.participationMessage = "<b>Hi</b> there";
    });
    assert.equal(await deliver(join, admin), 202);
    const p = await inst.services.participations.findByUrl(join.id);
    assert.equal(p?.role, "PARTICIPANT");
    assert.equal(p?.message, "Hi there");
    const accept = await peer.waitFor((d) => d.body.type === "Accept");
    assert.equal((accept.body.object as Json).id, join.id);
    assert.equal(accept.body.actor, organizer.actor.url);
    const leave = load("mobilizon-leave-activity.json", ["http://mobilizon2.test"], (d) => (d.object = eventUrl));
    assert.equal(await deliver(leave, admin), 202);
    assert.equal(await inst.services.participations.findByUrl(join.id), null);
  });

  test("scenarios 20 and 22: Likes, Announces of statuses and their Undos are accepted and change nothing; an Update of a person refreshes it", async () => {
    const admin = `${peer.origin}/users/admin`;
    for (const name of ["mastodon-like.json", "mastodon-undo-like.json"]) {
      const doc = load(name, ["http://mastodon.example.org"]);
      assert.equal(await deliver(doc, admin), 202, name);
    }
    const framasoft = await peer.actor("Framasoft");
    for (const name of ["mastodon-announce.json", "mastodon-undo-announce.json"]) {
      const doc = load(name, ["https://framapiaf.org"], (d) => (d.actor = framasoft));
      if (typeof doc.object === "object" && doc.object.actor) doc.object.actor = framasoft;
      assert.equal(await deliver(doc, framasoft), 202, name);
    }
    assert.equal((await inst.queue.stats()).failed, 0, "nothing failed");
    const fs = await peer.actor("framasoft");
    (peer.documents.get("/users/framasoft") as Json).name = "nextsoft";
    const update = load("mastodon-update.json", ["https://framapiaf.org"]);
    assert.equal(await deliver(update, fs), 202);
    assert.equal((await inst.services.federatedActors.findByUrl(fs))?.name, "nextsoft");
  });

  test("Mobilizon's behaviour: repeated Updates that reuse one id are each applied; our deliveries to a server that answers 200 \"error\" are cavage-signed from the first request", async () => {
    const mz = await peer.actor("mz", "Person", {}, "/@mz");
    const id = `${peer.origin}/events/11111111-2222-3333-4444-555555555555`;
    const doc = (title: string) => ({
      id: `${id}/activity`,
      type: "Update",
      actor: mz,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: { id, type: "Event", name: title, startTime: new Date(Date.now() + 8 * 86_400_000).toISOString(), actor: mz, attributedTo: mz, to: ["https://www.w3.org/ns/activitystreams#Public"], content: "<p>x</p>" },
    });
    for (const title of ["First", "Second", "Third"]) assert.equal(await deliver(doc(title), mz), 202);
    assert.equal((await inst.services.remoteEvents.findByUrl(id))?.title, "Third", "each Update with the same id was applied");
    // The same bytes again are not.
    assert.equal(await deliver(doc("Third"), mz), 202);

    // A sink that answers like Mobilizon: 200 with "error" when it cannot read a signature. Nothing can tell us to try
    // another scheme, so the first request must already be draft-cavage.
    peer.answer = (d) => ({ status: 200, body: /keyId=/.test(String(d.headers.signature ?? "")) ? "ok" : "error" });
    try {
      const before = peer.delivered.length;
      const bob = await buildUser(inst);
      const follow = { id: `${mz}#follows/9`, type: "Follow", actor: mz, object: bob.actor.url };
      assert.equal(await deliver(follow, mz), 202);
      const answer = await peer.waitFor((d) => d.body.type === "Reject" && (d.body.object as Json).id === follow.id);
      assert.equal(peer.delivered.length - before, 1, "one request, no second knock");
      assert.match(String(answer.headers.signature), /^keyId="[^"]+",algorithm="rsa-sha256",headers="\(request-target\) host date digest content-type",signature="/);
      assert.equal(answer.headers["signature-input"], undefined, "no RFC 9421 signature");
    } finally {
      peer.answer = () => ({ status: 202, body: "" });
    }
  });

  test("a Flag forwarded by another server tells this instance's moderators what of it was reported", async () => {
    const mod = await buildUser(inst, { role: "MODERATOR" });
    const relay = await peer.actor("relay", "Application", {}, "/relay");
    const flag = {
      id: `${peer.origin}/report/1`,
      type: "Flag",
      actor: relay,
      content: "This is <b>spam</b>",
      object: [`http://convene.test/events/${event.uuid}`, `${peer.origin}/notes/elsewhere`],
    };
    assert.equal(await deliver(flag, relay), 202);
    const mail = await inst.mailbox.waitFor(mod.email, /report/i);
    assert.match(mail.text, new RegExp(`events/${event.uuid}`));
    assert.match(mail.text, /This is spam/);
    assert.doesNotMatch(mail.text, /notes\/elsewhere/, "another server's content is not listed");
  });

  test("an actor that deletes itself goes, with its events (Mastodon's Delete of a user); a third server cannot do it for them", async () => {
    const leaving = await peer.actor("leaving", "Person", {}, "/@leaving");
    const id = `${peer.origin}/events/99999999-2222-3333-4444-555555555555`;
    const create = { id: `${id}/activity`, type: "Create", actor: leaving, to: ["https://www.w3.org/ns/activitystreams#Public"], object: { id, type: "Event", name: "Soon gone", startTime: new Date(Date.now() + 9 * 86_400_000).toISOString(), actor: leaving, to: ["https://www.w3.org/ns/activitystreams#Public"] } };
    assert.equal(await deliver(create, leaving), 202);
    assert.ok(await inst.services.remoteEvents.findByUrl(id));
    const other = await new FakePeer().start();
    try {
      const mallory = await other.actor("mallory");
      const forged = { id: `${mallory}#delete`, type: "Delete", actor: mallory, object: leaving };
      assert.equal((await inst.http.request(await other.signed("http://convene.test/inbox", forged, mallory))).status, 202);
      await inst.drain();
      assert.ok(await inst.services.remoteEvents.findByUrl(id), "not theirs to delete");
    } finally {
      await other.stop();
    }
    assert.equal(await deliver({ id: `${leaving}#delete`, type: "Delete", actor: leaving, object: leaving, to: ["https://www.w3.org/ns/activitystreams#Public"] }, leaving), 202);
    assert.equal(await inst.services.remoteEvents.findByUrl(id), null);
    assert.ok((await inst.services.federatedActors.findByUrl(leaving))?.deletedAt);
  });

  test("remote pictures are copied here (an avatar, an event's banner): readers never load them from the other server", async () => {
    const png = await (await import("sharp")).default({ create: { width: 64, height: 64, channels: 3, background: "#3a7" } }).png().toBuffer();
    peer.documents.set("/files/avatar.png", new Uint8Array(png));
    peer.documents.set("/files/banner.png", new Uint8Array(png));
    const painter = await peer.actor("painter", "Person", { icon: { type: "Image", mediaType: "image/png", url: `${peer.origin}/files/avatar.png` } });
    const id = `${peer.origin}/events/77777777-2222-3333-4444-555555555555`;
    const create = {
      id: `${id}/activity`,
      type: "Create",
      actor: painter,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      object: { id, type: "Event", name: "Painting outdoors", startTime: new Date(Date.now() + 9 * 86_400_000).toISOString(), actor: painter, to: ["https://www.w3.org/ns/activitystreams#Public"], attachment: [{ type: "Document", mediaType: "image/png", url: `${peer.origin}/files/banner.png`, name: "Banner" }] },
    };
    assert.equal(await deliver(create, painter), 202);
    const actor = await inst.services.federatedActors.findByUrl(painter);
    const event = await inst.services.remoteEvents.findByUrl(id);
    assert.ok(actor?.avatarId && event?.pictureId, "both copied");
    const [avatar, banner] = await inst.services.media.findByIds([actor.avatarId, event.pictureId]).then((ms) => [ms.find((m) => m.id === actor.avatarId)!, ms.find((m) => m.id === event.pictureId)!]);
    assert.equal(avatar.remoteUrl, `${peer.origin}/files/avatar.png`);
    assert.match(inst.services.media.url(banner), /^http:\/\/convene\.test\/media\//, "served from here");
    const served = await inst.http.request(new URL(inst.services.media.url(banner)).pathname);
    assert.equal(served.status, 200);
    const admin = await buildUser(inst, { role: "ADMINISTRATOR" });
    const seen = await inst.services.relays.instance(admin.principal, new URL(peer.origin).host);
    assert.ok(seen.mediaSize >= avatar.size, "the instance's media size counts its copies");
  });

  test("an Announce of an activity (a LitePub relay's, a FEP-1b12 group's) brings the event it creates, read from its origin", async () => {
    const gancio = `${peer.origin}/federation/u/gancio`;
    const relayActor = await peer.actor("relay2", "Application", {}, "/relay2");
    const id = `${peer.origin}/federation/m/77`;
    const event = { id, type: "Event", name: "Relayed", startTime: new Date(Date.now() + 6 * 86_400_000).toISOString(), attributedTo: gancio, to: ["https://www.w3.org/ns/activitystreams#Public"] };
    peer.documents.set("/federation/m/77/create", { id: `${id}/create`, type: "Create", actor: gancio, to: ["https://www.w3.org/ns/activitystreams#Public"], object: event });
    const announce = { id: `${relayActor}#announce/1`, type: "Announce", actor: relayActor, object: `${id}/create`, to: ["https://www.w3.org/ns/activitystreams#Public"] };
    assert.equal(await deliver(announce, relayActor), 202);
    assert.equal((await inst.services.remoteEvents.findByUrl(id))?.title, "Relayed");
  });
  test("a Mobilizon-style comment on a group's event (actor: the person, attributedTo: the group) is the person's comment", async () => {
    const person = await peer.actor("group_commenter");
    const group = await peer.actor("their_group", "Group");
    const eventUrl = `http://convene.test/events/${event.uuid}`;
    const id = `${peer.origin}/comments/group-comment-1`;
    const note = { id, type: "Note", actor: person, attributedTo: group, content: "<p>From a group member</p>", inReplyTo: eventUrl, context: eventUrl, to: ["https://www.w3.org/ns/activitystreams#Public"], cc: [] };
    assert.equal(await deliver({ "@context": "https://www.w3.org/ns/activitystreams", id: `${id}/activity`, type: "Create", actor: person, object: note, to: note.to }, person), 202);
    const c = (await comments()).find((x) => /From a group member/.test(x.text));
    assert.equal(c?.actor.preferredUsername, "group_commenter");
  });

  test("scenario 18: a Mobilizon group's Article (public, then a draft) and its event, attributed to the group, are kept as the group's", async () => {
    const member = await peer.actor("group_writer");
    const group = await peer.actor("mobilizon_group", "Group", { openness: "open" });
    const article = (id: string, extra: Json = {}) => ({
      id: `${peer.origin}/p/${id}`,
      type: "Article",
      actor: member,
      attributedTo: group,
      name: `Article ${id}`,
      content: "<p>From a Mobilizon group</p>",
      published: new Date().toISOString(),
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      cc: [`${group}/followers`],
      ...extra,
    });
    const create = (object: Json) => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${object.id}/activity`, type: "Create", actor: member, object, to: object.to });
    assert.equal(await deliver(create(article("one")), member), 202);
    assert.equal(await deliver(create(article("two", { draft: true })), member), 202);
    const stored = await inst.services.posts.findByUrl(`${peer.origin}/p/one`);
    assert.equal(stored?.title, "Article one");
    assert.equal(stored?.visibility, "PUBLIC");
    assert.equal(await inst.services.posts.findByUrl(`${peer.origin}/p/two`), null, "drafts are not kept");
    const g = await inst.services.federatedActors.findByUrl(group);
    assert.equal(g?.type, "Group");
    assert.equal(g?.openness, "OPEN");
    // An Article claiming a group of another server is not kept.
    const other = new FakePeer();
    await other.start();
    try {
      const liar = await other.actor("liar");
      const forged = { ...article("three"), id: `${other.origin}/p/three`, actor: liar };
      await inst.http.request(await other.signed("http://convene.test/inbox", { "@context": "https://www.w3.org/ns/activitystreams", id: `${forged.id}/activity`, type: "Create", actor: liar, object: forged, to: forged.to }, liar));
      await inst.drain();
      assert.equal(await inst.services.posts.findByUrl(`${other.origin}/p/three`), null);
    } finally {
      await other.stop();
    }
  });
});
