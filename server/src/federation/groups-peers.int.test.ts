// Groups between two Convene instances as separate processes on 127.0.0.4 and 127.0.0.5 (federation.md §7, group
// scenarios 8, 9, 10 and 12, in Mobilizon's group protocol): following a group elsewhere and getting its events,
// joining an open group, a moderated one on approval, invitations accepted and declined, role changes, removals and
// departures, each seen on both sides.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DIALECT } from "../../test/kit.ts";
import { startPeer, until, type Peer } from "../../test/peers.ts";

type U = Awaited<ReturnType<Peer["user"]>>;
const MEMBERS = `query($n: String!) { group(preferredUsername: $n) { members { total elements { id role actor { preferredUsername domain } } } } }`;
const MEMBERS_IDS = `query($n: String!) { group(preferredUsername: $n) { members { elements { id role actor { preferredUsername domain } } } } }`;
const MY = `query($g: String) { loggedPerson { memberships(group: $g) { total elements { id role parent { preferredUsername domain } } } } }`;

describe(`groups between instances (${DIALECT})`, { timeout: 180_000 }, () => {
  let a: Peer;
  let b: Peer;
  let c: Peer;
  let adminA: U;

  before(async () => {
    [a, b, c] = await Promise.all([startPeer("127.0.0.4"), startPeer("127.0.0.5"), startPeer("127.0.0.6")]);
    adminA = await a.user("group_admin");
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  });

  async function groupOnA(name: string, openness: string) {
    const r = await a.gql(`mutation($u: String!, $o: Openness) { createGroup(preferredUsername: $u, name: $u, openness: $o) { id url } }`, { u: name, o: openness }, adminA.token);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data.createGroup as { id: string; url: string };
  }
  /** The group as B knows it (looked up on A the first time). */
  async function groupOnB(name: string, token: string) {
    const r = await b.gql(`query($n: String!) { group(preferredUsername: $n) { id domain openness } }`, { n: `${name}@${a.domain}` }, token);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data.group as { id: string; domain: string; openness: string };
  }
  const rolesOnA = async (name: string) =>
    Object.fromEntries(((await a.gql(MEMBERS, { n: name }, adminA.token)).data.group.members.elements as { role: string; actor: { preferredUsername: string; domain: string | null } }[]).map((m) => [m.actor.preferredUsername, m.role]));
  const myRole = async (u: U, name: string) => ((await b.gql(MY, { g: `${name}@${a.domain}` }, u.token)).data.loggedPerson.memberships.elements[0] as { role: string } | undefined)?.role ?? null;

  test("scenario 8: a person on B follows a group on A, gets its new events through the group, and unfollows", async () => {
    const g = await groupOnA("neighbours", "OPEN");
    const bob = await b.user("bob");
    const onB = await groupOnB("neighbours", bob.token);
    assert.equal(onB.domain, a.domain);
    assert.equal(onB.openness, "OPEN");
    const f = await b.gql(`mutation($g: ID!) { followGroup(groupId: $g) { id approved } }`, { g: onB.id }, bob.token);
    assert.equal(f.data.followGroup.approved, false, "waits for the group's Accept");
    await until("A accepts bob's follow", async () => {
      const r = await b.gql(`query($g: String) { loggedPerson { follows(group: $g) { elements { approved } } } }`, { g: `neighbours@${a.domain}` }, bob.token);
      return r.data.loggedPerson.follows.elements[0]?.approved === true;
    });
    const e = await a.gql(`mutation($a: ID!, $g: ID) { createEvent(organizerActorId: $a, attributedToId: $g, title: "Street party", description: "<p>Music</p>", beginsOn: "${new Date(Date.now() + 9 * 86400_000).toISOString()}") { uuid } }`, { a: String(adminA.actorId), g: g.id }, adminA.token);
    const uuid = e.data.createEvent.uuid;
    const seen = await until("the group's event reaches B", async () => (await b.gql(`query($u: UUID!) { event(uuid: $u) { title attributedTo { preferredUsername domain } } }`, { u: uuid }, bob.token)).data?.event);
    assert.deepEqual(seen, { title: "Street party", attributedTo: { preferredUsername: "neighbours", domain: a.domain } });
    // A's group changes its name and openness: B's copy follows.
    await a.gql(`mutation($id: ID!) { updateGroup(id: $id, name: "Good neighbours", openness: MODERATED) { id } }`, { id: g.id }, adminA.token);
    await until("B sees the new name and way in", async () => {
      const r = (await b.gql(`query($n: String!) { group(preferredUsername: $n) { name openness } }`, { n: `neighbours@${a.domain}` }, bob.token)).data.group;
      return r.name === "Good neighbours" && r.openness === "MODERATED";
    });
    await b.gql(`mutation($g: ID!) { unfollowGroup(groupId: $g) { id } }`, { g: onB.id }, bob.token);
    await until("A forgets bob's follow", async () => (await a.gql(`query { group(preferredUsername: "neighbours") { followers { total } } }`, {}, adminA.token)).data.group.followers.total === 0);
  });

  test("scenario 9: a person on B joins an open group on A: a member on both sides once A accepts", async () => {
    await groupOnA("open_circle", "OPEN");
    const carol = await b.user("carol");
    const onB = await groupOnB("open_circle", carol.token);
    const j = await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, carol.token);
    assert.equal(j.data.joinGroup.role, "NOT_APPROVED", "B waits for A's answer");
    await until("carol is a member on B", async () => (await myRole(carol, "open_circle")) === "MEMBER");
    assert.equal((await rolesOnA("open_circle")).carol, "MEMBER");
  });

  test("scenario 10: a moderated group approves a request; invitations accepted and declined", async () => {
    await groupOnA("careful", "MODERATED");
    const dave = await b.user("dave");
    const erin = await b.user("erin");
    const frank = await b.user("frank");
    const onB = await groupOnB("careful", dave.token);
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g, message: "I live on your street") { role } }`, { g: onB.id }, dave.token);
    const pending = await until("A sees dave's request", async () => {
      const m = ((await a.gql(MEMBERS, { n: "careful" }, adminA.token)).data.group.members.elements as { id: string; role: string; actor: { preferredUsername: string } }[]).find((x) => x.actor.preferredUsername === "dave");
      return m?.role === "NOT_APPROVED" ? m : null;
    });
    assert.equal(await myRole(dave, "careful"), "NOT_APPROVED");
    await a.gql(`mutation($id: ID!) { approveMember(memberId: $id) { role } }`, { id: pending.id }, adminA.token);
    await until("dave is a member on B", async () => (await myRole(dave, "careful")) === "MEMBER");

    const gA = (await a.gql(`query { group(preferredUsername: "careful") { id } }`, {}, adminA.token)).data.group.id;
    for (const who of ["erin", "frank"]) {
      const inv = await a.gql(`mutation($g: ID!, $t: String!) { inviteMember(groupId: $g, targetActorUsername: $t) { role } }`, { g: gA, t: `${who}@${b.domain}` }, adminA.token);
      assert.equal(inv.errors, undefined, JSON.stringify(inv.errors));
    }
    const invitation = async (u: U) => until("B shows the invitation", async () => ((await b.gql(MY, { g: `careful@${a.domain}` }, u.token)).data.loggedPerson.memberships.elements as { id: string; role: string }[]).find((m) => m.role === "INVITED"));
    await b.gql(`mutation($id: ID!) { acceptInvitation(id: $id) { role } }`, { id: (await invitation(erin)).id }, erin.token);
    await b.gql(`mutation($id: ID!) { rejectInvitation(id: $id) { id } }`, { id: (await invitation(frank)).id }, frank.token);
    await until("A sees erin in and frank out", async () => {
      const roles = await rolesOnA("careful");
      return roles.erin === "MEMBER" && roles.frank === undefined;
    });
    assert.equal(await myRole(erin, "careful"), "MEMBER");
  });

  test("scenario 12: a promotion, a removal and a departure reach the other side", async () => {
    await groupOnA("changing", "OPEN");
    const gina = await b.user("gina");
    const hugo = await b.user("hugo");
    const onB = await groupOnB("changing", gina.token);
    for (const u of [gina, hugo]) await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, u.token);
    await until("both are members on B", async () => (await myRole(gina, "changing")) === "MEMBER" && (await myRole(hugo, "changing")) === "MEMBER");
    const onA = (await a.gql(MEMBERS, { n: "changing" }, adminA.token)).data.group.members.elements as { id: string; actor: { preferredUsername: string } }[];
    const ginaOnA = onA.find((m) => m.actor.preferredUsername === "gina")!;
    await a.gql(`mutation($id: ID!) { updateMember(memberId: $id, role: MODERATOR) { role } }`, { id: ginaOnA.id }, adminA.token);
    await until("gina is a moderator on B", async () => (await myRole(gina, "changing")) === "MODERATOR");
    await a.gql(`mutation($id: ID!) { removeMember(memberId: $id) { id } }`, { id: ginaOnA.id }, adminA.token);
    await until("gina is out on B", async () => (await myRole(gina, "changing")) === null);
    await b.gql(`mutation($g: ID!) { leaveGroup(groupId: $g) { id } }`, { g: onB.id }, hugo.token);
    await until("hugo is out on A", async () => (await rolesOnA("changing")).hugo === undefined);
    // B's people cannot run A's group from B.
    const mine = (await b.gql(MY, { g: `changing@${a.domain}` }, gina.token)).data.loggedPerson.memberships.total;
    assert.equal(mine, 0);
  });

  test("scenario 13 (posts): a member on B reads the group's public and members-only posts; a stranger on B only the public one; a deletion reaches B", async () => {
    const g = await groupOnA("writers", "OPEN");
    const ivy = await b.user("ivy");
    const stranger = await b.user("stranger_b");
    const onB = await groupOnB("writers", ivy.token);
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, ivy.token);
    await b.gql(`mutation($g: ID!) { followGroup(groupId: $g) { id } }`, { g: onB.id }, stranger.token);
    await until("ivy is a member on B", async () => (await myRole(ivy, "writers")) === "MEMBER");
    await until("the stranger follows", async () => (await a.gql(`query { group(preferredUsername: "writers") { followers { total } } }`, {}, adminA.token)).data.group.followers.total === 1);
    const post = async (title: string, v: string) =>
      (await a.gql(`mutation($g: ID!, $t: String!, $v: PostVisibility) { createPost(attributedToId: $g, title: $t, body: "<p>Minutes.</p>", visibility: $v) { slug url } }`, { g: g.id, t: title, v }, adminA.token)).data.createPost as { slug: string; url: string };
    await post("Public minutes", "PUBLIC");
    await post("Internal minutes", "PRIVATE");
    const titles = async (u: U) => ((await b.gql(`query($n: String!) { group(preferredUsername: $n) { posts { elements { title } } } }`, { n: `writers@${a.domain}` }, u.token)).data.group.posts.elements as { title: string }[]).map((p) => p.title).sort();
    await until("B has both posts", async () => (await titles(ivy)).length === 2);
    assert.deepEqual(await titles(ivy), ["Internal minutes", "Public minutes"]);
    assert.deepEqual(await titles(stranger), ["Public minutes"]);
    // The deletion of the public post reaches B.
    const slug = (await a.gql(`query { group(preferredUsername: "writers") { posts { elements { id title } } } }`, {}, adminA.token)).data.group.posts.elements.find((p: { title: string }) => p.title === "Public minutes").id;
    await a.gql(`mutation($id: ID!) { deletePost(id: $id) { id } }`, { id: slug }, adminA.token);
    await until("B no longer has the public post", async () => !(await titles(ivy)).includes("Public minutes"));
  });

  test("scenario 11: a member on B opens a discussion in A's group; A keeps it and shares it with a member on C; replies travel back", async () => {
    await groupOnA("assembly", "OPEN");
    const jo = await b.user("jo");
    const kim = await c.user("kim");
    const onB = await groupOnB("assembly", jo.token);
    const onC = (await c.gql(`query($n: String!) { group(preferredUsername: $n) { id } }`, { n: `assembly@${a.domain}` }, kim.token)).data.group.id;
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, jo.token);
    await c.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onC }, kim.token);
    await until("both are members", async () => (await myRole(jo, "assembly")) === "MEMBER" && ((await c.gql(MY, { g: `assembly@${a.domain}` }, kim.token)).data.loggedPerson.memberships.elements[0]?.role === "MEMBER"));
    const d = await b.gql(`mutation($g: ID!) { createDiscussion(actorId: $g, title: "Next steps", text: "Shall we meet?") { id slug } }`, { g: onB.id }, jo.token);
    assert.equal(d.errors, undefined, JSON.stringify(d.errors));
    const LIST = `query($n: String!) { group(preferredUsername: $n) { discussions { elements { slug title comments { elements { text actor { preferredUsername } } } } } } }`;
    type L = { slug: string; title: string; comments: { elements: { text: string; actor: { preferredUsername: string } }[] } }[];
    const onAList = await until("A keeps the discussion", async () => ((await a.gql(LIST, { n: "assembly" }, adminA.token)).data.group.discussions.elements as L).find((x) => x.title === "Next steps"));
    assert.equal(onAList.comments.elements[0].text, "<p>Shall we meet?</p>");
    const onCList = await until("C receives it through the group", async () => ((await c.gql(LIST, { n: `assembly@${a.domain}` }, kim.token)).data.group.discussions.elements as L).find((x) => x.title === "Next steps"));
    assert.equal(onCList.comments.elements[0].actor.preferredUsername, "jo");
    // A reply on A reaches B and C; a reply on C reaches A and B.
    const idOnA = (await a.gql(`query($s: String) { discussion(slug: $s) { id } }`, { s: onAList.slug }, adminA.token)).data.discussion.id;
    await a.gql(`mutation($id: ID!) { replyToDiscussion(discussionId: $id, text: "Thursday?") { id } }`, { id: idOnA }, adminA.token);
    const idOnC = (await c.gql(`query($s: String) { discussion(slug: $s) { id } }`, { s: onCList.slug }, kim.token)).data.discussion.id;
    await c.gql(`mutation($id: ID!) { replyToDiscussion(discussionId: $id, text: "Thursday works" ) { id } }`, { id: idOnC }, kim.token);
    const texts = async (p: Peer, token: string, n: string) => (((await p.gql(LIST, { n }, token)).data.group.discussions.elements as L)[0]?.comments.elements ?? []).map((m) => m.text).sort();
    const all = ["<p>Shall we meet?</p>", "<p>Thursday works</p>", "<p>Thursday?</p>"];
    await until("A has every message", async () => JSON.stringify(await texts(a, adminA.token, "assembly")) === JSON.stringify(all));
    await until("B has every message", async () => JSON.stringify(await texts(b, jo.token, `assembly@${a.domain}`)) === JSON.stringify(all));
    await until("C has every message", async () => JSON.stringify(await texts(c, kim.token, `assembly@${a.domain}`)) === JSON.stringify(all));
    // jo edits his message on B; the administrator renames the discussion on A: everyone sees both.
    const GET = `query($s: String) { discussion(slug: $s) { id title comments { elements { id text actor { preferredUsername } } } } }`;
    type D = { id: string; title: string; comments: { elements: { id: string; text: string; actor: { preferredUsername: string } }[] } };
    const onBDisc = (await b.gql(GET, { s: d.data.createDiscussion.slug }, jo.token)).data.discussion as D;
    const first = onBDisc.comments.elements.find((m) => m.actor.preferredUsername === "jo")!;
    await b.gql(`mutation($id: ID!) { updateComment(commentId: $id, text: "Shall we meet soon?") { id } }`, { id: first.id }, jo.token);
    await a.gql(`mutation($id: ID!) { updateDiscussion(discussionId: $id, title: "Next steps: date") { id } }`, { id: idOnA }, adminA.token);
    const sees = async (p: Peer, token: string, slug: string) => {
      const x = (await p.gql(GET, { s: slug }, token)).data?.discussion as D | undefined;
      return !!x && x.title === "Next steps: date" && x.comments.elements.some((m) => m.text === "<p>Shall we meet soon?</p>");
    };
    await until("A sees the edit and the new title", () => sees(a, adminA.token, onAList.slug));
    await until("B sees the edit and the new title", () => sees(b, jo.token, d.data.createDiscussion.slug));
    await until("C sees the edit and the new title", () => sees(c, kim.token, onCList.slug));
    // jo, its creator, deletes the discussion: it goes everywhere.
    await b.gql(`mutation($id: ID!) { deleteDiscussion(discussionId: $id) { id } }`, { id: d.data.createDiscussion.id }, jo.token);
    await until("A no longer has it", async () => !!(await a.gql(GET, { s: onAList.slug }, adminA.token)).errors);
    await until("C no longer has it", async () => !!(await c.gql(GET, { s: onCList.slug }, kim.token)).errors);
    // A stranger on C sees nothing of it.
    const stranger = await c.user("stranger_c");
    assert.deepEqual((await c.gql(LIST, { n: `assembly@${a.domain}` }, stranger.token)).data.group.discussions.elements, []);
  });

  test("scenario 13 (resources, todos): a member on B sees the group's folders and links follow their renames, moves and deletions, and its todos", async () => {
    const g = await groupOnA("toolshed", "OPEN");
    const lea = await b.user("lea");
    const onB = await groupOnB("toolshed", lea.token);
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, lea.token);
    await until("lea is a member on B", async () => (await myRole(lea, "toolshed")) === "MEMBER");
    const R = `mutation($g: ID!, $t: String!, $p: ID, $u: String, $ty: String) { createResource(actorId: $g, title: $t, parentId: $p, resourceUrl: $u, type: $ty) { id } }`;
    const folder = (await a.gql(R, { g: g.id, t: "Docs", ty: "folder" }, adminA.token)).data.createResource.id;
    const link = (await a.gql(R, { g: g.id, t: "Wiki", p: folder, u: "https://example.org/wiki" }, adminA.token)).data.createResource.id;
    const pathsOnB = async () => {
      const root = (await b.gql(`query($n: String!) { resource(path: "/", username: $n) { children { elements { path type } } } }`, { n: `toolshed@${a.domain}` }, lea.token)).data?.resource?.children.elements ?? [];
      const docs = await b.gql(`query($n: String!, $p: String!) { resource(path: $p, username: $n) { children { elements { path resourceUrl } } } }`, { n: `toolshed@${a.domain}`, p: "/Manuals" }, lea.token);
      return { root: root.map((x: { path: string }) => x.path).sort(), docs: (docs.data?.resource?.children.elements ?? []).map((x: { path: string }) => x.path) };
    };
    await until("B has the folder and the link", async () => {
      const r = (await b.gql(`query($n: String!) { resource(path: "/Docs", username: $n) { children { elements { path resourceUrl } } } }`, { n: `toolshed@${a.domain}` }, lea.token)).data?.resource;
      return r?.children.elements[0]?.path === "/Docs/Wiki" && r.children.elements[0].resourceUrl === "https://example.org/wiki";
    });
    await a.gql(`mutation($id: ID!) { updateResource(id: $id, title: "Manuals") { id } }`, { id: folder }, adminA.token);
    await until("the rename reaches B, the link follows its folder", async () => JSON.stringify((await pathsOnB()).docs) === JSON.stringify(["/Manuals/Wiki"]));
    await a.gql(`mutation($id: ID!) { updateResource(id: $id, parentId: null) { id } }`, { id: link }, adminA.token);
    await until("the move reaches B", async () => JSON.stringify((await pathsOnB()).root) === JSON.stringify(["/Manuals", "/Wiki"]));
    await a.gql(`mutation($id: ID!) { deleteResource(id: $id) { id } }`, { id: folder }, adminA.token);
    await until("the deletion reaches B", async () => JSON.stringify((await pathsOnB()).root) === JSON.stringify(["/Wiki"]));

    const list = (await a.gql(`mutation($g: ID!) { createTodoList(groupId: $g, title: "Festival") { id } }`, { g: g.id }, adminA.token)).data.createTodoList.id;
    const todo = (await a.gql(`mutation($l: ID!) { createTodo(todoListId: $l, title: "Book the hall") { id } }`, { l: list }, adminA.token)).data.createTodo.id;
    await a.gql(`mutation($id: ID!) { updateTodo(id: $id, status: true) { id } }`, { id: todo }, adminA.token);
    const todosOnB = async () => (await b.gql(`query($n: String!) { group(preferredUsername: $n) { todoLists { elements { title todos { elements { title status } } } } } }`, { n: `toolshed@${a.domain}` }, lea.token)).data.group.todoLists.elements;
    await until("B has the list and its todo, done", async () => JSON.stringify(await todosOnB()) === JSON.stringify([{ title: "Festival", todos: { elements: [{ title: "Book the hall", status: true }] } }]));
  });

  test("scenario 13 (members elsewhere): a member on B adds, renames and deletes resources and todos in A's group; A keeps them and shares them with a member on C", async () => {
    await groupOnA("workshop", "OPEN");
    const n = `workshop@${a.domain}`;
    const pia = await b.user("pia");
    const quinn = await c.user("quinn");
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: (await groupOnB("workshop", pia.token)).id }, pia.token);
    const onC = (await c.gql(`query($n: String!) { group(preferredUsername: $n) { id } }`, { n }, quinn.token)).data.group.id;
    await c.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onC }, quinn.token);
    await until("both are members on A", async () => {
      const r = await rolesOnA("workshop");
      return r.pia === "MEMBER" && r.quinn === "MEMBER";
    });
    await until("B knows pia is in", async () => (await myRole(pia, "workshop")) === "MEMBER");
    const R = `mutation($g: ID!, $t: String!, $p: ID, $u: String, $ty: String) { createResource(actorId: $g, title: $t, parentId: $p, resourceUrl: $u, type: $ty) { id } }`;
    const gOnB = (await groupOnB("workshop", pia.token)).id;
    const folder = await b.gql(R, { g: gOnB, t: "From B", ty: "folder" }, pia.token);
    assert.equal(folder.errors, undefined, JSON.stringify(folder.errors));
    const link = (await b.gql(R, { g: gOnB, t: "Map", p: folder.data.createResource.id, u: "https://example.org/map" }, pia.token)).data.createResource.id;
    const children = async (peer: Peer, token: string, name: string, path: string) =>
      ((await peer.gql(`query($n: String!, $p: String!) { resource(path: $p, username: $n) { children { elements { path title } } } }`, { n: name, p: path }, token)).data?.resource?.children.elements ?? []).map((x: { path: string }) => x.path);
    await until("A has pia's folder and link", async () => JSON.stringify(await children(a, adminA.token, "workshop", "/From B")) === JSON.stringify(["/From B/Map"]));
    await until("C has them too, shared by A", async () => JSON.stringify(await children(c, quinn.token, n, "/From B")) === JSON.stringify(["/From B/Map"]));
    // A's administrator renames pia's folder: B follows.
    const onA = (await a.gql(`query { resource(path: "/From B", username: "workshop") { id } }`, {}, adminA.token)).data.resource.id;
    await a.gql(`mutation($id: ID!) { updateResource(id: $id, title: "Maps") { id } }`, { id: onA }, adminA.token);
    await until("B sees the rename", async () => JSON.stringify(await children(b, pia.token, n, "/Maps")) === JSON.stringify(["/Maps/Map"]));
    // pia deletes her link: gone on A and C.
    await b.gql(`mutation($id: ID!) { deleteResource(id: $id) { id } }`, { id: link }, pia.token);
    await until("A and C no longer have the link", async () => (await children(a, adminA.token, "workshop", "/Maps")).length === 0 && (await children(c, quinn.token, n, "/Maps")).length === 0);

    // Todos: pia makes a list and a todo on B; A ticks it; B sees it done, C has it.
    const list = await b.gql(`mutation($g: ID!) { createTodoList(groupId: $g, title: "Fair") { id } }`, { g: gOnB }, pia.token);
    assert.equal(list.errors, undefined, JSON.stringify(list.errors));
    await b.gql(`mutation($l: ID!) { createTodo(todoListId: $l, title: "Print flyers") { id } }`, { l: list.data.createTodoList.id }, pia.token);
    const TODOS = `query($n: String!) { group(preferredUsername: $n) { todoLists { elements { title todos { elements { id title status } } } } } }`;
    const todoOnA = await until("A has pia's list and todo", async () => (await a.gql(TODOS, { n: "workshop" }, adminA.token)).data.group.todoLists.elements[0]?.todos.elements[0]);
    assert.equal(todoOnA.title, "Print flyers");
    await a.gql(`mutation($id: ID!) { updateTodo(id: $id, status: true) { id } }`, { id: todoOnA.id }, adminA.token);
    await until("B sees it done", async () => (await b.gql(TODOS, { n }, pia.token)).data.group.todoLists.elements[0]?.todos.elements[0]?.status === true);
    await until("C has it, done", async () => (await c.gql(TODOS, { n }, quinn.token)).data.group.todoLists.elements[0]?.todos.elements[0]?.status === true);

    // Posts: pia, made a moderator on A, writes a public and a members-only post from B; A keeps and shares them.
    const piaOnA = ((await a.gql(MEMBERS_IDS, { n: "workshop" }, adminA.token)).data.group.members.elements as { id: string; actor: { preferredUsername: string } }[]).find((m) => m.actor.preferredUsername === "pia")!;
    await a.gql(`mutation($m: ID!) { updateMember(memberId: $m, role: MODERATOR) { id } }`, { m: piaOnA.id }, adminA.token);
    await until("B knows pia moderates", async () => (await myRole(pia, "workshop")) === "MODERATOR");
    const P = `mutation($g: ID!, $t: String!, $v: PostVisibility) { createPost(attributedToId: $g, title: $t, body: "<p>From B</p>", visibility: $v) { id url } }`;
    const open = await b.gql(P, { g: gOnB, t: "Open news", v: "PUBLIC" }, pia.token);
    assert.equal(open.errors, undefined, JSON.stringify(open.errors));
    await b.gql(P, { g: gOnB, t: "Inner news", v: "PRIVATE" }, pia.token);
    const POSTS = `query($n: String!) { group(preferredUsername: $n) { posts { elements { id title visibility author { preferredUsername } } } } }`;
    const titles = async (peer: Peer, token: string | null, name: string) => ((await peer.gql(POSTS, { n: name }, token)).data.group.posts.elements as { title: string }[]).map((x) => x.title).sort();
    await until("A has both posts", async () => JSON.stringify(await titles(a, adminA.token, "workshop")) === JSON.stringify(["Inner news", "Open news"]));
    await until("C's member has both, shared by A", async () => JSON.stringify(await titles(c, quinn.token, n)) === JSON.stringify(["Inner news", "Open news"]));
    const outsiderC = await c.user("outsider_c");
    await until("a stranger on C sees the public one only", async () => JSON.stringify(await titles(c, outsiderC.token, n)) === JSON.stringify(["Open news"]));
    // A's administrator edits pia's post: B follows. pia deletes it: gone on A and C.
    const onAPost = ((await a.gql(POSTS, { n: "workshop" }, adminA.token)).data.group.posts.elements as { id: string; title: string; author: { preferredUsername: string } }[]).find((x) => x.title === "Open news")!;
    assert.equal(onAPost.author.preferredUsername, "pia");
    await a.gql(`mutation($id: ID!) { updatePost(id: $id, title: "Open news, corrected") { id } }`, { id: onAPost.id }, adminA.token);
    await until("B sees the correction", async () => (await titles(b, pia.token, n)).includes("Open news, corrected"));
    await b.gql(`mutation($id: ID!) { deletePost(id: $id) { id } }`, { id: open.data.createPost.id }, pia.token);
    await until("A and C no longer have it", async () => JSON.stringify(await titles(a, adminA.token, "workshop")) === JSON.stringify(["Inner news"]) && JSON.stringify(await titles(c, quinn.token, n)) === JSON.stringify(["Inner news"]));
    // A plain member elsewhere writes no post.
    assert.ok((await c.gql(P, { g: onC, t: "Not mine to write", v: "PUBLIC" }, quinn.token)).errors);

    // Events: pia publishes one in the group's name from B; it is the group's on A, and C gets it through the group.
    const E = `mutation($a: ID!, $g: ID, $t: String!) { createEvent(organizerActorId: $a, attributedToId: $g, title: $t, description: "<p>x</p>", beginsOn: "${new Date(Date.now() + 12 * 86400_000).toISOString()}") { id uuid } }`;
    const ev = await b.gql(E, { a: String(pia.actorId), g: gOnB, t: "Repair café" }, pia.token);
    assert.equal(ev.errors, undefined, JSON.stringify(ev.errors));
    const EVENTS = `query($n: String!) { group(preferredUsername: $n) { organizedEvents { elements { title attributedTo { preferredUsername } organizerActor { preferredUsername } } } } }`;
    const evTitles = async (peer: Peer, token: string, name: string) => ((await peer.gql(EVENTS, { n: name }, token)).data.group.organizedEvents.elements as { title: string }[]).map((x) => x.title);
    await until("A lists it among the group's events", async () => (await evTitles(a, adminA.token, "workshop")).includes("Repair café"));
    await until("C has it as the group's event", async () => (await evTitles(c, quinn.token, n)).includes("Repair café"));
    await b.gql(`mutation($id: ID!) { updateEvent(eventId: $id, title: "Repair café, 2nd edition") { id } }`, { id: ev.data.createEvent.id }, pia.token);
    await until("the change reaches A and C", async () => (await evTitles(a, adminA.token, "workshop")).includes("Repair café, 2nd edition") && (await evTitles(c, quinn.token, n)).includes("Repair café, 2nd edition"));
    // A plain member elsewhere publishes nothing in the group's name.
    assert.ok((await c.gql(E, { a: String(quinn.actorId), g: onC, t: "Not mine" }, quinn.token)).errors);

    // Someone on B who is not in the group writes nothing in it.
    const nobody = await b.user("nobody_b");
    assert.ok((await b.gql(R, { g: gOnB, t: "Spam", u: "https://example.org/spam" }, nobody.token)).errors);
    assert.ok((await b.gql(`mutation($g: ID!) { createTodoList(groupId: $g, title: "Spam") { id } }`, { g: gOnB }, nobody.token)).errors);
  });

  test("scenario 9 (crawl): after A accepts, B reads what members see of the group, signed by its new member: earlier posts (members-only ones too) and events", async () => {
    const g = await groupOnA("archive", "OPEN");
    for (const [t, v] of [["Old public post", "PUBLIC"], ["Old members post", "PRIVATE"]])
      await a.gql(`mutation($g: ID!, $t: String!, $v: PostVisibility) { createPost(attributedToId: $g, title: $t, body: "<p>Earlier</p>", visibility: $v) { id } }`, { g: g.id, t, v }, adminA.token);
    await a.gql(`mutation($a: ID!, $g: ID) { createEvent(organizerActorId: $a, attributedToId: $g, title: "Old event", description: "<p>x</p>", beginsOn: "${new Date(Date.now() + 20 * 86400_000).toISOString()}") { uuid } }`, { a: String(adminA.actorId), g: g.id }, adminA.token);
    const disc = await a.gql(`mutation($g: ID!) { createDiscussion(actorId: $g, title: "Plans", text: "<p>Opening words</p>") { id } }`, { g: g.id }, adminA.token);
    await a.gql(`mutation($id: ID!) { replyToDiscussion(discussionId: $id, text: "<p>A reply</p>") { id } }`, { id: disc.data.createDiscussion.id }, adminA.token);
    const R = `mutation($g: ID!, $t: String!, $p: ID, $u: String, $ty: String) { createResource(actorId: $g, title: $t, parentId: $p, resourceUrl: $u, type: $ty) { id } }`;
    const folder = (await a.gql(R, { g: g.id, t: "Docs", ty: "folder" }, adminA.token)).data.createResource.id;
    await a.gql(R, { g: g.id, t: "Wiki", p: folder, u: "https://example.org/wiki" }, adminA.token);
    const list = (await a.gql(`mutation($g: ID!) { createTodoList(groupId: $g, title: "Festival") { id } }`, { g: g.id }, adminA.token)).data.createTodoList.id;
    await a.gql(`mutation($l: ID!) { createTodo(todoListId: $l, title: "Book the hall") { id } }`, { l: list }, adminA.token);
    // Someone on C was in it before.
    const zoe = await c.user("zoe");
    const onC = (await c.gql(`query($n: String!) { group(preferredUsername: $n) { id } }`, { n: `archive@${a.domain}` }, zoe.token)).data.group.id;
    await c.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onC }, zoe.token);
    await until("zoe is in it on A", async () => (await rolesOnA("archive")).zoe === "MEMBER");
    const max = await b.user("max");
    const onB = await groupOnB("archive", max.token);
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, max.token);
    const posts = async () => (await b.gql(`query($n: String!) { group(preferredUsername: $n) { posts { elements { title } } organizedEvents { elements { title } } } }`, { n: `archive@${a.domain}` }, max.token)).data.group;
    const seen = await until("B has the group's earlier posts and event", async () => {
      const g2 = await posts();
      return g2.posts.elements.length === 2 && g2.organizedEvents.elements.length === 1 ? g2 : null;
    });
    assert.deepEqual(seen.posts.elements.map((p: { title: string }) => p.title).sort(), ["Old members post", "Old public post"]);
    assert.equal(seen.organizedEvents.elements[0].title, "Old event");
    // Who is in it, its folders and links, its todos and its discussions: what members see.
    const n = `archive@${a.domain}`;
    const everything = await until("B has its members, resources, todos and discussions", async () => {
      const r = (
        await b.gql(
          `query($n: String!) { group(preferredUsername: $n) { members { elements { role actor { preferredUsername domain } } } discussions { elements { title comments { elements { text } } } } todoLists { elements { title todos { elements { title } } } } } resource(path: "/Docs", username: $n) { children { elements { path resourceUrl } } } }`,
          { n },
          max.token,
        )
      ).data;
      return r.group.members.elements.length === 3 && r.group.discussions.elements.length === 1 && r.group.todoLists.elements[0]?.todos.elements.length === 1 && r.resource?.children.elements.length === 1 ? r : null;
    });
    const roles = Object.fromEntries(everything.group.members.elements.map((m: { role: string; actor: { preferredUsername: string; domain: string | null } }) => [`${m.actor.preferredUsername}@${m.actor.domain ?? "B"}`, m.role]));
    assert.deepEqual(roles, { [`group_admin@${a.domain}`]: "ADMINISTRATOR", [`zoe@${c.domain}`]: "MEMBER", "max@B": "MEMBER" });
    assert.deepEqual(everything.group.discussions.elements, [{ title: "Plans", comments: { elements: [{ text: "<p>Opening words</p>" }] } }]);
    assert.deepEqual(everything.group.todoLists.elements, [{ title: "Festival", todos: { elements: [{ title: "Book the hall" }] } }]);
    assert.deepEqual(everything.resource.children.elements, [{ path: "/Docs/Wiki", resourceUrl: "https://example.org/wiki" }]);
    // A stranger on B sees none of it (of the members, how many: as on the group's page).
    const stranger = await b.user("nosy_b");
    const hidden = (await b.gql(`query($n: String!) { group(preferredUsername: $n) { members { total elements { id } } discussions { total } todoLists { total } resources { total } } }`, { n }, stranger.token)).data.group;
    assert.deepEqual(hidden, { members: { total: 3, elements: [] }, discussions: { total: 0 }, todoLists: { total: 0 }, resources: { total: 0 } });
  });
  test("a group deleted on A: A tells B, where its member and its follower no longer see it nor what was kept of it", async () => {
    const g = await groupOnA("fading", "OPEN");
    const nora = await b.user("nora");
    const otto = await b.user("otto");
    const onB = await groupOnB("fading", nora.token);
    await b.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { role } }`, { g: onB.id }, nora.token);
    await b.gql(`mutation($g: ID!) { followGroup(groupId: $g) { id } }`, { g: onB.id }, otto.token);
    await until("nora is a member on B", async () => (await myRole(nora, "fading")) === "MEMBER");
    await until("A has otto's follow", async () => (await a.gql(`query { group(preferredUsername: "fading") { followers { total } } }`, {}, adminA.token)).data.group.followers.total === 1);
    await a.gql(`mutation($g: ID!) { createDiscussion(actorId: $g, title: "Last words", text: "<p>Bye</p>") { id } }`, { g: g.id }, adminA.token);
    const slug = await until("B has the discussion", async () => (await b.gql(`query($n: String!) { group(preferredUsername: $n) { discussions { elements { slug } } } }`, { n: `fading@${a.domain}` }, nora.token)).data.group.discussions.elements[0]?.slug);
    const del = await a.gql(`mutation($g: ID!) { deleteGroup(groupId: $g) { id } }`, { g: g.id }, adminA.token);
    assert.equal(del.errors, undefined, JSON.stringify(del.errors));
    await until("B no longer has the group", async () => !!(await b.gql(`query($n: String!) { group(preferredUsername: $n) { id } }`, { n: `fading@${a.domain}` }, nora.token)).errors);
    assert.equal(await myRole(nora, "fading"), null, "nora's membership went with it");
    assert.ok((await b.gql(`query($s: String!) { discussion(slug: $s) { id } }`, { s: slug }, nora.token)).errors, "what B kept of it went with it");
  });
});
