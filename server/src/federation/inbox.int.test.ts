// The inbox against a stand-in remote server whose requests Fedify signs (scenarios 15 and 20 of federation.md §7):
// what is accepted, what is refused (401/403/413/400, never 500), answers delivered back over real HTTP with our
// signature, and retries applied once.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildUser, DIALECT, startInstance, type TestInstance } from "../../test/kit.ts";
import { FakePeer } from "../../test/fake-peer.ts";
import { readSignature } from "./signatures.ts";

describe(`the inbox (${DIALECT})`, () => {
  let inst: TestInstance;
  let peer: FakePeer;
  let alice: string;
  let mallory: string;
  before(async () => {
    inst = await startInstance({ ALLOW_PRIVATE_ADDRESSES: "true" });
    peer = await new FakePeer().start();
    alice = await peer.actor("alice");
    mallory = await peer.actor("mallory");
  });
  after(async () => {
    await peer.stop();
    await inst.stop();
  });

  const post = async (req: Request) => {
    const res = await inst.http.request(req);
    return { status: res.status, body: await res.text() };
  };

  test("a Follow of a person is answered with a Reject, delivered signed to the follower's shared inbox", async () => {
    const bob = await buildUser(inst, { username: "bob" });
    const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${alice}#follows/1`, type: "Follow", actor: alice, object: bob.actor.url };
    const r = await post(await peer.signed("http://convene.test/@bob/inbox", follow, alice));
    assert.equal(r.status, 202, r.body);
    await inst.drain();
    const reject = await peer.waitFor((d) => d.body.type === "Reject");
    assert.equal(reject.path, "/inbox", "the shared inbox");
    assert.equal(reject.body.actor, bob.actor.url);
    assert.equal((reject.body.object as { id: string }).id, follow.id);
    assert.deepEqual(reject.body.to, [alice]);
    assert.match(String(reject.headers.signature), /keyId="http:\/\/convene\.test\/@bob#main-key",algorithm="rsa-sha256",headers="\(request-target\) host date digest content-type"/);
    // The signature verifies with the key bob's actor document publishes.
    const doc = await (await inst.http.request("/@bob", { headers: { accept: "application/activity+json" } })).json();
    const headers = new Headers(Object.entries(reject.headers).map(([k, v]): [string, string] => [k, String(v)]));
    const check = readSignature({ method: "POST", url: `${peer.origin}/inbox`, headers, body: new TextEncoder().encode(JSON.stringify(reject.body)) });
    assert.ok(check.ok && check.verify(doc.publicKey.publicKeyPem));
  });

  test("a Follow of the instance actor (RFC 9421-signed) waits for an administrator; the same bytes again are applied once", async () => {
    const follow = { id: `${alice}#follows/relay`, type: "Follow", actor: alice, object: "http://convene.test/relay" };
    const body = JSON.stringify(follow);
    assert.equal((await post(await peer.signed("http://convene.test/inbox", follow, alice, { spec: "rfc9421", body }))).status, 202);
    assert.equal((await post(await peer.signed("http://convene.test/inbox", follow, alice, { spec: "rfc9421", body }))).status, 202);
    const stats = await inst.queue.stats();
    assert.equal(stats.due, 1, "one activity to process, not two");
    await inst.drain();
    const relay = await inst.services.federatedActors.instanceActor();
    const waiting = await inst.services.follows.followersOf(relay.id, { approved: false, page: 1, limit: 10 });

    assert.equal(waiting.total, 1);
    const remote = await inst.services.federatedActors.findByUrl(alice);
    assert.equal(waiting.elements[0].followerId, remote!.id);
    assert.equal(remote!.domain, new URL(peer.origin).host);
    assert.equal(remote!.endpoints?.sharedInbox, `${peer.origin}/inbox`);
    // An administrator accepts: the Accept goes back with an id of ours, not built on the follower's.
    const admin = await buildUser(inst, { role: "ADMINISTRATOR" });
    await inst.services.relays.accept(admin.principal, new URL(peer.origin).host);
    await inst.drain();
    const accept = await peer.waitFor((d) => d.body.type === "Accept" && (d.body.object as { id: string }).id === follow.id);
    assert.match(String(accept.body.id), /^http:\/\/convene\.test\/accept\/follow\//);
    assert.equal(accept.body.actor, "http://convene.test/relay");
    // An Undo ends it.
    const undo = { id: `${alice}#undo/1`, type: "Undo", actor: alice, object: follow };
    assert.equal((await post(await peer.signed("http://convene.test/inbox", undo, alice))).status, 202);
    await inst.drain();
    assert.equal((await inst.services.follows.followersOf(relay.id, { approved: null, page: 1, limit: 10 })).total, 0);
  });

  test("refused without side effects: unsigned, another signer than the actor, a changed body, an old date, a blocked domain", async () => {
    const follow = { id: `${alice}#follows/x`, type: "Follow", actor: alice, object: "http://convene.test/relay" };
    const unsigned = await post(new Request("http://convene.test/inbox", { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify(follow) }));
    assert.equal(unsigned.status, 401);
    assert.equal((await post(await peer.signed("http://convene.test/inbox", follow, mallory))).status, 401, "mallory cannot speak for alice");
    const signed = await peer.signed("http://convene.test/inbox", follow, alice);
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify({ ...follow, object: "http://convene.test/@bob" }) });
    assert.equal((await post(tampered)).status, 401);
    const old = await peer.signed("http://convene.test/inbox", follow, alice);
    const h = new Headers(old.headers);
    h.set("date", new Date(Date.now() - 2 * 3600_000).toUTCString());
    assert.equal((await post(new Request(old.url, { method: "POST", headers: h, body: JSON.stringify(follow) }))).status, 401);
    assert.equal((await inst.queue.stats()).due, 0, "nothing was accepted");
    await inst.services.peers.setPolicy(new URL(peer.origin).host, { blocked: true });
    try {
      assert.equal((await post(await peer.signed("http://convene.test/inbox", follow, alice))).status, 403);
    } finally {
      await inst.services.peers.setPolicy(new URL(peer.origin).host, { blocked: false });
    }
  });

  test("bad bodies are 4xx, never 500: not JSON, not an object, no actor, too large", async () => {
    const raw = (body: string, type = "application/activity+json") => post(new Request("http://convene.test/inbox", { method: "POST", headers: { "content-type": type }, body }));
    assert.equal((await raw("{not json")).status, 400);
    assert.equal((await raw("[1,2]")).status, 400);
    assert.equal((await raw(JSON.stringify({ type: "Follow" }))).status, 400);
    assert.equal((await raw("x".repeat(1_100_000))).status, 413);
    assert.equal((await raw("<xml/>", "text/xml")).status, 415);
  });

  test("attacker review: deep nesting, a key on another server, unsigned Creates, a block by host, an actor that redirects elsewhere", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 40; i++) deep = [deep];
    const nested = { id: `${alice}#n`, type: "Like", actor: alice, object: deep };
    assert.equal((await post(await peer.signed("http://convene.test/inbox", nested, alice))).status, 400);

    const other = new FakePeer();
    await other.start();
    try {
      const eve = await other.actor("eve");
      // Signed with eve's key (on another server) for an activity claiming to be alice's: refused before any fetch.
      const before = (await inst.queue.stats()).due;
      const claim = { id: `${alice}#x`, type: "Like", actor: alice, object: "http://convene.test/events/x" };
      const req = await other.signed("http://convene.test/inbox", claim, eve);
      assert.equal((await post(req)).status, 401);
      assert.equal((await inst.queue.stats()).due, before);

      // An unsigned Create is read back from its origin only when the object is on the actor's server, once.
      const create = (object: string) => new Request("http://convene.test/inbox", { method: "POST", headers: { "content-type": "application/activity+json" }, body: JSON.stringify({ type: "Create", actor: alice, object }) });
      assert.equal((await post(create(`${other.origin}/events/1`))).status, 401, "an object on another server");
      assert.equal((await post(create(`${peer.origin}/events/unsigned-1`))).status, 202);
      assert.equal((await post(create(`${peer.origin}/events/unsigned-1`))).status, 202);
      assert.equal((await inst.queue.stats()).due, before + 1, "read once");
      await inst.drain();

      // An event whose organizer's URL redirects to another server's actor is not that actor's.
      const redirecting = `${peer.origin}/users/alias`;
      peer.documents.set("/users/alias", { redirect: eve });
      const ev = `${peer.origin}/events/redirected`;
      const forged = { id: `${ev}/activity`, type: "Create", actor: alice, to: ["https://www.w3.org/ns/activitystreams#Public"], object: { id: ev, type: "Event", name: "Not eve's", startTime: new Date(Date.now() + 5 * 86_400_000).toISOString(), actor: redirecting, to: ["https://www.w3.org/ns/activitystreams#Public"] } };
      assert.equal((await post(await peer.signed("http://convene.test/inbox", forged, alice))).status, 202);
      await inst.drain();
      assert.equal(await inst.services.remoteEvents.findByUrl(ev), null);
      assert.equal(await inst.services.federatedActors.findByUrl(eve), null, "eve was never taken for the organizer");
    } finally {
      await other.stop();
    }

    // A block of the host covers every port (and a block of a domain its subdomains).
    await inst.services.peers.setPolicy(new URL(peer.origin).hostname, { blocked: true });
    try {
      assert.equal((await post(await peer.signed("http://convene.test/inbox", { id: `${alice}#b`, type: "Like", actor: alice, object: "http://convene.test/x" }, alice))).status, 403);
    } finally {
      await inst.services.peers.setPolicy(new URL(peer.origin).hostname, { blocked: false });
    }
  });
});
