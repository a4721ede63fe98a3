import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildGroup, buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";
import { FakePeer } from "../../../test/fake-peer.ts";
import { deliver } from "../../federation/outbox/delivery.ts";
import { PermanentJobFailure } from "../../kernel/index.ts";

const idOf = (o: unknown) => (typeof o === "string" ? o : (o as { id?: string } | null)?.id);

const FOLLOW = `mutation($g: ID!, $n: Boolean) { followGroup(groupId: $g, notify: $n) { id approved notify targetActor { preferredUsername } actor { preferredUsername } } }`;
const UNFOLLOW = `mutation($g: ID!) { unfollowGroup(groupId: $g) { id } }`;
const NOTIFY = `mutation($id: ID!, $n: Boolean) { updateGroupFollow(followId: $id, notify: $n) { id notify } }`;
const DECIDE = `mutation($id: ID!, $a: Boolean!) { updateFollower(id: $id, approved: $a) { id approved } }`;
const FOLLOWERS = `query($n: String!, $a: Boolean) { group(preferredUsername: $n) { followers(approved: $a) { total elements { id approved actor { preferredUsername } } } } }`;
const MY_FOLLOW = `query($g: String) { loggedPerson { follows(group: $g) { total elements { id approved notify target_actor { preferredUsername } } } } }`;

type Follower = { id: string; approved: boolean; notify: boolean };

describe("group followers", () => {
  let inst: TestInstance;
  let peer: FakePeer;
  before(async () => {
    inst = await startInstance({ ALLOW_PRIVATE_ADDRESSES: "true" });
    peer = await new FakePeer().start();
  });
  after(async () => {
    await peer.stop();
    await inst.stop();
  });

  test("follow a group, choose notifications, unfollow; strangers cannot change someone's follow", async () => {
    const admin = await buildUser(inst);
    const fan = await buildUser(inst);
    const stranger = await buildUser(inst);
    const g = await buildGroup(inst, admin);
    const f = (await inst.gql<{ followGroup: Follower & { targetActor: { preferredUsername: string } } }>(FOLLOW, { g: g.id }, fan.accessToken)).data.followGroup;
    assert.equal(f.approved, true);
    assert.equal(f.notify, true);
    assert.equal(f.targetActor.preferredUsername, g.preferredUsername);
    expectError(await inst.gql(FOLLOW, { g: g.id }, fan.accessToken), "conflict");
    // Its followers are counted, as Mobilizon's group cards expect (a person's never are).
    const count = async () => (await inst.gql<{ group: { followersCount: number } }>(`query($n: String!) { group(preferredUsername: $n) { followersCount } }`, { n: g.preferredUsername })).data.group.followersCount;
    assert.equal(await count(), 1);
    expectError(await inst.gql(FOLLOW, { g: g.id }), "unauthenticated");
    // Mobilizon's client asks for its follow of this group, spelling target_actor as Absinthe does.
    const mine = await inst.gql<{ loggedPerson: { follows: { total: number; elements: (Follower & { target_actor: { preferredUsername: string } })[] } } }>(MY_FOLLOW, { g: g.preferredUsername }, fan.accessToken);
    assert.equal(mine.data.loggedPerson.follows.total, 1);
    assert.equal(mine.data.loggedPerson.follows.elements[0].target_actor.preferredUsername, g.preferredUsername);
    expectError(await inst.gql(NOTIFY, { id: f.id, n: false }, stranger.accessToken), "not_found");
    assert.equal((await inst.gql<{ updateGroupFollow: Follower }>(NOTIFY, { id: f.id, n: false }, fan.accessToken)).data.updateGroupFollow.notify, false);
    expectError(await inst.gql(UNFOLLOW, { g: g.id }, stranger.accessToken), "not_found");
    assert.equal((await inst.gql<{ unfollowGroup: { id: string } }>(UNFOLLOW, { g: g.id }, fan.accessToken)).data.unfollowGroup.id, f.id);
    assert.equal((await inst.gql<{ loggedPerson: { follows: { total: number } } }>(MY_FOLLOW, { g: g.preferredUsername }, fan.accessToken)).data.loggedPerson.follows.total, 0);
    assert.equal(await count(), 0);
  });

  test("a group that approves followers by hand: its moderators decide, and only they see the list", async () => {
    const admin = await buildUser(inst);
    const member = await buildUser(inst);
    const fan = await buildUser(inst);
    const g = await buildGroup(inst, admin);
    await inst.gql(`mutation($id: ID!) { updateGroup(id: $id, manuallyApprovesFollowers: true) { id } }`, { id: g.id }, admin.accessToken);
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, member.accessToken);
    const f = (await inst.gql<{ followGroup: Follower }>(FOLLOW, { g: g.id }, fan.accessToken)).data.followGroup;
    assert.equal(f.approved, false);
    for (const u of [member, fan]) expectError(await inst.gql(DECIDE, { id: f.id, a: true }, u.accessToken), "not_permitted");
    const list = async (token?: string, approved?: boolean) => (await inst.gql<{ group: { followers: { total: number; elements: Follower[] } } }>(FOLLOWERS, { n: g.preferredUsername, a: approved }, token)).data.group.followers;
    assert.equal((await list(admin.accessToken, false)).total, 1);
    assert.deepEqual(await list(member.accessToken), { total: 0, elements: [] });
    assert.deepEqual(await list(), { total: 0, elements: [] });
    assert.equal((await inst.gql<{ updateFollower: Follower }>(DECIDE, { id: f.id, a: true }, admin.accessToken)).data.updateFollower.approved, true);
    assert.equal((await list(admin.accessToken, true)).total, 1);
    // Refusing ends the follow.
    const other = await buildUser(inst);
    const f2 = (await inst.gql<{ followGroup: Follower }>(FOLLOW, { g: g.id }, other.accessToken)).data.followGroup;
    assert.equal((await inst.gql<{ updateFollower: Follower }>(DECIDE, { id: f2.id, a: false }, admin.accessToken)).data.updateFollower.approved, false);
    assert.equal((await list(admin.accessToken)).total, 1);
  });

  test("a Mastodon account follows a group: Accept, then the group's events arrive with the group's Announce", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin);
    const masto = await peer.actor(`masto${Date.now()}`);
    const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${masto}#follows/g`, type: "Follow", actor: masto, object: g.url };
    const r = await inst.http.request(await peer.signed(`http://convene.test/@${g.preferredUsername}/inbox`, follow, masto));
    assert.equal(r.status, 202);
    await inst.drain();
    const accept = await peer.waitFor((d) => d.body.type === "Accept" && (d.body.object as { id?: string })?.id === follow.id);
    assert.equal(accept.body.actor, g.url);
    const doc = await (await inst.http.request(`/@${g.preferredUsername}`, { headers: { accept: "application/activity+json" } })).json();
    assert.equal(doc.type, "Group");
    assert.equal(doc.openness, "open");

    const e = await buildEvent(inst, admin, { title: "Group assembly", attributedToId: g.id } as never);
    await inst.drain();
    const create = await peer.waitFor((d) => d.body.type === "Create" && (d.body.object as { name?: string })?.name === "Group assembly");
    assert.equal((create.body.object as { attributedTo: string }).attributedTo, g.url);
    assert.equal((create.body.object as { audience: string }).audience, g.url, "FEP-1b12: the group it belongs to");
    const announce = await peer.waitFor((d) => d.body.type === "Announce" && d.body.actor === g.url);
    assert.match(String(announce.body.object), new RegExp(`/events/${e.uuid}$`));
    // An unlisted one is shared as unlisted: Public in cc, not in to.
    const quiet = await buildEvent(inst, admin, { title: "Quiet assembly", attributedToId: g.id, vis: "UNLISTED" } as never);
    await inst.drain();
    const shared = await peer.waitFor((d) => d.body.type === "Announce" && d.body.actor === g.url && String(d.body.object).endsWith(quiet.uuid));
    assert.deepEqual([shared.body.to, shared.body.cc], [[`${g.url}/followers`], ["https://www.w3.org/ns/activitystreams#Public"]]);

    // The group is deleted: its follower is told (Delete of the group by itself), and its URL answers 410.
    const del = await inst.gql(`mutation($g: ID!) { deleteGroup(groupId: $g) { id } }`, { g: g.id }, admin.accessToken);
    assert.equal(del.errors, undefined, JSON.stringify(del.errors));
    await inst.drain();
    const gone = await peer.waitFor((d) => d.body.type === "Delete" && d.body.object === g.url);
    assert.equal(gone.body.actor, g.url);
    assert.match(String(gone.headers.signature), new RegExp(`keyId="${g.url}#main-key"`));
    assert.equal((await inst.http.request(`/@${g.preferredUsername}`, { headers: { accept: "application/activity+json" } })).status, 410);
    // The closed group signs nothing else: anything it had queued is dropped.
    const late = { inbox: `${peer.origin}/inbox`, activity: JSON.stringify({ type: "Announce", actor: g.url, object: `${g.url}/x` }), senderActorId: Number(g.id) };
    await assert.rejects(deliver(late, { http: null as never, services: inst.services, logger: inst.logger }), PermanentJobFailure);
  });

  test("a Mastodon follower gets the group's public posts (Article, then the group's Announce), never its members-only ones; deletions reach it", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin);
    const masto = await peer.actor(`reader${Date.now()}`);
    const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${masto}#follows/posts`, type: "Follow", actor: masto, object: g.url };
    await inst.http.request(await peer.signed(`http://convene.test/@${g.preferredUsername}/inbox`, follow, masto));
    await inst.drain();
    await peer.waitFor((d) => d.body.type === "Accept" && (d.body.object as { id?: string })?.id === follow.id);
    const post = async (title: string, v: string) =>
      (await inst.gql<{ createPost: { slug: string; url: string } }>(`mutation($g: ID!, $t: String!, $v: PostVisibility) { createPost(attributedToId: $g, title: $t, body: "<p>Hello</p>", visibility: $v) { slug url } }`, { g: g.id, t: title, v }, admin.accessToken)).data.createPost;
    const pub = await post("Open letter", "PUBLIC");
    const priv = await post("Members plan", "PRIVATE");
    await inst.drain();
    const create = await peer.waitFor((d) => d.body.type === "Create" && (d.body.object as { name?: string })?.name === "Open letter");
    const article = create.body.object as { type: string; attributedTo: string; actor: string; to: string[] };
    assert.equal(article.type, "Article");
    assert.equal(article.attributedTo, g.url);
    assert.equal((article as { audience?: string }).audience, g.url);
    assert.deepEqual(article.to, ["https://www.w3.org/ns/activitystreams#Public"]);
    await peer.waitFor((d) => d.body.type === "Announce" && d.body.actor === g.url && d.body.object === pub.url);
    assert.ok(!peer.delivered.some((d) => JSON.stringify(d.body).includes("Members plan")), "a members-only post never reaches a follower");
    // Served at its URL to ActivityPub clients; the members-only one is not.
    const doc = await (await inst.http.request(`/p/${pub.slug}`, { headers: { accept: "application/activity+json" } })).json();
    assert.equal(doc.name, "Open letter");
    assert.equal((await inst.http.request(`/p/${priv.slug}`, { headers: { accept: "application/activity+json" } })).status, 404);
    // Deleted: a Delete goes out, and its URL answers 410.
    const id = (await inst.gql<{ post: { id: string } }>(`query($s: String!) { post(slug: $s) { id } }`, { s: pub.slug }, admin.accessToken)).data.post.id;
    await inst.gql(`mutation($id: ID!) { deletePost(id: $id) { id } }`, { id }, admin.accessToken);
    await inst.drain();
    await peer.waitFor((d) => d.body.type === "Delete" && (d.body.object as { id?: string })?.id === pub.url);
    assert.equal((await inst.http.request(`/p/${pub.slug}`, { headers: { accept: "application/activity+json" } })).status, 410);
  });

  test("a group's collections: a member's signed read lists members and members-only posts; anyone else public items only", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN" });
    const member = await peer.actor(`member${Date.now()}`);
    const outsider = await peer.actor(`outsider${Date.now()}`);
    const join = { "@context": "https://www.w3.org/ns/activitystreams", id: `${member}#join`, type: "Join", actor: member, object: g.url };
    assert.equal((await inst.http.request(await peer.signed(`http://convene.test/@${g.preferredUsername}/inbox`, join, member))).status, 202);
    await inst.drain();
    const accept = await peer.waitFor((d) => d.body.type === "Accept" && (d.body.object as { type?: string; id?: string })?.id === join.id);
    assert.equal((accept.body.object as { role: string }).role, "member");
    for (const [t, v] of [["Public note", "PUBLIC"], ["Members note", "PRIVATE"]])
      await inst.gql(`mutation($g: ID!, $t: String!, $v: PostVisibility) { createPost(attributedToId: $g, title: $t, body: "<p>x</p>", visibility: $v) { id } }`, { g: g.id, t, v }, admin.accessToken);
    const read = async (path: string, who: string | null) => {
      const url = `http://convene.test/@${g.preferredUsername}/${path}`;
      const res = await inst.http.request(who ? await peer.signedGet(url, who) : new Request(url, { headers: { accept: "application/activity+json" } }));
      assert.equal(res.status, 200);
      const body = await res.json();
      return body.first.orderedItems as { actor?: string; name?: string; role?: string }[];
    };
    assert.deepEqual((await read("members", member)).map((m) => m.role).sort(), ["administrator", "member"]);
    assert.deepEqual(await read("members", outsider), []);
    assert.deepEqual(await read("members", null), []);
    assert.deepEqual((await read("posts", member)).map((p) => p.name).sort(), ["Members note", "Public note"]);
    assert.deepEqual((await read("posts", outsider)).map((p) => p.name), ["Public note"]);
    assert.deepEqual((await read("posts", null)).map((p) => p.name), ["Public note"]);
    assert.deepEqual(await read("events", member), []);
    for (const name of ["discussions", "resources", "todos"]) assert.deepEqual(await read(name, member), [], `${name}: nothing yet`);
    // Members-only content: listed for a member's server, nothing of it for anyone else.
    const disc = await inst.gql<{ createDiscussion: { id: string } }>(`mutation($g: ID!) { createDiscussion(actorId: $g, title: "Plans", text: "<p>Opening words</p>") { id } }`, { g: g.id }, admin.accessToken);
    await inst.gql(`mutation($id: ID!) { replyToDiscussion(discussionId: $id, text: "<p>A reply</p>") { id } }`, { id: disc.data.createDiscussion.id }, admin.accessToken);
    const R = `mutation($g: ID!, $t: String!, $p: ID, $u: String, $ty: String) { createResource(actorId: $g, title: $t, parentId: $p, resourceUrl: $u, type: $ty) { id } }`;
    const folder = (await inst.gql<{ createResource: { id: string } }>(R, { g: g.id, t: "Docs", ty: "folder" }, admin.accessToken)).data.createResource.id;
    await inst.gql(R, { g: g.id, t: "Wiki", p: folder, u: "https://example.org/wiki" }, admin.accessToken);
    await inst.gql(R, { g: g.id, t: "Agenda", u: "https://example.org/agenda" }, admin.accessToken);
    const list = (await inst.gql<{ createTodoList: { id: string } }>(`mutation($g: ID!) { createTodoList(groupId: $g, title: "Festival") { id } }`, { g: g.id }, admin.accessToken)).data.createTodoList.id;
    await inst.gql(`mutation($l: ID!) { createTodo(todoListId: $l, title: "Book the hall") { id } }`, { l: list }, admin.accessToken);
    const discussions = (await read("discussions", member)) as { type?: string; name?: string; content?: string; context?: string; attributedTo?: string }[];
    assert.equal(discussions.length, 1);
    assert.deepEqual([discussions[0].type, discussions[0].name, discussions[0].content, discussions[0].attributedTo], ["Note", "Plans", "<p>Opening words</p>", g.url]);
    assert.match(String(discussions[0].context), /^http:\/\/convene\.test\//);
    const resources = (await read("resources", member)) as { type?: string; name?: string; url?: string; context?: string; id?: string }[];
    assert.deepEqual(resources.map((r) => [r.type, r.name]), [["Document", "Agenda"], ["ResourceCollection", "Docs"], ["Document", "Wiki"]], "by path: a folder before what it holds");
    assert.equal(resources[2].context, resources[1].id);
    assert.equal(resources[0].context, `http://convene.test/@${g.preferredUsername}/resources`);
    const todos = (await read("todos", member)) as { type?: string; name?: string; todoList?: string; id?: string }[];
    assert.deepEqual(todos.map((t) => [t.type, t.name]), [["TodoList", "Festival"], ["Todo", "Book the hall"]]);
    assert.equal(todos[1].todoList, todos[0].id);
    for (const name of ["discussions", "resources", "todos"]) {
      assert.deepEqual(await read(name, outsider), [], `${name}: a stranger's server`);
      assert.deepEqual(await read(name, null), [], `${name}: unsigned`);
    }
    // Writing in the group from elsewhere: its member adds a link (kept, and listed to members); a stranger's addition
    // and a stranger's deletion of the group's resources change nothing.
    const inbox = `http://convene.test/@${g.preferredUsername}/inbox`;
    const doc = (who: string, name: string) => ({ id: `${who}/resources/${name}`, type: "Document", name, url: `https://example.org/${name}`, actor: who, attributedTo: g.url, context: `${g.url}/resources` });
    const create = (who: string, name: string) => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${who}/resources/${name}/activity`, type: "Create", actor: who, attributedTo: g.url, object: doc(who, name), to: [`${g.url}/members`] });
    assert.equal((await inst.http.request(await peer.signed(inbox, create(member, "from-member"), member))).status, 202);
    assert.equal((await inst.http.request(await peer.signed(inbox, create(outsider, "from-outsider"), outsider))).status, 202);
    await inst.drain();
    const names = async () => ((await read("resources", member)) as { name?: string }[]).map((r) => r.name);
    assert.ok((await names()).includes("from-member"), "a member elsewhere adds to the group's resources");
    assert.ok(!(await names()).includes("from-outsider"), "a stranger does not");
    const folderUrl = resources[1].id!;
    const del = { "@context": "https://www.w3.org/ns/activitystreams", id: `${outsider}/delete/1`, type: "Delete", actor: outsider, object: folderUrl };
    assert.equal((await inst.http.request(await peer.signed(inbox, del, outsider))).status, 202);
    await inst.drain();
    assert.ok((await names()).includes("Docs"), "a stranger deletes nothing");
    // Posts are written by moderators: neither a stranger's nor a plain member's Article attributed to the group is kept.
    const article = (who: string, name: string) => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${who}/p/${name}/activity`, type: "Create", actor: who, object: { id: `${who}/p/${name}`, type: "Article", name, content: "<p>x</p>", actor: who, attributedTo: g.url, to: ["https://www.w3.org/ns/activitystreams#Public"] } });
    for (const who of [member, outsider]) assert.equal((await inst.http.request(await peer.signed(inbox, article(who, `by-${who === member ? "member" : "outsider"}`), who))).status, 202);
    await inst.drain();
    assert.deepEqual(((await read("posts", member)) as { name?: string }[]).map((p) => p.name).sort(), ["Members note", "Public note"], "no post from a non-moderator");
    // The member's addition goes to the group's other members elsewhere, sent by the group.
    await peer.waitFor((d) => d.body.type === "Create" && d.body.actor === g.url && (d.body.object as { name?: string })?.name === "from-member");
    // What a member elsewhere changes keeps to the rules: a link stays a link, a folder does not land on another, a
    // link pointed elsewhere loses its preview; a due date no calendar shows is left out.
    const staff = await buildUser(inst, { role: "ADMINISTRATOR" });
    const update = (object: Record<string, unknown>) => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${member}/updates/${Math.random()}`, type: "Update", actor: member, attributedTo: g.url, object: { attributedTo: g.url, actor: member, ...object } });
    const wiki = resources[2];
    await inst.http.request(await peer.signed(inbox, update({ id: wiki.id, type: "ResourceCollection", name: "Wiki" }), member));
    await inst.http.request(await peer.signed(inbox, update({ id: `${member}/resources/from-member`, type: "Document", name: "Docs", url: "https://example.org/elsewhere", context: `${g.url}/resources` }), member));
    const folderCreate = { "@context": "https://www.w3.org/ns/activitystreams", id: `${member}/resources/other/activity`, type: "Create", actor: member, attributedTo: g.url, object: { id: `${member}/resources/other`, type: "ResourceCollection", name: "Other", actor: member, attributedTo: g.url, context: `${g.url}/resources` } };
    await inst.http.request(await peer.signed(inbox, folderCreate, member));
    await inst.drain();
    await inst.http.request(await peer.signed(inbox, update({ id: `${member}/resources/other`, type: "ResourceCollection", name: "Docs", context: `${g.url}/resources` }), member));
    await inst.drain();
    const after = (await read("resources", member)) as { id?: string; type?: string; name?: string; url?: string }[];
    assert.equal(after.find((r) => r.id === `${member}/resources/other`)?.name, "Other", "a folder does not land on another");
    assert.deepEqual(after.find((r) => r.id === wiki.id)?.type, "Document", "a link stays a link");
    assert.equal(after.find((r) => r.id === `${member}/resources/from-member`)?.url, "https://example.org/elsewhere");
    const todoList = todos[0].id!;
    const todo = { "@context": "https://www.w3.org/ns/activitystreams", id: `${member}/todos/1/activity`, type: "Create", actor: member, object: { id: `${member}/todos/1`, type: "Todo", name: "Far away", todoList: todoList, dueDate: "-100000-01-01T00:00:00Z", actor: member, attributedTo: g.url } };
    assert.equal((await inst.http.request(await peer.signed(inbox, todo, member))).status, 202);
    await inst.drain();
    const far = ((await read("todos", member)) as { name?: string; dueDate?: string | null }[]).find((t) => t.name === "Far away");
    assert.ok(far, "the todo is kept");
    assert.equal(far.dueDate, null, "without its impossible date");
    // A blocked server reads what a stranger reads, even signed by a member.
    const P = `mutation($d: String!, $b: Boolean) { updateInstancePolicy(domain: $d, blocked: $b) { blocked } }`;
    const peerDomain = new URL(member).host;
    assert.equal((await inst.gql<{ updateInstancePolicy: { blocked: boolean } }>(P, { d: peerDomain, b: true }, staff.accessToken)).data.updateInstancePolicy.blocked, true);
    for (const name of ["members", "discussions", "resources", "todos"]) assert.deepEqual(await read(name, member), [], `${name}: blocked`);
    await inst.gql(P, { d: peerDomain, b: false }, staff.accessToken);
    // A browser asking for the same URL gets the web app.
    assert.match(String((await inst.http.request(`/@${g.preferredUsername}/resources`)).headers.get("content-type")), /text\/html/);
  });

  test("a private group: nobody from elsewhere joins or follows it uninvited; its followers and description are not served", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN", v: "PRIVATE", s: "<p>Our hidden plans</p>" });
    const eve = await peer.actor(`eve${Date.now()}`);
    const join = { "@context": "https://www.w3.org/ns/activitystreams", id: `${eve}#join-private`, type: "Join", actor: eve, object: g.url };
    const follow = { "@context": "https://www.w3.org/ns/activitystreams", id: `${eve}#follow-private`, type: "Follow", actor: eve, object: g.url };
    for (const a of [join, follow]) await inst.http.request(await peer.signed(`http://convene.test/@${g.preferredUsername}/inbox`, a, eve));
    await inst.drain();
    await peer.waitFor((d) => d.body.type === "Reject" && (idOf(d.body.object) === join.id));
    await peer.waitFor((d) => d.body.type === "Reject" && (d.body.object as { id?: string })?.id === follow.id);
    const members = await inst.gql<{ group: { members: { total: number } } }>(`query($n: String!) { group(preferredUsername: $n) { members { total } } }`, { n: g.preferredUsername }, admin.accessToken);
    assert.equal(members.data.group.members.total, 1);
    const doc = await (await inst.http.request(`/@${g.preferredUsername}`, { headers: { accept: "application/activity+json" } })).json();
    assert.equal(doc.summary, "");
    const followers = await (await inst.http.request(`/@${g.preferredUsername}/followers`, { headers: { accept: "application/activity+json" } })).json();
    assert.equal(followers.totalItems, 0);
  });
  test("a group elsewhere closed by one of its administrators (Mobilizon's Delete of the group's Tombstone) goes once its server says it is gone", async () => {
    const group = await peer.actor(`club${Date.now()}`, "Group");
    const admin = await peer.actor(`clubadmin${Date.now()}`);
    const inbox = "http://convene.test/inbox";
    // The group makes itself known here (any signed activity).
    const like = { "@context": "https://www.w3.org/ns/activitystreams", id: `${group}#likes/1`, type: "Like", actor: group, object: "http://convene.test/" };
    assert.equal((await inst.http.request(await peer.signed(inbox, like, group))).status, 202);
    await inst.drain();
    assert.ok(await inst.services.federatedActors.findByUrl(group));
    const del = (n: number) => ({ "@context": "https://www.w3.org/ns/activitystreams", id: `${admin}#deletes/${n}`, type: "Delete", actor: admin, object: { id: group, type: "Tombstone", formerType: "Group" } });
    // Still served by its server: nothing changes.
    assert.equal((await inst.http.request(await peer.signed(inbox, del(1), admin))).status, 202);
    await inst.drain();
    assert.equal((await inst.services.federatedActors.findByUrl(group))?.deletedAt, null);
    // Gone there (410): gone here.
    peer.documents.set(new URL(group).pathname, 410);
    assert.equal((await inst.http.request(await peer.signed(inbox, del(2), admin))).status, 202);
    await inst.drain();
    assert.ok((await inst.services.federatedActors.findByUrl(group))?.deletedAt);
  });
  test("posts of a group elsewhere: its server names none of our people as author, claims no one else's post, and only it or a moderator deletes at once", async () => {
    const local = await buildUser(inst);
    const group = await peer.actor(`press${Date.now()}`, "Group");
    const rando = await peer.actor(`rando${Date.now()}`);
    const inbox = "http://convene.test/inbox";
    const AS = "https://www.w3.org/ns/activitystreams";
    const post = (id: string, actor: string, extra: Record<string, unknown> = {}) => ({ id, type: "Article", name: "Letter", content: "<p>x</p>", actor, attributedTo: group, to: [`${AS}#Public`], ...extra });
    // Its own post, naming one of our people as its author and an impossible date: kept, without either.
    const own = `${group}/p/1`;
    const create = { "@context": AS, id: `${own}/activity`, type: "Create", actor: group, object: post(own, local.actor.url, { published: "-010000-01-01T00:00:00Z" }) };
    assert.equal((await inst.http.request(await peer.signed(inbox, create, group))).status, 202);
    await inst.drain();
    const kept = await inst.services.posts.findByUrl(own);
    assert.ok(kept, "its own post is kept");
    assert.equal(kept.authorId, null, "not credited to one of our people");
    assert.ok(kept.publishAt && kept.publishAt.getUTCFullYear() > 1900, "an impossible date is not kept");
    // A post of another server, by someone not known to moderate the group: not taken.
    const elsewhere = "http://victim.example/p/real";
    const announce = { "@context": AS, id: `${group}/announces/1`, type: "Announce", actor: group, object: post(elsewhere, "http://victim.example/users/v") };
    assert.equal((await inst.http.request(await peer.signed(inbox, announce, group))).status, 202);
    await inst.drain();
    assert.equal(await inst.services.posts.findByUrl(elsewhere), null);
    // Someone else on the group's server deletes it while the post is still served: nothing changes; the group: gone.
    peer.documents.set(new URL(own).pathname, post(own, group));
    const del = (who: string, n: number) => ({ "@context": AS, id: `${who}#delete-${n}`, type: "Delete", actor: who, object: own });
    assert.equal((await inst.http.request(await peer.signed(inbox, del(rando, 1), rando))).status, 202);
    await inst.drain();
    assert.ok(await inst.services.posts.findByUrl(own), "still there");
    assert.equal((await inst.http.request(await peer.signed(inbox, del(group, 2), group))).status, 202);
    await inst.drain();
    assert.equal(await inst.services.posts.findByUrl(own), null, "the group deleted it");
  });
  test("a group elsewhere is read again every day: its profile, and who left it without our hearing", async () => {
    const user = await buildUser(inst);
    const name = `circle${Date.now()}`;
    const path = `/groups/${name}`;
    const group = await peer.actor(name, "Group", { members: `${peer.origin}${path}/members` }, path);
    const other = await peer.actor(`other${Date.now()}`);
    const AS = "https://www.w3.org/ns/activitystreams";
    await inst.http.request(await peer.signed("http://convene.test/inbox", { "@context": AS, id: `${group}#likes/1`, type: "Like", actor: group, object: "http://convene.test/" }, group));
    await inst.drain();
    const here = (await inst.services.federatedActors.findByUrl(group))!;
    const join = await inst.gql<{ joinGroup: { role: string } }>(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: String(here.id) }, user.accessToken);
    assert.equal(join.data.joinGroup.role, "NOT_APPROVED");
    await inst.drain();
    const sent = await peer.waitFor((d) => d.body.type === "Join" && d.body.object === group);
    const mine = { type: "Member", id: String(sent.body.id), actor: user.actor.url, object: group, role: "member" };
    const theirs = { type: "Member", id: `${peer.origin}/members/${name}-other`, actor: other, object: group, role: "moderator" };
    const list = (items: unknown[]) => ({ "@context": AS, id: `${group}/members`, type: "OrderedCollection", totalItems: items.length, orderedItems: items });
    peer.documents.set(`${path}/members`, list([mine, theirs]));
    await inst.http.request(await peer.signed("http://convene.test/inbox", { "@context": AS, id: `${group}#accepts/1`, type: "Accept", actor: group, object: mine }, group));
    const MEMBERS = `query($n: String!) { group(preferredUsername: $n) { name members { elements { role actor { preferredUsername } } } } }`;
    const n = `${name}@${new URL(peer.origin).host}`;
    const roles = async () => {
      // Logged in afresh: the clock moves a day in this test.
      const token = (await inst.services.users.login(user.email, user.password, null)).accessToken;
      const g = (await inst.gql<{ group: { name: string; members: { elements: { role: string; actor: { preferredUsername: string } }[] } } }>(MEMBERS, { n }, token)).data.group;
      return { name: g.name, members: Object.fromEntries(g.members.elements.map((m) => [m.actor.preferredUsername, m.role])) };
    };
    try {
      inst.clock.advance(10_000);
      await inst.drain();
      assert.deepEqual((await roles()).members, { [user.username]: "MEMBER", [new URL(other).pathname.split("/").pop()!]: "MODERATOR" }, "read when joining");
      // A day later its server answers an empty list (it did not take our member for one): nobody is forgotten.
      peer.documents.set(`${path}/members`, list([]));
      inst.clock.advance(25 * 3600_000);
      await inst.scheduler.tick();
      await inst.drain();
      assert.equal(Object.keys((await roles()).members).length, 2, "an empty answer prunes nothing");
      // Another day: the group renamed itself and its moderator left, and nobody told us.
      peer.documents.set(`${path}/members`, list([mine]));
      (peer.documents.get(path) as { name: string }).name = "Circle, renamed";
      inst.clock.advance(25 * 3600_000);
      await inst.scheduler.tick();
      await inst.drain();
      assert.deepEqual(await roles(), { name: "Circle, renamed", members: { [user.username]: "MEMBER" } });
    } finally {
      inst.clock.offsetMs = 0;
    }
  });
  test("refusals from elsewhere: a plain member publishes no event in our group's name; a third server speaks for no group of another", async () => {
    const AS = "https://www.w3.org/ns/activitystreams";
    const PUBLIC = `${AS}#Public`;
    // Our group, and a plain member on the peer: their event is kept as theirs, not the group's.
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN" });
    const member = await peer.actor(`plain${Date.now()}`);
    const join = { "@context": AS, id: `${member}#join`, type: "Join", actor: member, object: g.url };
    await inst.http.request(await peer.signed(`http://convene.test/@${g.preferredUsername}/inbox`, join, member));
    await inst.drain();
    const ev = `${member}/events/1`;
    const create = { "@context": AS, id: `${ev}/activity`, type: "Create", actor: member, to: [PUBLIC], object: { id: ev, type: "Event", name: "In the group's name", startTime: new Date(Date.now() + 5 * 86_400_000).toISOString(), actor: member, attributedTo: g.url, to: [PUBLIC] } };
    assert.equal((await inst.http.request(await peer.signed("http://convene.test/inbox", create, member))).status, 202);
    await inst.drain();
    const kept = await inst.services.remoteEvents.findByUrl(ev);
    assert.ok(kept, "kept as the member's event");
    assert.equal(kept.attributedToId, null, "not the group's");

    // A group on the peer that one of our people is in; a third server says things about it.
    const user = await buildUser(inst);
    const other = await buildUser(inst);
    const name = `guarded${Date.now()}`;
    const group = await peer.actor(name, "Group", {}, `/groups/${name}`);
    await inst.http.request(await peer.signed("http://convene.test/inbox", { "@context": AS, id: `${group}#likes/1`, type: "Like", actor: group, object: "http://convene.test/" }, group));
    await inst.drain();
    const here = (await inst.services.federatedActors.findByUrl(group))!;
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: String(here.id) }, user.accessToken);
    await inst.drain();
    const sent = await peer.waitFor((d) => d.body.type === "Join" && d.body.object === group);
    const mine = { type: "Member", id: String(sent.body.id), actor: user.actor.url, object: group, role: "member" };
    await inst.http.request(await peer.signed("http://convene.test/inbox", { "@context": AS, id: `${group}#accepts/1`, type: "Accept", actor: group, object: mine }, group));
    await inst.drain();
    const third = await new FakePeer().start("127.0.0.7");
    try {
      const liar = await third.actor(`liar${Date.now()}`);
      const say = async (activity: Record<string, unknown>) => {
        assert.equal((await inst.http.request(await third.signed("http://convene.test/inbox", { "@context": AS, actor: liar, ...activity }, liar))).status, 202);
        await inst.drain();
      };
      await say({ id: `${liar}#u`, type: "Update", object: { ...mine, role: "administrator" } });
      await say({ id: `${liar}#r`, type: "Remove", object: mine.id, origin: group });
      await say({ id: `${liar}#i`, type: "Invite", object: group, target: other.actor.url });
      peer.documents.set(`/groups/${name}`, 410);
      await say({ id: `${liar}#d`, type: "Delete", object: { id: group, type: "Tombstone", formerType: "Group" } });
      const m = await inst.services.members.findByUrl(mine.id);
      assert.equal(m?.role, "MEMBER", "neither promoted nor removed by a third server");
      assert.equal((await inst.gql<{ loggedPerson: { memberships: { total: number } } }>(`{ loggedPerson { memberships { total } } }`, {}, other.accessToken)).data.loggedPerson.memberships.total, 0, "no invitation from a third server");
      assert.equal((await inst.services.federatedActors.findByUrl(group))?.deletedAt, null, "a third server closes no group");
    } finally {
      await third.stop();
    }
  });
});
