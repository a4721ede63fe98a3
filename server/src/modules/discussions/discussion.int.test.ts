import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildCrew, buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const CREATE = `mutation($g: ID!, $t: String!, $x: String!) { createDiscussion(actorId: $g, title: $t, text: $x) { id slug title creator { preferredUsername } actor { preferredUsername } lastComment { text } } }`;
const REPLY = `mutation($id: ID!, $x: String!) { replyToDiscussion(discussionId: $id, text: $x) { id lastComment { id text actor { preferredUsername } } } }`;
const RENAME = `mutation($id: ID!, $t: String!) { updateDiscussion(discussionId: $id, title: $t) { id title } }`;
const DELETE = `mutation($id: ID!) { deleteDiscussion(discussionId: $id) { id } }`;
const GET = `query($s: String, $p: Int, $l: Int) { discussion(slug: $s) { id title comments(page: $p, limit: $l) { total elements { id text deletedAt actor { preferredUsername } } } } }`;
const LIST = `query($n: String!) { group(preferredUsername: $n) { discussions { total elements { title lastComment { text } } } } }`;
const EDIT = `mutation($id: ID!, $x: String!) { updateComment(commentId: $id, text: $x) { id text } }`;
const DEL_MSG = `mutation($id: ID!) { deleteComment(commentId: $id) { id } }`;

type Disc = { id: string; slug: string; title: string };

describe("group discussions", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  async function crew() {
    const { admin, stranger, g, people: [member, other] } = await buildCrew(inst, ["MEMBER", "MEMBER"]);
    return { admin, member, other, stranger, g };
  }

  test("members open discussions, reply, rename; messages come oldest first, a page at a time", async () => {
    const { admin, member, other, g } = await crew();
    const d = (await inst.gql<{ createDiscussion: Disc & { creator: { preferredUsername: string }; lastComment: { text: string } } }>(CREATE, { g: g.id, t: "Next assembly", x: "When shall we meet?" }, member.accessToken)).data.createDiscussion;
    assert.match(d.slug, /^next-assembly-[0-9a-f]{8}$/);
    assert.equal(d.creator.preferredUsername, member.username);
    assert.equal(d.lastComment.text, "<p>When shall we meet?</p>");
    for (let i = 1; i <= 11; i++) await inst.gql(REPLY, { id: d.id, x: `Answer ${i}` }, i % 2 ? admin.accessToken : other.accessToken);
    const page1 = (await inst.gql<{ discussion: { comments: { total: number; elements: { text: string }[] } } }>(GET, { s: d.slug, p: 1, l: 10 }, member.accessToken)).data.discussion.comments;
    assert.equal(page1.total, 12);
    assert.equal(page1.elements[0].text, "<p>When shall we meet?</p>");
    assert.equal(page1.elements[9].text, "<p>Answer 9</p>");
    const page2 = (await inst.gql<{ discussion: { comments: { elements: { text: string }[] } } }>(GET, { s: d.slug, p: 2, l: 10 }, member.accessToken)).data.discussion.comments;
    assert.deepEqual(page2.elements.map((e) => e.text), ["<p>Answer 10</p>", "<p>Answer 11</p>"]);
    assert.equal((await inst.gql<{ updateDiscussion: { title: string } }>(RENAME, { id: d.id, t: "Next assembly: date" }, other.accessToken)).data.updateDiscussion.title, "Next assembly: date");
    const list = (await inst.gql<{ group: { discussions: { total: number; elements: { title: string; lastComment: { text: string } }[] } } }>(LIST, { n: g.preferredUsername }, admin.accessToken)).data.group.discussions;
    assert.equal(list.total, 1);
    assert.equal(list.elements[0].lastComment.text, "<p>Answer 11</p>");
    expectError(await inst.gql(CREATE, { g: g.id, t: " ", x: "x" }, member.accessToken), "validation");
    expectError(await inst.gql(REPLY, { id: d.id, x: "   " }, member.accessToken), "validation");
  });

  test("strangers, visitors and pending members see nothing of discussions, through any field", async () => {
    const { admin, member, stranger, g } = await crew();
    const d = (await inst.gql<{ createDiscussion: Disc }>(CREATE, { g: g.id, t: "Secret plan", x: "Only for us" }, member.accessToken)).data.createDiscussion;
    const msgs = (await inst.gql<{ discussion: { comments: { elements: { id: string }[] } } }>(GET, { s: d.slug }, member.accessToken)).data.discussion.comments.elements;
    await inst.gql(`mutation($id: ID!) { updateGroup(id: $id, openness: MODERATED) { id } }`, { id: g.id }, admin.accessToken);
    const pending = await buildUser(inst);
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, pending.accessToken);
    for (const u of [stranger, pending]) {
      const e = expectError(await inst.gql(GET, { s: d.slug }, u.accessToken), "not_found");
      assert.equal(e.message, "No such discussion");
      expectError(await inst.gql(`query($id: ID) { discussion(id: $id) { title } }`, { id: d.id }, u.accessToken), "not_found");
      expectError(await inst.gql(REPLY, { id: d.id, x: "let me in" }, u.accessToken), "not_found");
      expectError(await inst.gql(RENAME, { id: d.id, t: "mine" }, u.accessToken), "not_found");
      expectError(await inst.gql(DELETE, { id: d.id }, u.accessToken), "not_found");
      expectError(await inst.gql(CREATE, { g: g.id, t: "x", x: "y" }, u.accessToken), "not_found");
      expectError(await inst.gql(EDIT, { id: msgs[0].id, x: "changed" }, u.accessToken), "not_found");
      expectError(await inst.gql(DEL_MSG, { id: msgs[0].id }, u.accessToken), "not_found");
      assert.deepEqual((await inst.gql<{ group: { discussions: unknown } }>(LIST, { n: g.preferredUsername }, u.accessToken)).data.group.discussions, { total: 0, elements: [] });
    }
    expectError(await inst.gql(GET, { s: d.slug }), "unauthenticated");
    assert.deepEqual((await inst.gql<{ group: { discussions: unknown } }>(LIST, { n: g.preferredUsername })).data.group.discussions, { total: 0, elements: [] });
    // The message's permalink and its ActivityPub URL show nothing either.
    const perma = await inst.http.request(`/comments/${(await inst.services.comments.findByIds([Number(msgs[0].id)]))[0].uuid}`, { headers: { accept: "application/activity+json" } });
    assert.ok(perma.status === 404 || perma.status === 410, String(perma.status));
    assert.doesNotMatch(await perma.text(), /Only for us/);
    // The instance's statistics do not count members-only messages.
    const stats = await inst.gql<{ statistics: { numberOfComments: number } }>(`{ statistics { numberOfComments } }`);
    assert.equal(stats.data.statistics.numberOfComments, 0);
  });

  test("authors edit their messages; authors and moderators delete them; creators and moderators delete discussions", async () => {
    const { admin, member, other, g } = await crew();
    const d = (await inst.gql<{ createDiscussion: Disc }>(CREATE, { g: g.id, t: "Ideas", x: "First idea" }, member.accessToken)).data.createDiscussion;
    await inst.gql(REPLY, { id: d.id, x: "Second idea" }, other.accessToken);
    const [mine, theirs] = (await inst.gql<{ discussion: { comments: { elements: { id: string }[] } } }>(GET, { s: d.slug }, member.accessToken)).data.discussion.comments.elements;
    assert.equal((await inst.gql<{ updateComment: { text: string } }>(EDIT, { id: mine.id, x: "First idea, better" }, member.accessToken)).data.updateComment.text, "<p>First idea, better</p>");
    expectError(await inst.gql(EDIT, { id: theirs.id, x: "Not mine" }, member.accessToken), "forbidden");
    expectError(await inst.gql(DEL_MSG, { id: theirs.id }, member.accessToken), "forbidden");
    assert.ok((await inst.gql<{ deleteComment: { id: string } }>(DEL_MSG, { id: theirs.id }, admin.accessToken)).data.deleteComment.id);
    const after = (await inst.gql<{ discussion: { comments: { elements: { text: string; deletedAt: string | null }[] } } }>(GET, { s: d.slug }, member.accessToken)).data.discussion.comments.elements;
    assert.equal(after[1].text, "");
    assert.ok(after[1].deletedAt);
    expectError(await inst.gql(DELETE, { id: d.id }, other.accessToken), "not_permitted");
    assert.ok((await inst.gql<{ deleteDiscussion: { id: string } }>(DELETE, { id: d.id }, member.accessToken)).data.deleteDiscussion.id);
    expectError(await inst.gql(GET, { s: d.slug }, member.accessToken), "not_found");
    // A moderator deletes someone else's discussion; a deleted group takes its discussions along.
    const d2 = (await inst.gql<{ createDiscussion: Disc }>(CREATE, { g: g.id, t: "More", x: "More ideas" }, member.accessToken)).data.createDiscussion;
    assert.ok((await inst.gql<{ deleteDiscussion: { id: string } }>(DELETE, { id: d2.id }, admin.accessToken)).data.deleteDiscussion.id);
    const d3 = (await inst.gql<{ createDiscussion: Disc }>(CREATE, { g: g.id, t: "Last", x: "Last ideas" }, member.accessToken)).data.createDiscussion;
    await inst.gql(`mutation($id: ID!) { deleteGroup(groupId: $id) { id } }`, { id: g.id }, admin.accessToken);
    expectError(await inst.gql(GET, { s: d3.slug }, member.accessToken), "not_found");
  });
});
