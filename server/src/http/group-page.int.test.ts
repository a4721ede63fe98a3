import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildGroup, buildUser, startInstance, type TestInstance } from "../../test/kit.ts";

const POST = `mutation($g: ID!, $t: String!, $v: PostVisibility) { createPost(attributedToId: $g, title: $t, body: "<p>Body of the post</p>", visibility: $v) { slug } }`;

describe("group pages and feeds for strangers, link previews and search engines", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  async function scene() {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin, { n: `Tenants "United" </script>`, s: "<p>We defend tenants</p>", addr: { locality: "Lille", geom: "3.06;50.63" } });
    await buildEvent(inst, admin, { title: "Open assembly", attributedToId: g.id } as never);
    await buildEvent(inst, admin, { title: "Members assembly", attributedToId: g.id, vis: "PRIVATE" } as never);
    const pub = (await inst.gql<{ createPost: { slug: string } }>(POST, { g: g.id, t: "Public news" }, admin.accessToken)).data.createPost.slug;
    const priv = (await inst.gql<{ createPost: { slug: string } }>(POST, { g: g.id, t: "Members news", v: "PRIVATE" }, admin.accessToken)).data.createPost.slug;
    return { admin, g, pub, priv };
  }

  test("a public group's page: meta tags, Organization JSON-LD with its public events, its public posts; nothing members-only", async () => {
    const { g } = await scene();
    const res = await inst.http.request(`/@${g.preferredUsername}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>Tenants &quot;United&quot; &lt;\/script&gt; · Convene<\/title>/);
    assert.match(html, /<meta name="description" content="We defend tenants">/);
    assert.match(html, new RegExp(`<link rel="canonical" href="http://convene.test/@${g.preferredUsername}">`));
    assert.doesNotMatch(html, /noindex/);
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/)![1]);
    assert.equal(ld["@type"], "Organization");
    assert.equal(ld.name, `Tenants "United" </script>`);
    assert.deepEqual(ld.event.map((e: { name: string }) => e.name), ["Open assembly"]);
    assert.equal(ld.address.addressLocality, "Lille");
    assert.match(html, /Public news/);
    assert.doesNotMatch(html, /Members news|Members assembly/);
    // ActivityPub clients still get the actor.
    const ap = await inst.http.request(`/@${g.preferredUsername}`, { headers: { accept: "application/activity+json" } });
    assert.equal((await ap.json()).type, "Group");
  });

  test("a public post's page; a members-only post's page reveals nothing; unlisted and private groups", async () => {
    const { admin, g, pub, priv } = await scene();
    const html = await (await inst.http.request(`/p/${pub}`)).text();
    assert.match(html, /<meta property="og:type" content="article">/);
    assert.match(html, /<title>Public news · /);
    assert.equal(JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/)![1])["@type"], "BlogPosting");
    const hidden = await (await inst.http.request(`/p/${priv}`)).text();
    assert.doesNotMatch(hidden, /Members news|Body of the post/);
    await inst.gql(`mutation($id: ID!) { updateGroup(id: $id, visibility: UNLISTED) { id } }`, { id: g.id }, admin.accessToken);
    assert.match(await (await inst.http.request(`/@${g.preferredUsername}`)).text(), /<meta name="robots" content="noindex">/);
    const secret = await buildGroup(inst, admin, { n: "Secret circle", v: "PRIVATE" });
    assert.doesNotMatch(await (await inst.http.request(`/@${secret.preferredUsername}`)).text(), /Secret circle/);
  });

  test("a group's feeds carry its public upcoming events (and, in Atom, its public posts), never members-only ones", async () => {
    const { g } = await scene();
    const atom = await (await inst.http.request(`/@${g.preferredUsername}/feed/atom`)).text();
    assert.match(atom, /<title type="text">Open assembly<\/title>/);
    assert.match(atom, /<title type="text">Public news<\/title>/);
    assert.doesNotMatch(atom, /Members assembly|Members news/);
    const ics = await (await inst.http.request(`/@${g.preferredUsername}/feed/ics`)).text();
    assert.match(ics, /SUMMARY:Open assembly/);
    assert.doesNotMatch(ics, /Members assembly/);
  });
});
