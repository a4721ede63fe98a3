import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildCrew, buildGroup, buildPng, buildUser, expectError, gqlUpload, startInstance, type TestInstance } from "../../../test/kit.ts";

const CREATE = `mutation($g: ID!, $t: String!, $b: String!, $v: PostVisibility, $d: Boolean, $tags: [String], $l: String) {
  createPost(attributedToId: $g, title: $t, body: $b, visibility: $v, draft: $d, tags: $tags, language: $l) { id slug url title body draft visibility language publishAt tags { title slug } author { preferredUsername } attributedTo { preferredUsername } } }`;
const UPDATE = `mutation($id: ID!, $t: String, $d: Boolean, $v: PostVisibility) { updatePost(id: $id, title: $t, draft: $d, visibility: $v) { id title draft publishAt visibility } }`;
const DELETE = `mutation($id: ID!) { deletePost(id: $id) { id } }`;
const POST = `query($s: String!) { post(slug: $s) { id title body visibility } }`;
const POSTS = `query($n: String!) { group(preferredUsername: $n) { posts { total elements { title draft visibility } } } }`;

type Created = { id: string; slug: string; url: string; title: string; body: string; draft: boolean; visibility: string; language: string; publishAt: string | null; tags: { title: string; slug: string }[]; author: { preferredUsername: string }; attributedTo: { preferredUsername: string } };

describe("group posts", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  async function crew() {
    const { admin, stranger, g, people: [member] } = await buildCrew(inst);
    return { admin, member, stranger, g };
  }
  const create = async (token: string, vars: Record<string, unknown>) => inst.gql<{ createPost: Created }>(CREATE, { t: "Hello", b: "<p>World</p>", ...vars }, token);

  test("moderators write posts with tags and language; members and strangers cannot", async () => {
    const { admin, member, stranger, g } = await crew();
    const r = await create(admin.accessToken, { g: g.id, t: "Our first assembly", b: `<p>It went <em>well</em><script>x()</script></p>`, tags: ["Housing", "#assembly"], l: "en" });
    const p = r.data.createPost;
    assert.match(p.slug, /^our-first-assembly-[0-9a-f]{8}$/);
    assert.equal(p.url, `${inst.config.baseUrl}/p/${p.slug}`);
    assert.equal(p.body, "<p>It went <em>well</em></p>");
    assert.deepEqual(p.tags.map((t) => t.title).sort(), ["Housing", "assembly"]);
    assert.equal(p.language, "en");
    assert.equal(p.author.preferredUsername, admin.username);
    assert.equal(p.attributedTo.preferredUsername, g.preferredUsername);
    assert.ok(p.publishAt);
    for (const u of [member, stranger]) expectError(await create(u.accessToken, { g: g.id }), "not_permitted");
    expectError(await inst.gql(CREATE, { g: g.id, t: "x", b: "y" }), "unauthenticated");
    expectError(await create(admin.accessToken, { g: g.id, t: "   " }), "validation");
    expectError(await create(admin.accessToken, { g: g.id, b: "<p> </p>" }), "validation");
    expectError(await create(admin.accessToken, { g: g.id, b: "x".repeat(100_001) }), "validation");
    expectError(await create(admin.accessToken, { g: "99999999" }), "not_found");
    // Members and strangers cannot edit or delete it; the administrator can.
    for (const u of [member, stranger]) {
      expectError(await inst.gql(UPDATE, { id: p.id, t: "Hijacked" }, u.accessToken), "not_permitted");
      expectError(await inst.gql(DELETE, { id: p.id }, u.accessToken), "not_permitted");
    }
    assert.equal((await inst.gql<{ updatePost: { title: string } }>(UPDATE, { id: p.id, t: "Our first assembly, notes" }, admin.accessToken)).data.updatePost.title, "Our first assembly, notes");
    assert.ok((await inst.gql<{ deletePost: { id: string } }>(DELETE, { id: p.id }, admin.accessToken)).data.deletePost.id);
    expectError(await inst.gql(POST, { s: p.slug }, admin.accessToken), "not_found");
  });

  test("members-only posts and drafts never reach strangers; publishing a draft dates it", async () => {
    const { admin, member, stranger, g } = await crew();
    const pub = (await create(admin.accessToken, { g: g.id, t: "Public news" })).data.createPost;
    const unl = (await create(admin.accessToken, { g: g.id, t: "Unlisted news", v: "UNLISTED" })).data.createPost;
    const priv = (await create(admin.accessToken, { g: g.id, t: "Members news", v: "PRIVATE", b: "<p>Secret plan</p>" })).data.createPost;
    const draft = (await create(admin.accessToken, { g: g.id, t: "Draft news", d: true })).data.createPost;
    assert.equal(draft.publishAt, null);
    const titles = async (token?: string) => (await inst.gql<{ group: { posts: { total: number; elements: { title: string }[] } } }>(POSTS, { n: g.preferredUsername }, token)).data.group.posts.elements.map((e) => e.title).sort();
    assert.deepEqual(await titles(), ["Public news"]);
    assert.deepEqual(await titles(stranger.accessToken), ["Public news"]);
    assert.deepEqual(await titles(member.accessToken), ["Members news", "Public news", "Unlisted news"]);
    assert.deepEqual(await titles(admin.accessToken), ["Draft news", "Members news", "Public news", "Unlisted news"]);
    // By slug: unlisted by link for anyone; members-only and drafts hidden.
    assert.equal((await inst.gql<{ post: { title: string } }>(POST, { s: unl.slug })).data.post.title, "Unlisted news");
    assert.equal((await inst.gql<{ post: { title: string } }>(POST, { s: pub.slug })).data.post.title, "Public news");
    for (const token of [undefined, stranger.accessToken]) {
      expectError(await inst.gql(POST, { s: priv.slug }, token), "not_found");
      expectError(await inst.gql(POST, { s: draft.slug }, token), "not_found");
      expectError(await inst.gql(UPDATE, { id: priv.id, t: "x" }, token), token ? "not_found" : "unauthenticated");
    }
    assert.equal((await inst.gql<{ post: { body: string } }>(POST, { s: priv.slug }, member.accessToken)).data.post.body, "<p>Secret plan</p>");
    expectError(await inst.gql(POST, { s: draft.slug }, member.accessToken), "not_found");
    const published = (await inst.gql<{ updatePost: { draft: boolean; publishAt: string } }>(UPDATE, { id: draft.id, d: false }, admin.accessToken)).data.updatePost;
    assert.equal(published.draft, false);
    assert.ok(published.publishAt);
    expectError(await inst.gql(UPDATE, { id: draft.id, d: true }, admin.accessToken), "validation");
    // A deleted group takes its posts along.
    await inst.gql(`mutation($id: ID!) { deleteGroup(groupId: $id) { id } }`, { id: g.id }, admin.accessToken);
    expectError(await inst.gql(POST, { s: pub.slug }), "not_found");
  });

  test("a removed author neither reads nor changes what they wrote in the group; a private group's posts are its members' only", async () => {
    const { admin, member, g } = await crew();
    const ROLE = `mutation($id: ID!, $r: MemberRoleEnum!) { updateMember(memberId: $id, role: $r) { id } }`;
    const mid = (await inst.gql<{ group: { members: { elements: { id: string; actor: { preferredUsername: string } }[] } } }>(`query($n: String!) { group(preferredUsername: $n) { members { elements { id actor { preferredUsername } } } } }`, { n: g.preferredUsername }, admin.accessToken)).data.group.members.elements.find((m) => m.actor.preferredUsername === member.username)!.id;
    await inst.gql(ROLE, { id: mid, r: "MODERATOR" }, admin.accessToken);
    const secret = (await create(member.accessToken, { g: g.id, t: "Internal", v: "PRIVATE" })).data.createPost;
    const draft = (await create(member.accessToken, { g: g.id, t: "Unfinished", d: true })).data.createPost;
    await inst.gql(`mutation($id: ID!) { removeMember(memberId: $id, exclude: true) { id } }`, { id: mid }, admin.accessToken);
    for (const p of [secret, draft]) {
      expectError(await inst.gql(POST, { s: p.slug }, member.accessToken), "not_found");
      expectError(await inst.gql(UPDATE, { id: p.id, v: "PUBLIC", d: false }, member.accessToken), "not_found");
    }
    // A private group: a post asked to be public is for members only.
    const priv = await buildGroup(inst, admin, { v: "PRIVATE" });
    const p = (await create(admin.accessToken, { g: priv.id, t: "Hidden news", v: "PUBLIC" })).data.createPost;
    assert.equal(p.visibility, "PRIVATE");
    expectError(await inst.gql(POST, { s: p.slug }), "not_found");
    const stranger = await buildUser(inst);
    expectError(await inst.gql(POST, { s: p.slug }, stranger.accessToken), "not_found");
  });

  test("a post's picture: anyone sees a public post's, only members a members-only post's", async () => {
    const { admin, member, stranger, g } = await crew();
    const png = await buildPng();
    const withPicture = async (title: string, v: string) =>
      (await gqlUpload<{ createPost: { slug: string; picture: { uuid: string } } }>(
        inst,
        admin.accessToken,
        `mutation($g: ID!, $t: String!, $v: PostVisibility, $p: MediaInput) { createPost(attributedToId: $g, title: $t, body: "<p>x</p>", visibility: $v, picture: $p) { slug picture { uuid } } }`,
        { g: g.id, t: title, v, p: { media: { name: "cover.png", alt: "A cover", file: null } } },
        { path: "variables.p.media.file", bytes: png, name: "cover.png", type: "image/png" },
      )).data.createPost;
    const pub = await withPicture("With a cover", "PUBLIC");
    const priv = await withPicture("Secret cover", "PRIVATE");
    const seen = async (uuid: string, token?: string) => !(await inst.gql(`query($u: UUID) { media(uuid: $u) { id } }`, { u: uuid }, token)).errors;
    assert.equal(await seen(pub.picture.uuid, stranger.accessToken), true);
    assert.equal(await seen(priv.picture.uuid, stranger.accessToken), false);
    assert.equal(await seen(priv.picture.uuid, member.accessToken), true);
  });
});
