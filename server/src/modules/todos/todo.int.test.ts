import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildGroup, buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const LIST = `mutation($g: ID!, $t: String!) { createTodoList(groupId: $g, title: $t) { id title actor { preferredUsername } } }`;
const CREATE = `mutation($l: ID!, $t: String!, $a: ID, $d: DateTime) { createTodo(todoListId: $l, title: $t, assignedToId: $a, dueDate: $d) { id title status dueDate assignedTo { preferredUsername } creator { preferredUsername } todoList { id } } }`;
const UPDATE = `mutation($id: ID!, $s: Boolean, $t: String, $a: ID) { updateTodo(id: $id, status: $s, title: $t, assignedToId: $a) { id title status assignedTo { preferredUsername } } }`;
const GET_LIST = `query($id: ID!) { todoList(id: $id) { title todos { total elements { title status } } } }`;
const GROUP_LISTS = `query($n: String!) { group(preferredUsername: $n) { todoLists { total elements { title todos { total } } } } }`;

describe("group todo lists", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("members make lists and todos, assign them to members, tick them; strangers see and change nothing", async () => {
    const admin = await buildUser(inst);
    const member = await buildUser(inst);
    const stranger = await buildUser(inst);
    const g = await buildGroup(inst, admin, { o: "OPEN" });
    await inst.gql(`mutation($g: ID!) { joinGroup(groupId: $g) { id } }`, { g: g.id }, member.accessToken);
    const list = (await inst.gql<{ createTodoList: { id: string; actor: { preferredUsername: string } } }>(LIST, { g: g.id, t: "Festival" }, member.accessToken)).data.createTodoList;
    assert.equal(list.actor.preferredUsername, g.preferredUsername);
    const due = "2030-06-01T10:00:00.000Z";
    const todo = (await inst.gql<{ createTodo: { id: string; dueDate: string; assignedTo: { preferredUsername: string }; creator: { preferredUsername: string } } }>(CREATE, { l: list.id, t: "Book the hall", a: String(admin.actor.id), d: due }, member.accessToken)).data.createTodo;
    assert.equal(todo.assignedTo.preferredUsername, admin.username);
    assert.equal(todo.creator.preferredUsername, member.username);
    assert.equal(todo.dueDate, due);
    await inst.gql(CREATE, { l: list.id, t: "Print posters" }, admin.accessToken);
    const done = (await inst.gql<{ updateTodo: { status: boolean } }>(UPDATE, { id: todo.id, s: true }, admin.accessToken)).data.updateTodo;
    assert.equal(done.status, true);
    const seen = (await inst.gql<{ todoList: { todos: { total: number; elements: { title: string; status: boolean }[] } } }>(GET_LIST, { id: list.id }, member.accessToken)).data.todoList.todos;
    assert.deepEqual(seen.elements.map((e) => [e.title, e.status]), [["Print posters", false], ["Book the hall", true]]);
    assert.equal((await inst.gql<{ group: { todoLists: { total: number } } }>(GROUP_LISTS, { n: g.preferredUsername }, member.accessToken)).data.group.todoLists.total, 1);
    expectError(await inst.gql(CREATE, { l: list.id, t: "x", a: String(stranger.actor.id) }, member.accessToken), "validation");
    expectError(await inst.gql(CREATE, { l: list.id, t: "  " }, member.accessToken), "validation");
    for (const token of [stranger.accessToken, undefined]) {
      const code = token ? "not_found" : "unauthenticated";
      expectError(await inst.gql(GET_LIST, { id: list.id }, token), code);
      expectError(await inst.gql(`query($id: ID!) { todo(id: $id) { title } }`, { id: todo.id }, token), code);
      expectError(await inst.gql(LIST, { g: g.id, t: "Mine" }, token), code);
      expectError(await inst.gql(CREATE, { l: list.id, t: "Mine" }, token), code);
      expectError(await inst.gql(UPDATE, { id: todo.id, s: false }, token), code);
      assert.deepEqual((await inst.gql<{ group: { todoLists: unknown } }>(GROUP_LISTS, { n: g.preferredUsername }, token)).data.group.todoLists, { total: 0, elements: [] });
    }
  });

  test("nested lists of a group cost what they query: a request asking for thousands of per-list queries is refused", async () => {
    const admin = await buildUser(inst);
    const g = await buildGroup(inst, admin);
    const r = await inst.gql(`query($n: String!) { group(preferredUsername: $n) { todoLists(limit: 70) { elements { todos(limit: 70) { elements { todoList { id title } } } } } } }`, { n: g.preferredUsername }, admin.accessToken);
    assert.ok(r.errors?.some((e) => /cost/i.test(e.message)), JSON.stringify(r.errors));
  });
});
