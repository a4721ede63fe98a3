// What strangers must not see (docs/security.md): unlisted events reached by walking numeric ids, media of drafts and
// private events, what staff read of an account, tags of private events, and comment edits that dodge moderation.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildPng, buildUser, expectError, gqlUpload, startInstance, type TestInstance } from "../../../test/kit.ts";

type Ids = { id: string; uuid: string };

describe("what strangers must not see", () => {
  let inst: TestInstance;
  let organizer: Awaited<ReturnType<typeof buildUser>>;
  let stranger: Awaited<ReturnType<typeof buildUser>>;
  before(async () => {
    inst = await startInstance();
    organizer = await buildUser(inst);
    stranger = await buildUser(inst);
  });
  after(() => inst.stop());

  const numericId = async (uuid: string) => String((await inst.services.events.findByRef({ uuid }))!.id);

  test("an unlisted event is not reached by walking numeric ids, and reads exactly like a missing one", async () => {
    const unlisted = await buildEvent(inst, organizer, { title: "Secret meeting", vis: "UNLISTED" });
    const num = await numericId(unlisted.uuid);
    // The API names it by its uuid, even to its organizer: the number never leaves the server.
    assert.equal(unlisted.id, unlisted.uuid);
    const c = await inst.gql<{ createComment: { id: string } }>(`mutation($e: ID!) { createComment(eventId: $e, text: "First") { id } }`, { e: unlisted.id }, organizer.accessToken);
    assert.equal(c.errors, undefined);
    const commentUuid = c.data.createComment.id;
    assert.match(commentUuid, /^[0-9a-f-]{36}$/, "its comments too are named by uuid");
    const commentNum = String((await inst.services.comments.eventOf(organizer.principal, commentUuid)).comment.id);
    const reply = await inst.gql(`mutation($e: ID!, $r: ID) { createComment(eventId: $e, text: "Reply", inReplyToCommentId: $r) { id } }`, { e: unlisted.id, r: commentUuid }, organizer.accessToken);
    assert.equal(reply.errors, undefined);

    const missing = "999999";
    const walk = async (eventId: string, commentId: string) => [
      await inst.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { event { uuid } } }`, { e: eventId, a: String(stranger.actor.id) }, stranger.accessToken),
      await inst.gql(`mutation($e: ID!, $a: ID!) { leaveEvent(eventId: $e, actorId: $a) { event { uuid } } }`, { e: eventId, a: String(stranger.actor.id) }, stranger.accessToken),
      await inst.gql(`mutation($e: ID!) { createComment(eventId: $e, text: "hi") { event { uuid } } }`, { e: eventId }, stranger.accessToken),
      await inst.gql(`query($c: ID!) { thread(id: $c) { event { uuid } } }`, { c: commentId }, stranger.accessToken),
      await inst.gql(`query($c: ID!) { thread(id: $c) { event { uuid } } }`, { c: commentId }),
      await inst.gql(`mutation($c: ID!) { createComment(eventId: "${eventId}", text: "re", inReplyToCommentId: $c) { id } }`, { c: commentId }, stranger.accessToken),
    ];
    const hidden = await walk(num, commentNum);
    const absent = await walk(missing, missing);
    for (const [i, r] of hidden.entries()) {
      assert.ok(r.errors?.length, `call ${i} is refused`);
      assert.doesNotMatch(JSON.stringify(r), new RegExp(unlisted.uuid), `call ${i} does not leak the uuid`);
      assert.deepEqual(r.errors!.map((e) => [e.code, e.message]), absent[i].errors!.map((e) => [e.code, e.message]), `call ${i} reads like a missing event`);
    }
    // With the link (the uuid the API gave), everyone may join, comment and read the thread, as before.
    const joined = await inst.gql<{ joinEvent: { role: string } }>(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { role } }`, { e: unlisted.id, a: String(stranger.actor.id) }, stranger.accessToken);
    assert.equal(joined.data.joinEvent.role, "PARTICIPANT");
    const thread = await inst.gql<{ thread: unknown[] }>(`query($c: ID!) { thread(id: $c) { id } }`, { c: commentUuid });
    assert.equal(thread.data.thread.length, 1);
    // A participant keeps reaching it by number too (it is theirs now).
    const mine = await inst.gql(`mutation($e: ID!) { createComment(eventId: $e, text: "I'm in") { id } }`, { e: num }, stranger.accessToken);
    assert.equal(mine.errors, undefined);
    // Public events keep their numbers.
    const pub = await buildEvent(inst, organizer);
    assert.match(pub.id, /^\d+$/);
  });

  test("media(id) answers only for one's own media or what one may see shows", async () => {
    const png = await buildPng();
    const upload = (vis: string, draft: boolean) =>
      gqlUpload<{ createEvent: Ids & { picture: { id: string; uuid: string } } }>(
        inst,
        organizer.accessToken,
        `mutation($a: ID!, $v: EventVisibility, $d: Boolean, $p: MediaInput) { createEvent(title: "T", description: "D", beginsOn: "2099-01-01T10:00:00Z", organizerActorId: $a, visibility: $v, draft: $d, picture: $p) { id uuid picture { id uuid } } }`,
        { a: String(organizer.actor.id), v: vis, d: draft, p: { media: { name: "secret-plan.png", file: null } } },
        { path: "variables.p.media.file", bytes: png, name: "secret-plan.png", type: "image/png" },
      );
    const draft = (await upload("PUBLIC", true)).data.createEvent.picture;
    const priv = (await upload("PRIVATE", false)).data.createEvent.picture;
    const pub = (await upload("PUBLIC", false)).data.createEvent.picture;
    const unlisted = (await upload("UNLISTED", false)).data.createEvent.picture;
    const q = `query($id: ID, $uuid: UUID) { media(id: $id, uuid: $uuid) { id name url } }`;
    for (const m of [draft, priv, unlisted]) {
      for (const token of [stranger.accessToken, null]) {
        expectError(await inst.gql(q, { id: m.id }, token), "not_found");
        expectError(await inst.gql(q, { uuid: m.uuid }, token), "not_found");
      }
      // Its owner still sees it.
      assert.equal((await inst.gql<{ media: { name: string } }>(q, { id: m.id }, organizer.accessToken)).data.media.name, "secret-plan.png");
    }
    assert.equal((await inst.gql<{ media: { id: string } }>(q, { id: pub.id })).data.media.id, pub.id);
    assert.equal((await inst.gql<{ media: { id: string } }>(q, { uuid: pub.uuid })).data.media.id, pub.id);
    // A public profile's avatar is public.
    const avatar = await gqlUpload<{ updatePerson: { avatar: { id: string } } }>(
      inst,
      organizer.accessToken,
      `mutation($id: ID!, $a: MediaInput) { updatePerson(id: $id, avatar: $a) { avatar { id } } }`,
      { id: String(organizer.actor.id), a: { media: { name: "me.png", file: null } } },
      { path: "variables.a.media.file", bytes: png, name: "me.png", type: "image/png" },
    );
    assert.equal((await inst.gql<{ media: { id: string } }>(q, { id: avatar.data.updatePerson.avatar.id })).data.media.id, avatar.data.updatePerson.avatar.id);
  });

  test("staff reading an account: never its feed tokens, drafts or settings; participations in public events only", async () => {
    const moderator = await buildUser(inst, { role: "MODERATOR" });
    const member = await buildUser(inst);
    await inst.gql(`mutation { createFeedToken { token } }`, {}, member.accessToken);
    await inst.gql(`mutation { setUserSettings(timezone: "Europe/Paris") { timezone } }`, {}, member.accessToken);
    await buildEvent(inst, member, { title: "My draft", draft: true });
    const priv = await buildEvent(inst, organizer, { title: "Private", vis: "PRIVATE" });
    const pub = await buildEvent(inst, organizer, { title: "Public" });
    // The member took part in both (the private one through its organizer's invitation: inserted directly here).
    await inst.services.participations.join(member.principal, { uuid: pub.uuid }, member.actor.id, null);
    await inst.database.db
      .insertInto("participants")
      .values({ uuid: crypto.randomUUID(), event_id: Number(await numericId(priv.uuid)), actor_id: member.actor.id, role: "PARTICIPANT", inserted_at: new Date(), updated_at: new Date() })
      .execute();
    const q = `query($id: ID!) { user(id: $id) { email feedTokens { token } drafts { total } settings { timezone } participations { total elements { event { title } } } } }`;
    const r = await inst.gql<{ user: { email: string; feedTokens: unknown[]; drafts: unknown; settings: unknown; participations: { total: number; elements: { event: { title: string } }[] } } }>(
      q,
      { id: String(member.user.id) },
      moderator.accessToken,
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data.user.email, member.email);
    assert.deepEqual(r.data.user.feedTokens, []);
    assert.equal(r.data.user.drafts, null);
    assert.equal(r.data.user.settings, null);
    assert.deepEqual(r.data.user.participations, { total: 1, elements: [{ event: { title: "Public" } }] });
    // The account itself sees all of it.
    const own = await inst.gql<{ loggedUser: { feedTokens: unknown[]; drafts: { total: number }; participations: { total: number } } }>(
      `{ loggedUser { feedTokens { token } drafts { total } participations { total } } }`,
      {},
      member.accessToken,
    );
    assert.equal(own.data.loggedUser.feedTokens.length, 1);
    assert.equal(own.data.loggedUser.drafts.total, 1);
    assert.equal(own.data.loggedUser.participations.total, 3, "the public and private events, and their own draft (as its creator)");
  });

  test("the public tags query counts and lists tags of published public events only", async () => {
    await buildEvent(inst, organizer, { title: "Hidden plans", vis: "PRIVATE", tags: ["blockade-plans"] });
    await buildEvent(inst, organizer, { title: "Draft plans", draft: true, tags: ["blockade-plans", "choir"] });
    await buildEvent(inst, organizer, { title: "Choir night", tags: ["choir"] });
    const r = await inst.gql<{ tags: { title: string }[] }>(`{ tags(limit: 100) { title } }`);
    const titles = r.data.tags.map((t) => t.title);
    assert.ok(titles.includes("choir"));
    assert.ok(!titles.includes("blockade-plans"), "a tag only private events and drafts carry is not listed");
  });

  test("editing a comment follows the event's comment rules: refused when closed, held again when moderated", async () => {
    const e = await buildEvent(inst, organizer, { opts: { commentModeration: "ALLOW_ALL" } });
    const c = await inst.gql<{ createComment: { id: string } }>(`mutation($e: ID!) { createComment(eventId: $e, text: "Nice") { id } }`, { e: e.id }, stranger.accessToken);
    const edit = (text: string) => inst.gql<{ updateComment: { visibility: string } }>(`mutation($c: ID!, $t: String!) { updateComment(commentId: $c, text: $t) { visibility } }`, { c: c.data.createComment.id, t: text }, stranger.accessToken);
    const setModeration = (m: string) => inst.gql(`mutation($e: ID!, $o: EventOptionsInput) { updateEvent(eventId: $e, options: $o) { id } }`, { e: e.id, o: { commentModeration: m } }, organizer.accessToken);
    await setModeration("MODERATED");
    const held = await edit("Nice, edited to something else");
    assert.equal(held.data.updateComment.visibility, "MODERATED");
    const seen = await inst.gql<{ event: { comments: unknown[] } }>(`query($u: UUID!) { event(uuid: $u) { comments { id } } }`, { u: e.uuid });
    assert.equal(seen.data.event.comments.length, 0, "strangers no longer see it until it is approved");
    await setModeration("CLOSED");
    expectError(await edit("Sneaky edit after closing"), "forbidden");
  });
});
