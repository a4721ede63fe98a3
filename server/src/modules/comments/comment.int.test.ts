import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const CREATE = `mutation($e: ID!, $t: String!, $r: ID, $a: Boolean) { createComment(eventId: $e, text: $t, inReplyToCommentId: $r, isAnnouncement: $a) { id uuid url text isAnnouncement visibility actor { preferredUsername } } }`;
const COMMENTS = `query($u: UUID!) { event(uuid: $u) { comments { id text isAnnouncement deletedAt totalReplies actor { preferredUsername } replies { id text inReplyToComment { id } } } } }`;
type Created = { createComment: { id: string; uuid: string; url: string; text: string; visibility: string } };
type Listed = { event: { comments: { id: string; text: string; isAnnouncement: boolean; deletedAt: string | null; totalReplies: number; actor: { preferredUsername: string } | null; replies: { id: string; text: string }[] }[] } };

describe("comments", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("threads: comment, reply, edit by the author, delete leaves a tombstone, permalink", async () => {
    const org = await buildUser(inst);
    const a = await buildUser(inst);
    const b = await buildUser(inst);
    const e = await buildEvent(inst, org);
    const c1 = await inst.gql<Created>(CREATE, { e: e.id, t: "Can I bring my dog?\n\nHe is nice." }, a.accessToken);
    assert.equal(c1.data.createComment.text, "<p>Can I bring my dog?</p><p>He is nice.</p>");
    const reply = await inst.gql<Created>(CREATE, { e: e.id, t: "<p>Yes <script>x</script>of course</p>", r: c1.data.createComment.id }, b.accessToken);
    assert.equal(reply.data.createComment.text, "<p>Yes of course</p>");

    expectError(await inst.gql(`mutation($c: ID!) { updateComment(commentId: $c, text: "Hacked") { id } }`, { c: c1.data.createComment.id }, b.accessToken), "forbidden");
    const edited = await inst.gql<{ updateComment: { text: string } }>(`mutation($c: ID!) { updateComment(commentId: $c, text: "Can I bring my cat?") { text } }`, { c: c1.data.createComment.id }, a.accessToken);
    assert.equal(edited.data.updateComment.text, "<p>Can I bring my cat?</p>");

    let list = await inst.gql<Listed>(COMMENTS, { u: e.uuid });
    assert.equal(list.data.event.comments.length, 1);
    assert.equal(list.data.event.comments[0].totalReplies, 1);
    assert.equal(list.data.event.comments[0].replies[0].text, "<p>Yes of course</p>");

    expectError(await inst.gql(`mutation($c: ID!) { deleteComment(commentId: $c) { id } }`, { c: c1.data.createComment.id }, b.accessToken), "forbidden");
    await inst.gql(`mutation($c: ID!) { deleteComment(commentId: $c) { id deletedAt } }`, { c: c1.data.createComment.id }, a.accessToken);
    list = await inst.gql<Listed>(COMMENTS, { u: e.uuid });
    assert.equal(list.data.event.comments[0].text, "");
    assert.ok(list.data.event.comments[0].deletedAt);
    assert.equal(list.data.event.comments[0].actor, null);
    assert.equal(list.data.event.comments[0].replies.length, 1, "the replies stay under the tombstone");

    const link = await inst.http.request(new URL(reply.data.createComment.url).pathname);
    assert.equal(link.status, 302);
    assert.equal(link.headers.get("location"), `/events/${e.uuid}#comment-${reply.data.createComment.uuid}`);
  });

  test("organizers and moderators delete others' comments; strangers and anonymous people can't", async () => {
    const org = await buildUser(inst);
    const a = await buildUser(inst);
    const mod = await buildUser(inst, { role: "MODERATOR" });
    const e = await buildEvent(inst, org);
    const c1 = await inst.gql<Created>(CREATE, { e: e.id, t: "spam spam" }, a.accessToken);
    const c2 = await inst.gql<Created>(CREATE, { e: e.id, t: "more spam" }, a.accessToken);
    expectError(await inst.gql(CREATE, { e: e.id, t: "anon" }), "unauthenticated");
    assert.ok((await inst.gql(`mutation($c: ID!) { deleteComment(commentId: $c) { id } }`, { c: c1.data.createComment.id }, org.accessToken)).data);
    const byMod = await inst.gql<{ deleteComment: { deletedAt: string } }>(`mutation($c: ID!) { deleteComment(commentId: $c) { deletedAt } }`, { c: c2.data.createComment.id }, mod.accessToken);
    assert.ok(byMod.data.deleteComment.deletedAt);
  });

  test("announcements: organizers only, pinned first, e-mailed to participants", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Garden day" });
    await inst.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id } }`, { e: e.id, a: String(p.actor.id) }, p.accessToken);
    await inst.gql(CREATE, { e: e.id, t: "First!" }, p.accessToken);
    expectError(await inst.gql(CREATE, { e: e.id, t: "Fake news", a: true }, p.accessToken), "forbidden");
    await inst.gql(CREATE, { e: e.id, t: "Bring gloves, the meeting point moved to the north gate.", a: true }, org.accessToken);
    const list = await inst.gql<Listed>(COMMENTS, { u: e.uuid });
    assert.equal(list.data.event.comments[0].isAnnouncement, true);
    await inst.drain();
    const mail = await inst.mailbox.waitFor(p.email, /Announcement: Garden day/);
    assert.match(mail.text, /north gate/);
  });

  test("closed comments refuse others; moderated comments wait for the organizer's approval", async () => {
    const org = await buildUser(inst);
    const a = await buildUser(inst);
    const stranger = await buildUser(inst);
    const closed = await buildEvent(inst, org, { opts: { commentModeration: "CLOSED" } });
    expectError(await inst.gql(CREATE, { e: closed.id, t: "hello?" }, a.accessToken), "forbidden");
    assert.equal((await inst.gql(CREATE, { e: closed.id, t: "Organizer note" }, org.accessToken)).errors, undefined);

    const moderated = await buildEvent(inst, org, { opts: { commentModeration: "MODERATED" } });
    const held = await inst.gql<Created>(CREATE, { e: moderated.id, t: "Please approve me" }, a.accessToken);
    assert.equal(held.data.createComment.visibility, "MODERATED");
    const seen = async (token: string | null) => (await inst.gql<Listed>(COMMENTS, { u: moderated.uuid }, token)).data.event.comments.map((c) => c.text);
    assert.deepEqual(await seen(stranger.accessToken), []);
    assert.deepEqual(await seen(a.accessToken), ["<p>Please approve me</p>"]);
    assert.deepEqual(await seen(org.accessToken), ["<p>Please approve me</p>"]);
    expectError(await inst.gql(`mutation($c: ID!) { approveComment(commentId: $c) { id } }`, { c: held.data.createComment.id }, a.accessToken), "forbidden");
    await inst.gql(`mutation($c: ID!) { approveComment(commentId: $c) { id } }`, { c: held.data.createComment.id }, org.accessToken);
    assert.deepEqual(await seen(null), ["<p>Please approve me</p>"]);
  });

  test("comments on private events stay private; empty and oversized comments are refused", async () => {
    const org = await buildUser(inst);
    const stranger = await buildUser(inst);
    const priv = await buildEvent(inst, org, { vis: "PRIVATE" });
    expectError(await inst.gql(CREATE, { e: priv.id, t: "let me in" }, stranger.accessToken), "not_found");
    const pub = await buildEvent(inst, org);
    expectError(await inst.gql(CREATE, { e: pub.id, t: "   " }, stranger.accessToken), "validation");
    expectError(await inst.gql(CREATE, { e: pub.id, t: "<p><script>x</script></p>" }, stranger.accessToken), "validation");
    expectError(await inst.gql(CREATE, { e: pub.id, t: "x".repeat(10_001) }, stranger.accessToken), "validation");
  });

  test("a flood of comments from one account is slowed down", async () => {
    const u = await buildUser(inst);
    const e = await buildEvent(inst, u);
    const post = () => inst.gql(`mutation($e: ID!) { createComment(eventId: $e, text: "again") { id } }`, { e: e.id }, u.accessToken);
    for (let i = 0; i < 30; i++) assert.equal((await post()).errors, undefined, `comment ${i}`);
    expectError(await post(), "rate_limited");
  });
});
