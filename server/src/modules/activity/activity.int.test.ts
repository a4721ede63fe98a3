import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildGroup, buildUser, startInstance, type TestInstance } from "../../../test/kit.ts";

const TIMELINE = `query($n: String!, $t: ActivityType, $a: ActivityAuthor, $l: Int) { group(preferredUsername: $n) { activity(type: $t, author: $a, limit: $l) { total elements { type subject subjectParams { key value } author { preferredUsername } object { __typename } } } } }`;
type Entry = { type: string; subject: string; subjectParams: { key: string; value: string }[]; author: { preferredUsername: string }; object: { __typename: string } | null };

describe("group timeline", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  const timeline = async (name: string, token?: string, vars: Record<string, unknown> = {}) =>
    (await inst.gql<{ group: { activity: { total: number; elements: Entry[] } } }>(TIMELINE, { n: name, ...vars }, token)).data.group.activity;
  const params = (e: Entry) => Object.fromEntries(e.subjectParams.map((p) => [p.key, p.value]));

  test("what happens in a group is written down; members read it from the day they joined, by kind and author", async () => {
    const admin = await buildUser(inst);
    const early = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN", n: "Bike kitchen" });
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, early.accessToken);
    // The group and its first members are three days old.
    const db = inst.database.db;
    const past = new Date(Date.now() - 3 * 86_400_000);
    await db.updateTable("activities").set({ inserted_at: past }).where("group_id", "=", Number(g.id)).execute();
    await db.updateTable("members").set({ inserted_at: past }).where("parent_id", "=", Number(g.id)).execute();
    await inst.gql(`mutation($id: ID!) { updateGroup(id: $id, name: "Bike workshop") { id } }`, { id: g.id }, admin.accessToken);
    await buildEvent(inst, admin, { title: "Repair day", attributedToId: g.id } as never);
    await inst.gql(`mutation($g: ID!) { createPost(attributedToId: $g, title: "News", body: "<p>Hi</p>") { id } }`, { g: g.id }, admin.accessToken);
    const d = await inst.gql<{ createDiscussion: { id: string } }>(`mutation($g: ID!) { createDiscussion(actorId: $g, title: "Tools", text: "Which tools?") { id } }`, { g: g.id }, early.accessToken);
    await inst.gql(`mutation($id: ID!) { replyToDiscussion(discussionId: $id, text: "Spanners") { id } }`, { id: d.data.createDiscussion.id }, admin.accessToken);
    await inst.gql(`mutation($g: ID!) { createResource(actorId: $g, title: "Manuals", type: "folder") { id } }`, { g: g.id }, early.accessToken);
    const late = await buildUser(inst);
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, late.accessToken);

    const all = await timeline(g.preferredUsername, early.accessToken, { l: 50 });
    const subjects = all.elements.map((e) => e.subject);
    assert.deepEqual(subjects, ["member_joined", "resource_created", "discussion_replied", "discussion_created", "post_created", "event_created", "group_updated", "member_joined", "group_created"]);
    // Every GROUP entry carries group_changes (Mobilizon's client splits it).
    assert.equal(params(all.elements.find((e) => e.subject === "group_created")!).group_changes, "");
    const update = all.elements.find((e) => e.subject === "group_updated")!;
    assert.deepEqual(params(update), { group_name: "Bike workshop", group_federated_username: g.preferredUsername, group_changes: "name", old_group_name: "Bike kitchen" });
    assert.equal(params(all.elements.find((e) => e.subject === "event_created")!).event_title, "Repair day");
    assert.equal(all.elements.find((e) => e.subject === "post_created")!.object?.__typename, "Post");
    assert.equal(all.elements.find((e) => e.subject === "resource_created")!.object?.__typename, "Resource");
    assert.equal(all.elements[0].object?.__typename, "Member");
    assert.equal(params(all.elements[0]).member_actor_federated_username, late.username);
    // By kind; by the reader (SELF) or by others (BY).
    assert.deepEqual((await timeline(g.preferredUsername, early.accessToken, { t: "DISCUSSION" })).elements.map((e) => e.subject), ["discussion_replied", "discussion_created"]);
    assert.deepEqual((await timeline(g.preferredUsername, early.accessToken, { a: "SELF" })).elements.map((e) => e.subject), ["resource_created", "discussion_created", "member_joined"]);
    assert.ok((await timeline(g.preferredUsername, early.accessToken, { a: "BY" })).elements.every((e) => e.author.preferredUsername !== early.username));
    // A member who joined today does not read what happened before.
    const lateView = await timeline(g.preferredUsername, late.accessToken, { l: 50 });
    assert.ok(!lateView.elements.some((e) => e.subject === "group_created"), "not what happened before they joined");
    assert.ok(lateView.elements.some((e) => e.subject === "member_joined"));
    // Requests to join and invitations are for moderators: a member's timeline leaves them out.
    await inst.gql(`mutation($id: ID!) { updateGroup(id: $id, openness: MODERATED) { id } }`, { id: g.id }, admin.accessToken);
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, (await buildUser(inst)).accessToken);
    assert.ok(!(await timeline(g.preferredUsername, early.accessToken, { t: "MEMBER", l: 50 })).elements.some((e) => e.subject === "member_request"));
    assert.ok((await timeline(g.preferredUsername, admin.accessToken, { t: "MEMBER", l: 50 })).elements.some((e) => e.subject === "member_request"));
    // Strangers and visitors read nothing.
    const stranger = await buildUser(inst);
    assert.deepEqual(await timeline(g.preferredUsername, stranger.accessToken), { total: 0, elements: [] });
    assert.deepEqual(await timeline(g.preferredUsername), { total: 0, elements: [] });
  });

  test("entries older than a year go, but each group keeps its last 100", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN" });
    const other = await buildGroup(inst, admin, { o: "OPEN" });
    for (let i = 0; i < 130; i++) await inst.gql(`mutation($id: ID!, $n: String) { updateGroup(id: $id, name: $n) { id } }`, { id: g.id, n: `Name ${i}` }, admin.accessToken);
    for (let i = 0; i < 3; i++) await inst.gql(`mutation($id: ID!, $n: String) { updateGroup(id: $id, name: $n) { id } }`, { id: other.id, n: `Other ${i}` }, admin.accessToken);
    // All of that happened more than a year ago (and so did the administrator's joining).
    const db = inst.database.db;
    const old = new Date(Date.now() - 400 * 86_400_000);
    await db.updateTable("activities").set({ inserted_at: old }).where("group_id", "in", [Number(g.id), Number(other.id)]).execute();
    await db.updateTable("members").set({ inserted_at: old }).where("parent_id", "in", [Number(g.id), Number(other.id)]).execute();
    await inst.gql(`mutation($id: ID!, $n: String) { updateGroup(id: $id, name: "Fresh") { id } }`, { id: g.id }, admin.accessToken);
    await inst.services.activity.prune();
    const count = async (name: string) => (await inst.gql<{ group: { activity: { total: number } } }>(`query($n: String!) { group(preferredUsername: $n) { activity { total } } }`, { n: name }, admin.accessToken)).data.group.activity.total;
    assert.equal(await count(g.preferredUsername), 100);
    assert.equal(await count(other.preferredUsername), 4, "a small group keeps all its old entries");
  });
});
