import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildGroup, buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

type U = Awaited<ReturnType<typeof buildUser>>;

const GROUP = `query($n: String!) { group(preferredUsername: $n) { id preferredUsername name summary domain local type url visibility openness manuallyApprovesFollowers membersCount
  physicalAddress { locality geom } members { total elements { role actor { preferredUsername } } } } }`;
const UPDATE = `mutation($id: ID!, $n: String, $s: String, $o: Openness, $v: GroupVisibility) { updateGroup(id: $id, name: $n, summary: $s, openness: $o, visibility: $v) { id name summary openness visibility } }`;
const DELETE = `mutation($id: ID!) { deleteGroup(groupId: $id) { id } }`;
const JOIN = `mutation($g: ID!, $m: String) { joinGroup(groupId: $g, message: $m) { id role parent { preferredUsername } actor { preferredUsername } } }`;
const LEAVE = `mutation($g: ID!) { leaveGroup(groupId: $g) { id } }`;
const INVITE = `mutation($g: ID!, $t: String!) { inviteMember(groupId: $g, targetActorUsername: $t) { id role invitedBy { preferredUsername } } }`;
const ACCEPT = `mutation($id: ID!) { acceptInvitation(id: $id) { id role } }`;
const REJECT_INV = `mutation($id: ID!) { rejectInvitation(id: $id) { id role } }`;
const APPROVE = `mutation($id: ID!) { approveMember(memberId: $id) { id role } }`;
const REJECT = `mutation($id: ID!) { rejectMember(memberId: $id) { id role } }`;
const ROLE = `mutation($id: ID!, $r: MemberRoleEnum!) { updateMember(memberId: $id, role: $r) { id role } }`;
const REMOVE = `mutation($id: ID!, $x: Boolean) { removeMember(memberId: $id, exclude: $x, groupId: "1") { id role } }`;
const MEMBERS = `query($n: String!, $r: String) { group(preferredUsername: $n) { members(roles: $r) { total elements { id role actor { preferredUsername } } } } }`;

type Members = { group: { members: { total: number; elements: { id: string; role: string; actor: { preferredUsername: string } }[] } } };

describe("groups", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  const members = async (name: string, u?: U, roles?: string) => (await inst.gql<Members>(MEMBERS, { n: name, r: roles }, u?.accessToken)).data.group.members;
  const myMembership = async (u: U, group: string) =>
    (await inst.gql<{ loggedPerson: { memberships: { total: number; elements: { id: string; role: string; parent: { id: string } }[] } } }>(
      `query($g: String) { loggedPerson { memberships(group: $g) { total elements { id role parent { id } } } } }`,
      { g: group },
      u.accessToken,
    )).data.loggedPerson.memberships;

  test("create a group: its creator administers it; the page shows it to anyone; names are unique with people's", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin, { n: "Climate Lyon", s: `<p>We <b>meet</b> on Mondays<script>alert(1)</script></p>`, addr: { locality: "Lyon", geom: "4.8357;45.764" } });
    const seen = await inst.gql<{ group: Record<string, unknown> & { members: { total: number; elements: unknown[] }; physicalAddress: { locality: string } } }>(GROUP, { n: g.preferredUsername });
    assert.equal(seen.data.group.name, "Climate Lyon");
    assert.equal(seen.data.group.type, "GROUP");
    assert.equal(seen.data.group.domain, null);
    assert.equal(seen.data.group.local, true);
    assert.equal(seen.data.group.visibility, "PUBLIC");
    assert.equal(seen.data.group.openness, "OPEN");
    assert.equal(seen.data.group.membersCount, 1);
    assert.doesNotMatch(String(seen.data.group.summary), /script/);
    assert.match(String(seen.data.group.summary), /<strong>meet<\/strong>/);
    assert.equal(seen.data.group.physicalAddress.locality, "Lyon");
    // A visitor learns how many members there are, not who they are.
    assert.deepEqual(seen.data.group.members, { total: 1, elements: [] });
    assert.equal(seen.data.group.url, `${inst.config.baseUrl}/@${g.preferredUsername}`);

    const mine = await myMembership(admin, g.preferredUsername);
    assert.equal(mine.total, 1);
    assert.equal(mine.elements[0].role, "ADMINISTRATOR");
    assert.equal(mine.elements[0].parent.id, g.id);

    expectError(await inst.gql(`mutation { createGroup(preferredUsername: "${g.preferredUsername}") { id } }`, {}, admin.accessToken), "conflict");
    expectError(await inst.gql(`mutation { createGroup(preferredUsername: "${admin.username}") { id } }`, {}, admin.accessToken), "conflict");
    expectError(await inst.gql(`mutation { createGroup(preferredUsername: "Not Valid") { id } }`, {}, admin.accessToken), "validation");
    expectError(await inst.gql(`mutation { createGroup(preferredUsername: "nobody_s_group") { id } }`), "unauthenticated");
    const other = await buildUser(inst);
    expectError(await inst.gql(`mutation { createGroup(preferredUsername: "someone_elses", creatorActorId: ${admin.actor.id}) { id } }`, {}, other.accessToken), "validation");
    expectError(await inst.gql(GROUP, { n: "no_such_group" }), "not_found");
  });

  test("only administrators edit and delete a group; its name stays reserved", async () => {
    const admin = await buildUser(inst);
    const member = await buildUser(inst);
    const stranger = await buildUser(inst);
    const g = await buildGroup(inst, admin);
    await inst.gql(JOIN, { g: g.id }, member.accessToken);
    for (const u of [member, stranger]) expectError(await inst.gql(UPDATE, { id: g.id, n: "Taken over" }, u.accessToken), "not_permitted");
    expectError(await inst.gql(UPDATE, { id: g.id, n: "Taken over" }), "unauthenticated");
    const up = await inst.gql<{ updateGroup: { name: string; summary: string; openness: string; visibility: string } }>(UPDATE, { id: g.id, n: "Renamed", o: "MODERATED", v: "UNLISTED" }, admin.accessToken);
    assert.deepEqual(up.data.updateGroup, { id: g.id, name: "Renamed", summary: "", openness: "MODERATED", visibility: "UNLISTED" } as never);
    // Omitted arguments keep their value.
    await inst.gql(UPDATE, { id: g.id, s: "<p>About us</p>" }, admin.accessToken);
    const kept = await inst.gql<{ group: { name: string; summary: string } }>(GROUP, { n: g.preferredUsername });
    assert.equal(kept.data.group.name, "Renamed");
    assert.equal(kept.data.group.summary, "<p>About us</p>");

    for (const u of [member, stranger]) expectError(await inst.gql(DELETE, { id: g.id }, u.accessToken), "not_permitted");
    assert.equal((await inst.gql<{ deleteGroup: { id: string } }>(DELETE, { id: g.id }, admin.accessToken)).data.deleteGroup.id, g.id);
    expectError(await inst.gql(GROUP, { n: g.preferredUsername }), "not_found");
    expectError(await inst.gql(`mutation { createGroup(preferredUsername: "${g.preferredUsername}") { id } }`, {}, admin.accessToken), "conflict");
    assert.equal((await myMembership(member, g.preferredUsername)).total, 0);
  });

  test("an open group is joined at once; a moderated one on approval, with the administrators told", async () => {
    const admin = await buildUser(inst);
    const p = await buildUser(inst);
    const open = await buildGroup(inst, admin, { o: "OPEN" });
    const j = await inst.gql<{ joinGroup: { id: string; role: string } }>(JOIN, { g: open.id }, p.accessToken);
    assert.equal(j.data.joinGroup.role, "MEMBER");
    expectError(await inst.gql(JOIN, { g: open.id }, p.accessToken), "conflict");
    expectError(await inst.gql(JOIN, { g: open.id }), "unauthenticated");

    const moderated = await buildGroup(inst, admin, { o: "MODERATED", n: "Careful group" });
    const asked = await inst.gql<{ joinGroup: { id: string; role: string } }>(JOIN, { g: moderated.id, m: "I live nearby" }, p.accessToken);
    assert.equal(asked.data.joinGroup.role, "NOT_APPROVED");
    await inst.drain();
    await inst.mailbox.waitFor(admin.email, /New request to join Careful group/);
    // A member of the group cannot approve; a stranger cannot; the administrator can.
    const other = await buildUser(inst);
    expectError(await inst.gql(APPROVE, { id: asked.data.joinGroup.id }, other.accessToken), "not_permitted");
    assert.equal((await inst.gql<{ approveMember: { role: string } }>(APPROVE, { id: asked.data.joinGroup.id }, admin.accessToken)).data.approveMember.role, "MEMBER");
    await inst.drain();
    await inst.mailbox.waitFor(p.email, /membership in Careful group is approved/);
    expectError(await inst.gql(APPROVE, { id: asked.data.joinGroup.id }, admin.accessToken), "validation");

    // A declined request can be made again; a withdrawn one too.
    const q = await buildUser(inst);
    const r1 = await inst.gql<{ joinGroup: { id: string } }>(JOIN, { g: moderated.id }, q.accessToken);
    assert.equal((await inst.gql<{ rejectMember: { role: string } }>(REJECT, { id: r1.data.joinGroup.id }, admin.accessToken)).data.rejectMember.role, "REJECTED");
    await inst.drain();
    await inst.mailbox.waitFor(q.email, /request to join Careful group was declined/);
    await inst.gql(JOIN, { g: moderated.id }, q.accessToken);
    assert.ok((await inst.gql<{ leaveGroup: { id: string } }>(LEAVE, { g: moderated.id }, q.accessToken)).data.leaveGroup.id);
    assert.equal((await myMembership(q, moderated.preferredUsername)).total, 0);

    const closed = await buildGroup(inst, admin, { o: "INVITE_ONLY" });
    expectError(await inst.gql(JOIN, { g: closed.id }, p.accessToken), "not_permitted");
  });

  test("invitations: moderators invite, the invited person accepts or declines, nobody else answers", async () => {
    const admin = await buildUser(inst);
    const member = await buildUser(inst);
    const guest = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "INVITE_ONLY", n: "Secret garden" });
    expectError(await inst.gql(INVITE, { g: g.id, t: guest.username }, member.accessToken), "not_permitted");
    const inv = await inst.gql<{ inviteMember: { id: string; role: string; invitedBy: { preferredUsername: string } } }>(INVITE, { g: g.id, t: member.username }, admin.accessToken);
    assert.equal(inv.data.inviteMember.role, "INVITED");
    assert.equal(inv.data.inviteMember.invitedBy.preferredUsername, admin.username);
    await inst.drain();
    await inst.mailbox.waitFor(member.email, /invited to join Secret garden/);
    expectError(await inst.gql(INVITE, { g: g.id, t: member.username }, admin.accessToken), "conflict");
    expectError(await inst.gql(INVITE, { g: g.id, t: "nobody_here" }, admin.accessToken), "not_found");
    // Someone else cannot answer for the invited person.
    expectError(await inst.gql(ACCEPT, { id: inv.data.inviteMember.id }, guest.accessToken), "not_found");
    assert.equal((await inst.gql<{ acceptInvitation: { role: string } }>(ACCEPT, { id: inv.data.inviteMember.id }, member.accessToken)).data.acceptInvitation.role, "MEMBER");
    expectError(await inst.gql(ACCEPT, { id: inv.data.inviteMember.id }, member.accessToken), "validation");
    // Members do not invite; declining an invitation removes it.
    expectError(await inst.gql(INVITE, { g: g.id, t: guest.username }, member.accessToken), "not_permitted");
    const inv2 = await inst.gql<{ inviteMember: { id: string } }>(INVITE, { g: g.id, t: guest.username }, admin.accessToken);
    assert.equal((await inst.gql<{ rejectInvitation: { role: string } }>(REJECT_INV, { id: inv2.data.inviteMember.id }, guest.accessToken)).data.rejectInvitation.role, "REJECTED");
    assert.equal((await myMembership(guest, g.preferredUsername)).total, 0);
  });

  test("roles: administrators grant roles, moderators manage members, the last administrator stays", async () => {
    const admin = await buildUser(inst);
    const mod = await buildUser(inst);
    const member = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN" });
    const m1 = (await inst.gql<{ joinGroup: { id: string } }>(JOIN, { g: g.id }, mod.accessToken)).data.joinGroup.id;
    const m2 = (await inst.gql<{ joinGroup: { id: string } }>(JOIN, { g: g.id }, member.accessToken)).data.joinGroup.id;
    const adminMember = (await myMembership(admin, g.preferredUsername)).elements[0].id;

    expectError(await inst.gql(ROLE, { id: m1, r: "MODERATOR" }, member.accessToken), "not_permitted");
    assert.equal((await inst.gql<{ updateMember: { role: string } }>(ROLE, { id: m1, r: "MODERATOR" }, admin.accessToken)).data.updateMember.role, "MODERATOR");
    // A moderator does not make administrators, nor demote one; creators and pending roles are not set this way.
    expectError(await inst.gql(ROLE, { id: m2, r: "ADMINISTRATOR" }, mod.accessToken), "not_permitted");
    expectError(await inst.gql(ROLE, { id: adminMember, r: "MEMBER" }, mod.accessToken), "not_permitted");
    expectError(await inst.gql(ROLE, { id: m2, r: "CREATOR" }, admin.accessToken), "bad_request");
    // The last administrator neither steps down nor leaves nor is removed.
    expectError(await inst.gql(ROLE, { id: adminMember, r: "MEMBER" }, admin.accessToken), "not_permitted");
    expectError(await inst.gql(LEAVE, { g: g.id }, admin.accessToken), "not_permitted");

    // Members list: the moderator sees everyone; a plain member sees people in the group only; a visitor the count.
    const q = await buildUser(inst);
    await inst.gql(UPDATE, { id: g.id, o: "MODERATED" }, admin.accessToken);
    await inst.gql(JOIN, { g: g.id }, q.accessToken);
    assert.equal((await members(g.preferredUsername, mod)).total, 4);
    assert.deepEqual((await members(g.preferredUsername, mod, "not_approved")).elements.map((e) => e.actor.preferredUsername), [q.username]);
    assert.equal((await members(g.preferredUsername, member)).total, 3);
    assert.equal((await members(g.preferredUsername, member, "not_approved")).total, 0);
    assert.deepEqual(await members(g.preferredUsername), { total: 3, elements: [] });
    assert.deepEqual(await members(g.preferredUsername, q), { total: 3, elements: [] });
    expectError(await inst.gql(MEMBERS, { n: g.preferredUsername, r: "chief" }, mod.accessToken), "validation");
    // Highest role first.
    assert.deepEqual((await members(g.preferredUsername, admin, "administrator,moderator,member")).elements.map((e) => e.role), ["ADMINISTRATOR", "MODERATOR", "MEMBER"]);

    // A moderator removes a member but not an administrator; a ban keeps the person out until invited.
    expectError(await inst.gql(REMOVE, { id: adminMember }, mod.accessToken), "not_permitted");
    expectError(await inst.gql(REMOVE, { id: m1 }, member.accessToken), "not_permitted");
    assert.equal((await inst.gql<{ removeMember: { role: string } }>(REMOVE, { id: m2, x: true }, mod.accessToken)).data.removeMember.role, "REJECTED");
    await inst.drain();
    await inst.mailbox.waitFor(member.email, /removed from/);
    expectError(await inst.gql(JOIN, { g: g.id }, member.accessToken), "not_permitted");
    assert.equal((await inst.gql<{ inviteMember: { role: string } }>(INVITE, { g: g.id, t: member.username }, mod.accessToken)).data.inviteMember.role, "INVITED");

    // With a second administrator, the first may leave.
    await inst.gql(ROLE, { id: m1, r: "ADMINISTRATOR" }, admin.accessToken);
    assert.ok((await inst.gql<{ leaveGroup: { id: string } }>(LEAVE, { g: g.id }, admin.accessToken)).data.leaveGroup.id);
  });

  test("unlisted groups open by name but are not found; private ones only show to their members", async () => {
    const admin = await buildUser(inst);
    const stranger = await buildUser(inst);
    const word = `zebra${Date.now()}`;
    const pub = await buildGroup(inst, admin, { n: `Public ${word}` });
    const unl = await buildGroup(inst, admin, { n: `Unlisted ${word}`, v: "UNLISTED" });
    const priv = await buildGroup(inst, admin, { n: `Private ${word}`, v: "PRIVATE" });
    const search = async (extra = "") =>
      (await inst.gql<{ searchGroups: { total: number; elements: { preferredUsername: string }[] } }>(`{ searchGroups(term: "${word}"${extra}) { total elements { preferredUsername } } }`)).data.searchGroups;
    assert.deepEqual((await search()).elements.map((e) => e.preferredUsername), [pub.preferredUsername]);
    assert.ok((await inst.gql<{ group: { id: string } }>(GROUP, { n: unl.preferredUsername })).data.group.id);
    expectError(await inst.gql(GROUP, { n: priv.preferredUsername }, stranger.accessToken), "not_found");
    expectError(await inst.gql(GROUP, { n: priv.preferredUsername }), "not_found");
    assert.ok((await inst.gql<{ group: { id: string } }>(GROUP, { n: priv.preferredUsername }, admin.accessToken)).data.group.id);
    expectError(await inst.gql(JOIN, { g: priv.id }, stranger.accessToken), "not_found");
  });

  test("search groups by words, place and sort; the staff list all groups", async () => {
    const admin = await buildUser(inst);
    const word = `otter${Date.now()}`;
    const lyon = await buildGroup(inst, admin, { n: `Lyon ${word}`, addr: { locality: "Lyon", geom: "4.8357;45.764" } });
    const paris = await buildGroup(inst, admin, { n: `Paris ${word}`, addr: { locality: "Paris", geom: "2.3522;48.8566" } });
    for (let i = 0; i < 2; i++) await inst.gql(JOIN, { g: paris.id }, (await buildUser(inst)).accessToken);
    const q = async (args: string) =>
      (await inst.gql<{ searchGroups: { total: number; elements: { preferredUsername: string; membersCount: number } [] } }>(`{ searchGroups(term: "${word}" ${args}) { total elements { preferredUsername membersCount } } }`)).data.searchGroups;
    assert.deepEqual((await q(`, location: "u05kq", radius: 25`)).elements.map((e) => e.preferredUsername), [lyon.preferredUsername]);
    assert.deepEqual((await q(`, sortBy: MEMBER_COUNT_DESC`)).elements.map((e) => e.membersCount), [3, 1]);
    assert.deepEqual((await q(`, sortBy: MEMBER_COUNT_ASC`)).elements.map((e) => e.preferredUsername), [lyon.preferredUsername, paris.preferredUsername]);
    assert.equal((await q(`, sortBy: CREATED_AT_DESC`)).elements[0].preferredUsername, paris.preferredUsername);
    expectError(await inst.gql(`{ searchGroups(location: "not a geohash!") { total } }`), "validation");
    // By language: the languages of a group's public events and posts.
    await inst.gql(`mutation($g: ID!) { createPost(attributedToId: $g, title: "Bonjour", body: "<p>Salut</p>", language: "fr") { id } }`, { g: lyon.id }, admin.accessToken);
    assert.deepEqual((await q(`, languageOneOf: ["fr"]`)).elements.map((e) => e.preferredUsername), [lyon.preferredUsername]);

    const staff = await buildUser(inst, { role: "MODERATOR" });
    const list = await inst.gql<{ groups: { total: number; elements: { preferredUsername: string }[] } }>(`{ groups(name: "${word}") { total elements { preferredUsername } } }`, {}, staff.accessToken);
    assert.equal(list.data.groups.total, 2);
    expectError(await inst.gql(`{ groups { total } }`, {}, admin.accessToken), "forbidden");
    const byId = await inst.gql<{ getGroup: { preferredUsername: string } }>(`{ getGroup(id: "${lyon.id}") { preferredUsername } }`, {}, staff.accessToken);
    assert.equal(byId.data.getGroup.preferredUsername, lyon.preferredUsername);
    expectError(await inst.gql(`{ getGroup(id: "${lyon.id}") { preferredUsername } }`, {}, admin.accessToken), "forbidden");
  });

  test("only administrators create groups when the instance says so", async () => {
    const restricted = await startInstance({ ONLY_ADMINS_CREATE_GROUPS: "true" });
    try {
      const u = await buildUser(restricted);
      const a = await buildUser(restricted, { role: "ADMINISTRATOR" });
      const cfg = await restricted.gql<{ config: { restrictions: { onlyAdminCanCreateGroups: boolean }; features: { groups: boolean } } }>(`{ config { restrictions { onlyAdminCanCreateGroups } features { groups } } }`);
      assert.deepEqual(cfg.data.config, { restrictions: { onlyAdminCanCreateGroups: true }, features: { groups: true } });
      await assert.rejects(buildGroup(restricted, u), /not_permitted/);
      assert.ok((await buildGroup(restricted, a)).id);
    } finally {
      await restricted.stop();
    }
  });

  test("an account creates 20 groups a day at most; the staff are not counted", async () => {
    const u = await buildUser(inst);
    const staff = await buildUser(inst, { role: "MODERATOR" });
    for (let i = 0; i < 20; i++) await buildGroup(inst, u);
    await assert.rejects(buildGroup(inst, u), /rate_limited/);
    for (let i = 0; i < 21; i++) await buildGroup(inst, staff);
  });

  test("the last administrator's profile or account is not deleted while the group needs them", async () => {
    const admin = await buildUser(inst);
    await inst.gql(`mutation { createPerson(preferredUsername: "second_${Date.now()}") { id } }`, {}, admin.accessToken);
    const g = await buildGroup(inst, admin);
    const e = expectError(await inst.gql(`mutation($id: ID!) { deletePerson(id: $id) { id } }`, { id: String(admin.actor.id) }, admin.accessToken), "not_permitted");
    assert.match(e.message, /only administrator/);
    expectError(await inst.gql(`mutation($p: String!) { deleteAccount(password: $p) { id } }`, { p: admin.password }, admin.accessToken), "not_permitted");
    assert.ok((await inst.gql<{ group: { id: string } }>(`query($n: String!) { group(preferredUsername: $n) { id } }`, { n: g.preferredUsername })).data.group.id);
  });
});
