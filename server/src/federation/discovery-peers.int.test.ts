// Discovery against stand-ins for other software (federation.md §7, scenario 25): WebFinger answers as Mastodon and
// Pleroma write them (the activity+json `self` link is the one followed; the subscribe template opens remote
// interactions), and NodeInfo as Mobilizon (capitalised software name), WordPress's Event Bridge (2.0 and an FEP-2677
// application actor) and an old server (1.1 only: no instance actor).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { DIALECT, startInstance, type TestInstance } from "../../test/kit.ts";
import { FakePeer } from "../../test/fake-peer.ts";

describe(`discovery of other software (${DIALECT})`, () => {
  let inst: TestInstance;
  const peers: FakePeer[] = [];
  const peer = async () => {
    const p = await new FakePeer().start();
    peers.push(p);
    return p;
  };
  before(async () => {
    inst = await startInstance({ ALLOW_PRIVATE_ADDRESSES: "true" });
  });
  after(async () => {
    for (const p of peers) await p.stop();
    await inst.stop();
  });
  const lookup = () => inst.federation.lookup;

  test("Mastodon's WebFinger: the self link leads to the actor; its subscribe template opens a remote interaction", async () => {
    const p = await peer();
    const actor = await p.actor("tcit");
    const host = new URL(p.origin).host;
    p.documents.set("/.well-known/webfinger", JSON.parse(readFileSync(new URL("../../test/fixtures/activitypub/mastodon-webfinger.json", import.meta.url), "utf8").split("https://social.tcit.fr").join(p.origin).replace("social.tcit.fr", host)));
    const found = await lookup().actor(`tcit@${host}`);
    assert.equal(found?.url, actor);
    assert.equal(found?.preferredUsername, "tcit");
    const url = await lookup().interactionUrl(`tcit@${host}`, "http://convene.test/events/x");
    assert.equal(url, `${p.origin}/authorize_interaction?uri=${encodeURIComponent("http://convene.test/events/x")}`);
  });

  test("Pleroma's two self links (ld+json first, then activity+json) both lead to the actor", async () => {
    const p = await peer();
    const actor = await p.actor("lain");
    const host = new URL(p.origin).host;
    p.documents.set("/.well-known/webfinger", {
      subject: `acct:lain@${host}`,
      links: [
        { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: actor },
        { rel: "self", type: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"', href: actor },
        { rel: "self", type: "application/activity+json", href: actor },
      ],
    });
    assert.equal((await lookup().actor(`@lain@${host}`))?.url, actor);
    // A WebFinger answer cannot send the visitor to a third server.
    p.documents.set("/.well-known/webfinger", { subject: `acct:lain@${host}`, links: [{ rel: "http://ostatus.org/schema/1.0/subscribe", template: "https://evil.example/steal?uri={uri}" }] });
    assert.equal(await lookup().interactionUrl(`lain@${host}`, "http://convene.test/events/x"), null);
  });

  test("NodeInfo: Mobilizon's (2.0, 2.1, capitalised name, FEP-2677), WordPress's (2.0 and FEP-2677), an old 1.1-only server", async () => {
    const mobilizon = await peer();
    const relay = await mobilizon.actor("relay", "Application", {}, "/relay");
    mobilizon.documents.set("/.well-known/nodeinfo", {
      links: [
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${mobilizon.origin}/.well-known/nodeinfo/2.0` },
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: `${mobilizon.origin}/.well-known/nodeinfo/2.1` },
        { rel: "https://www.w3.org/ns/activitystreams#Application", href: relay },
      ],
    });
    mobilizon.documents.set("/.well-known/nodeinfo/2.1", { version: "2.1", software: { name: "Mobilizon", version: "5.1.3" }, protocols: ["activitypub"], metadata: { nodeName: "Mobilizon test", nodeDescription: "" } });
    const found = await lookup().instanceActor(new URL(mobilizon.origin).host);
    assert.equal(found?.url, relay);
    const seen = await inst.services.peers.find(new URL(mobilizon.origin).host);
    assert.deepEqual([seen?.software, seen?.softwareVersion, seen?.nodeName], ["mobilizon", "5.1.3", "Mobilizon test"]);

    const wordpress = await peer();
    const bridge = await wordpress.actor("actor-relay", "Application", {}, "/actor-relay");
    wordpress.documents.set("/.well-known/nodeinfo", {
      links: [
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${wordpress.origin}/wp-json/activitypub/1.0/nodeinfo` },
        { rel: "https://www.w3.org/ns/activitystreams#Application", href: bridge },
      ],
    });
    wordpress.documents.set("/wp-json/activitypub/1.0/nodeinfo", { version: "2.0", software: { name: "wordpress", version: "6.8" }, protocols: ["activitypub"] });
    assert.equal((await lookup().instanceActor(new URL(wordpress.origin).host))?.url, bridge);

    const old = await peer();
    old.documents.set("/.well-known/nodeinfo", { links: [{ rel: "http://nodeinfo.diaspora.software/ns/schema/1.1", href: `${old.origin}/nodeinfo/1.1` }] });
    assert.equal(await lookup().instanceActor(new URL(old.origin).host), null, "no 2.x document, no relay@: no instance actor");
  });
});
