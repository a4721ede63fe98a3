import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { buildCrew, buildGroup, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const CREATE = `mutation($g: ID!, $t: String!, $p: ID, $u: String, $ty: String, $s: String) { createResource(actorId: $g, title: $t, parentId: $p, resourceUrl: $u, type: $ty, summary: $s) { id title path type resourceUrl metadata { title description providerName authorName imageRemoteUrl html } parent { id path } } }`;
const UPDATE = `mutation($id: ID!, $t: String, $p: ID) { updateResource(id: $id, title: $t, parentId: $p) { id title path parent { id } } }`;
const DELETE = `mutation($id: ID!) { deleteResource(id: $id) { id } }`;
const GET = `query($p: String!, $u: String!) { resource(path: $p, username: $u) { id path type title children { total elements { title path type } } } }`;
const PREVIEW = `mutation($u: String!) { previewResourceLink(resourceUrl: $u) { title description type providerName authorName html imageRemoteUrl } }`;

type R = { id: string; title: string; path: string; type: string; metadata: Record<string, string | null> | null; parent: { id: string; path: string } | null };
type Folder = { id: string; path: string; type: string; children: { total: number; elements: { title: string; path: string; type: string }[] } };

describe("group resources", () => {
  let inst: TestInstance;
  let strict: TestInstance;
  let site: Server;
  let origin = "";
  before(async () => {
    inst = await startInstance({ ALLOW_PRIVATE_ADDRESSES: "true" });
    strict = await startInstance();
    site = createServer((req, res) => {
      if (req.url === "/page") return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<html><head><title>Tenant rights</title><meta name="description" content="All about rents"><meta property="og:image" content="https://tracker.example/p.png"><link rel="alternate" type="application/json+oembed" href="/oembed"></head><body>…</body></html>`);
      if (req.url === "/oembed") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ type: "rich", author_name: "Legal aid", provider_name: "Rights wiki", html: "<script>alert(1)</script>" }));
      if (req.url === "/huge") return void res.writeHead(200, { "content-type": "text/html" }).end("<html>" + "x".repeat(1_100_000));
      if (req.url === "/slow") return; // never answers
      if (req.url === "/hop") return void res.writeHead(302, { location: "/page" }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
  });
  after(async () => {
    site.closeAllConnections();
    site.close();
    await inst.stop();
    await strict.stop();
  });

  async function crew(i: TestInstance = inst) {
    const { admin, stranger, g, people: [member] } = await buildCrew(i);
    return { admin, member, stranger, g };
  }

  test("members add folders and links with a preview of the page; move and rename them; paths follow", async () => {
    const { admin, member, g } = await crew();
    const folder = (await inst.gql<{ createResource: R }>(CREATE, { g: g.id, t: "Meetings", ty: "folder" }, member.accessToken)).data.createResource;
    assert.equal(folder.path, "/Meetings");
    const sub = (await inst.gql<{ createResource: R }>(CREATE, { g: g.id, t: "Minutes", ty: "folder", p: folder.id }, member.accessToken)).data.createResource;
    assert.equal(sub.path, "/Meetings/Minutes");
    const link = (await inst.gql<{ createResource: R }>(CREATE, { g: g.id, t: "Rights", u: `${origin}/page`, p: sub.id }, admin.accessToken)).data.createResource;
    assert.equal(link.path, "/Meetings/Minutes/Rights");
    assert.equal(link.metadata?.title, "Tenant rights");
    assert.equal(link.metadata?.description, "All about rents");
    assert.equal(link.metadata?.authorName, "Legal aid");
    assert.equal(link.metadata?.providerName, "Rights wiki");
    assert.equal(link.metadata?.html, null, "an oEmbed's HTML is never kept");
    assert.equal(link.metadata?.imageRemoteUrl, null, "no third-party picture is handed to browsers");
    // The root and a folder, by path.
    const root = (await inst.gql<{ resource: Folder }>(GET, { p: "/", u: g.preferredUsername }, member.accessToken)).data.resource;
    assert.equal(root.id, `root_${g.id}`);
    assert.deepEqual(root.children.elements.map((e) => e.path), ["/Meetings"]);
    const minutes = (await inst.gql<{ resource: Folder }>(GET, { p: "/Meetings/Minutes", u: g.preferredUsername }, member.accessToken)).data.resource;
    assert.deepEqual(minutes.children.elements.map((e) => e.title), ["Rights"]);
    // Renaming a folder moves what it holds; moving to the root with parentId null; a folder cannot go inside itself.
    await inst.gql(UPDATE, { id: folder.id, t: "Assemblies" }, member.accessToken);
    const moved = (await inst.gql<{ resource: Folder }>(GET, { p: "/Assemblies/Minutes", u: g.preferredUsername }, member.accessToken)).data.resource;
    assert.deepEqual(moved.children.elements.map((e) => e.path), ["/Assemblies/Minutes/Rights"]);
    expectError(await inst.gql(UPDATE, { id: folder.id, p: sub.id }, member.accessToken), "validation");
    const out = (await inst.gql<{ updateResource: R }>(UPDATE, { id: sub.id, p: null }, member.accessToken)).data.updateResource;
    assert.equal(out.path, "/Minutes");
    const rights = (await inst.gql<{ resource: Folder }>(GET, { p: "/Minutes/Rights", u: g.preferredUsername }, member.accessToken)).data.resource;
    assert.equal(rights.type, "link");
    expectError(await inst.gql(CREATE, { g: g.id, t: "Minutes", ty: "folder" }, member.accessToken), "conflict");
    const noLink = expectError(await inst.gql(CREATE, { g: g.id, t: "No link" }, member.accessToken), "validation");
    // Mobilizon's client joins these messages as a list.
    assert.deepEqual(noLink.message, ["A link needs its address"] as never);
    expectError(await inst.gql(CREATE, { g: g.id, t: "Bad", u: "javascript:alert(1)" }, member.accessToken), "validation");
    // Deleting a folder deletes what it holds.
    await inst.gql(DELETE, { id: sub.id }, member.accessToken);
    expectError(await inst.gql(GET, { p: "/Minutes/Rights", u: g.preferredUsername }, member.accessToken), "not_found");
  });

  test("strangers see nothing of a group's resources and change nothing", async () => {
    const { member, stranger, g } = await crew();
    const folder = (await inst.gql<{ createResource: R }>(CREATE, { g: g.id, t: "Private", ty: "folder" }, member.accessToken)).data.createResource;
    for (const token of [stranger.accessToken, undefined]) {
      expectError(await inst.gql(GET, { p: "/", u: g.preferredUsername }, token), token ? "not_found" : "unauthenticated");
      expectError(await inst.gql(GET, { p: "/Private", u: g.preferredUsername }, token), token ? "not_found" : "unauthenticated");
      expectError(await inst.gql(CREATE, { g: g.id, t: "Mine", ty: "folder" }, token), token ? "not_found" : "unauthenticated");
      expectError(await inst.gql(UPDATE, { id: folder.id, t: "Hacked" }, token), token ? "not_found" : "unauthenticated");
      expectError(await inst.gql(DELETE, { id: folder.id }, token), token ? "not_found" : "unauthenticated");
      const list = await inst.gql<{ group: { resources: unknown } }>(`query($n: String!) { group(preferredUsername: $n) { resources { total elements { title } } } }`, { n: g.preferredUsername }, token);
      assert.deepEqual(list.data.group.resources, { total: 0, elements: [] });
    }
  });

  test("link previews: bounded in size and time, redirects followed, internal addresses refused, one per request", async () => {
    const { member } = await crew();
    const ok = (await inst.gql<{ previewResourceLink: { title: string } }>(PREVIEW, { u: `${origin}/hop` }, member.accessToken)).data.previewResourceLink;
    assert.equal(ok.title, "Tenant rights");
    expectError(await inst.gql(PREVIEW, { u: `${origin}/huge` }, member.accessToken), "bad_request");
    const t0 = Date.now();
    expectError(await inst.gql(PREVIEW, { u: `${origin}/slow` }, member.accessToken), "bad_request");
    assert.ok(Date.now() - t0 < 8000, "gives up after about 5 s");
    expectError(await inst.gql(PREVIEW, { u: "ftp://example.org/x" }, member.accessToken), "validation");
    expectError(await inst.gql(PREVIEW, { u: `${origin}/page` }), "unauthenticated");
    const twice = await inst.gql(`mutation($u: String!) { a: previewResourceLink(resourceUrl: $u) { title } b: previewResourceLink(resourceUrl: $u) { title } }`, { u: `${origin}/page` }, member.accessToken);
    assert.ok(twice.errors?.some((e) => /One link preview per request/.test(e.message)));
    // Links added in one request are previewed once too, whatever the aliases.
    const g2 = await buildGroup(inst, member, { o: "OPEN" });
    const many = await inst.gql(`mutation($g: ID!, $u: String!) { a: createResource(actorId: $g, title: "A", resourceUrl: $u) { id } b: createResource(actorId: $g, title: "B", resourceUrl: $u) { id } }`, { g: g2.id, u: `${origin}/page` }, member.accessToken);
    assert.ok(many.errors?.some((e) => /One link preview per request/.test(e.message)));
    // Without ALLOW_PRIVATE_ADDRESSES, a loopback or private address is refused, by name or by number.
    const s = await crew(strict);
    for (const u of [`${origin}/page`, "https://127.0.0.1/", "https://localhost/", "https://10.1.2.3/", "https://[::1]/"]) {
      const e = expectError(await strict.gql(PREVIEW, { u }, s.member.accessToken), "bad_request");
      assert.match(e.message, /can't be previewed|Unable/);
    }
  });
});
