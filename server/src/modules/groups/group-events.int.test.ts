import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildCrew, buildEvent, buildGroup, buildUser, expectError, inDays, startInstance, type TestInstance } from "../../../test/kit.ts";

const EVENTS = `query($n: String!, $after: DateTime) { group(preferredUsername: $n) { organizedEvents(afterDatetime: $after) { total elements { title draft visibility attributedTo { preferredUsername } } } } }`;
const UPDATE = `mutation($id: ID!, $t: String, $o: ID) { updateEvent(eventId: $id, title: $t, organizerActorId: $o) { id title organizerActor { preferredUsername } } }`;

type Events = { group: { organizedEvents: { total: number; elements: { title: string; draft: boolean }[] } } };

describe("group events", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  /** A group with an administrator, a moderator, a member; and a stranger. */
  async function crew() {
    const { admin, stranger, g, people: [mod, member] } = await buildCrew(inst, ["MODERATOR", "MEMBER"]);
    return { admin, mod, member, stranger, g };
  }

  test("moderators publish in the group's name; members and strangers cannot", async () => {
    const { admin, mod, member, stranger, g } = await crew();
    const e = await buildEvent(inst, mod, { title: "Group picnic", attributedToId: g.id } as never);
    const seen = await inst.gql<{ event: { attributedTo: { preferredUsername: string; type: string }; organizerActor: { preferredUsername: string } } }>(
      `query($u: UUID!) { event(uuid: $u) { attributedTo { preferredUsername type } organizerActor { preferredUsername } } }`,
      { u: e.uuid },
    );
    assert.deepEqual(seen.data.event.attributedTo, { preferredUsername: g.preferredUsername, type: "GROUP" });
    assert.equal(seen.data.event.organizerActor.preferredUsername, mod.username);
    await assert.rejects(buildEvent(inst, member, { attributedToId: g.id } as never), /not_permitted/);
    await assert.rejects(buildEvent(inst, stranger, { attributedToId: g.id } as never), /not_permitted/);
    await assert.rejects(buildEvent(inst, admin, { attributedToId: "999999" } as never), /not_found/);
    // The administrator (not the organizer) edits it, sending the organizer back as Mobilizon's client does.
    const up = await inst.gql<{ updateEvent: { title: string; organizerActor: { preferredUsername: string } } }>(UPDATE, { id: e.id, t: "Group picnic, moved", o: String(mod.actor.id) }, admin.accessToken);
    assert.equal(up.data.updateEvent.title, "Group picnic, moved");
    assert.equal(up.data.updateEvent.organizerActor.preferredUsername, mod.username);
    for (const u of [member, stranger]) expectError(await inst.gql(UPDATE, { id: e.id, t: "Hijacked" }, u.accessToken), "forbidden");
    // An organizer cannot move their own event into a group they do not moderate.
    const own = await buildEvent(inst, member, { title: "Mine" });
    expectError(await inst.gql(`mutation($id: ID!, $g: ID) { updateEvent(eventId: $id, attributedToId: $g) { id } }`, { id: own.id, g: g.id }, member.accessToken), "not_permitted");
    // The administrator manages its participants.
    const p = await buildUser(inst);
    await inst.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id } }`, { e: e.id, a: String(p.actor.id) }, p.accessToken);
    const parts = await inst.gql<{ event: { participants: { total: number } } }>(`query($u: UUID!) { event(uuid: $u) { participants { total } } }`, { u: e.uuid }, admin.accessToken);
    assert.equal(parts.data.event.participants.total, 2);
    const hidden = await inst.gql<{ event: { participants: { total: number } } }>(`query($u: UUID!) { event(uuid: $u) { participants { total } } }`, { u: e.uuid }, member.accessToken);
    assert.equal(hidden.data.event.participants.total, 0);
    // A moderator deletes it; a member cannot.
    expectError(await inst.gql(`mutation($id: ID!) { deleteEvent(eventId: $id) { id } }`, { id: e.id }, member.accessToken), "forbidden");
    assert.ok((await inst.gql<{ deleteEvent: { id: string } }>(`mutation($id: ID!) { deleteEvent(eventId: $id) { id } }`, { id: e.id }, admin.accessToken)).data.deleteEvent.id);
  });

  test("the group's events: public ones for all, private ones for members, drafts for moderators", async () => {
    const { admin, mod, member, stranger, g } = await crew();
    await buildEvent(inst, mod, { title: "Open meeting", attributedToId: g.id } as never);
    const priv = await buildEvent(inst, mod, { title: "Members meeting", attributedToId: g.id, vis: "PRIVATE" } as never);
    await buildEvent(inst, admin, { title: "Draft meeting", attributedToId: g.id, draft: true } as never);
    await buildEvent(inst, admin, { title: "Last year", attributedToId: g.id, b: inDays(-400), e: inDays(-400, 20) } as never);
    const list = async (token?: string, after = true) =>
      (await inst.gql<Events>(EVENTS, { n: g.preferredUsername, after: after ? new Date().toISOString() : null }, token)).data.group.organizedEvents.elements.map((e) => e.title).sort();
    assert.deepEqual(await list(), ["Open meeting"]);
    assert.deepEqual(await list(stranger.accessToken), ["Open meeting"]);
    assert.deepEqual(await list(member.accessToken), ["Members meeting", "Open meeting"]);
    assert.deepEqual(await list(mod.accessToken), ["Draft meeting", "Members meeting", "Open meeting"]);
    assert.deepEqual(await list(undefined, false), ["Last year", "Open meeting"]);
    // The private event itself: members open it, strangers do not.
    const q = `query($u: UUID!) { event(uuid: $u) { title } }`;
    assert.equal((await inst.gql<{ event: { title: string } }>(q, { u: priv.uuid }, member.accessToken)).data.event.title, "Members meeting");
    expectError(await inst.gql(q, { u: priv.uuid }, stranger.accessToken), "not_found");
    expectError(await inst.gql(q, { u: priv.uuid }), "not_found");
  });

  test("a hidden organizer shows as the group to others; deleting the group deletes its events", async () => {
    const { admin, mod, stranger, g } = await crew();
    const e = await buildEvent(inst, mod, { title: "Quiet one", attributedToId: g.id, opts: { hideOrganizerWhenGroupEvent: true } } as never);
    const q = `query($u: UUID!) { event(uuid: $u) { organizerActor { preferredUsername } } }`;
    assert.equal((await inst.gql<{ event: { organizerActor: { preferredUsername: string } } }>(q, { u: e.uuid }, stranger.accessToken)).data.event.organizerActor.preferredUsername, g.preferredUsername);
    assert.equal((await inst.gql<{ event: { organizerActor: { preferredUsername: string } } }>(q, { u: e.uuid }, admin.accessToken)).data.event.organizerActor.preferredUsername, mod.username);
    await inst.gql(`mutation($id: ID!) { deleteGroup(groupId: $id) { id } }`, { id: g.id }, admin.accessToken);
    expectError(await inst.gql(q, { u: e.uuid }, mod.accessToken), "not_found");
  });

  test("members and notified followers are told of a new group event, once; followers not of a private one", async () => {
    const { admin, mod, member, g } = await crew();
    const fan = await buildUser(inst);
    const quiet = await buildUser(inst);
    await inst.gql(`mutation($g: ID!) { followGroup(groupId: $g) { id } }`, { g: g.id }, fan.accessToken);
    await inst.gql(`mutation($g: ID!) { followGroup(groupId: $g, notify: false) { id } }`, { g: g.id }, quiet.accessToken);
    await inst.gql(`mutation($id: ID!, $n: String) { updateGroup(id: $id, name: $n) { id } }`, { id: g.id, n: "Bike kitchen" }, admin.accessToken);
    await buildEvent(inst, mod, { title: "Repair night", attributedToId: g.id } as never);
    await buildEvent(inst, mod, { title: "Members only night", attributedToId: g.id, vis: "PRIVATE" } as never);
    await inst.drain();
    assert.equal(inst.mailbox.messages.filter((m) => /Repair night/.test(m.subject)).length, 0, "not before the delay");
    inst.clock.advance(31 * 60_000);
    try {
      await inst.drain();
    } finally {
      inst.clock.advance(-31 * 60_000);
    }
    for (const u of [admin, member, fan]) await inst.mailbox.waitFor(u.email, /Bike kitchen published an event: Repair night/);
    await inst.mailbox.waitFor(member.email, /Members only night/);
    const to = (re: RegExp) => inst.mailbox.messages.filter((m) => re.test(m.subject)).flatMap((m) => m.to).sort();
    assert.deepEqual(to(/Repair night/), [admin.email, fan.email, member.email].sort(), "not the organizer, not a follower who asked for quiet, once each");
    assert.deepEqual(to(/Members only night/), [admin.email, member.email].sort());
  });

  test("an account's upcoming events from the groups it follows or is in (the home page's), private ones only from its groups", async () => {
    const { admin, mod, member, g } = await crew();
    const other = await buildGroup(inst, admin, { o: "OPEN" });
    await buildEvent(inst, mod, { title: "Open day", attributedToId: g.id } as never);
    await buildEvent(inst, mod, { title: "Members day", attributedToId: g.id, vis: "PRIVATE" } as never);
    await buildEvent(inst, admin, { title: "Followed day", attributedToId: other.id } as never);
    await buildEvent(inst, admin, { title: "Followed private day", attributedToId: other.id, vis: "PRIVATE" } as never);
    await inst.gql(`mutation($g: ID!) { followGroup(groupId: $g) { id } }`, { g: other.id }, member.accessToken);
    const q = `{ loggedUser { followedGroupEvents { total elements { event { title } group { preferredUsername } profile { preferredUsername } } } } }`;
    const r = await inst.gql<{ loggedUser: { followedGroupEvents: { elements: { event: { title: string }; group: { preferredUsername: string }; profile: { preferredUsername: string } }[] } } }>(q, {}, member.accessToken);
    const got = r.data.loggedUser.followedGroupEvents.elements;
    assert.deepEqual(got.map((e) => e.event.title).sort(), ["Followed day", "Members day", "Open day"]);
    assert.ok(got.every((e) => e.profile.preferredUsername === member.username));
    // Someone else's, through user(id), is not given.
    const staff = await buildUser(inst, { role: "ADMINISTRATOR" });
    const theirs = await inst.gql<{ user: { followedGroupEvents: { total: number } } }>(`query($id: ID!) { user(id: $id) { followedGroupEvents { total } } }`, { id: String(member.user.id) }, staff.accessToken);
    assert.equal(theirs.data.user.followedGroupEvents.total, 0);
  });
});
