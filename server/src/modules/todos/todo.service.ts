import type { Db, Executor, Tx } from "../../db/index.ts";
import { invalid, newUuid, notFound, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import { GroupEvents, inGroup, type GroupEvent, type GroupService, type Member } from "../groups/index.ts";
import type { Principal } from "../users/index.ts";
import { TodoEvents, type TodoEvent } from "./todo.events.ts";
import { todoRepository as repo } from "./todo.repository.ts";
import { checkDueDate, checkTodoTitle, type Todo, type TodoList } from "./todo.types.ts";

export type TodosDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, TodoEvent | GroupEvent>; groups: GroupService };
export type TodoInput = { title?: string | null; status?: boolean | null; dueDate?: Date | null; assignedToId?: number | null; todoListId?: number | null };

/**
 * Use cases of a group's todo lists: its members make lists and todos, tick them, assign them to a member, date them.
 * In a group elsewhere, what our people do is kept here and sent to the group's server, which shares it.
 */
export class TodoService {
  private readonly d: TodosDeps;
  constructor(d: TodosDeps) {
    this.d = d;
    d.bus.on(GroupEvents.Deleted, (e, tx) => repo.deleteByGroup(tx, e.payload.groupId));
  }

  private now() {
    return this.d.clock.now();
  }

  /** The caller's membership of a group, or "not found" (a group's todos are for its members only). */
  private async member(caller: Principal, groupId: number, what = "Todo list"): Promise<Member> {
    caller.requireUser();
    const m = await this.d.groups.membershipOf(caller, groupId);
    if (!inGroup(m)) throw notFound(what);
    return m!;
  }

  private async list(caller: Principal, id: number): Promise<{ list: TodoList; member: Member }> {
    const list = await repo.findList(this.d.db, id);
    if (!list) throw notFound("Todo list");
    return { list, member: await this.member(caller, list.groupId) };
  }

  /** An assignee must be in the group. */
  private async assignee(groupId: number, actorId: number | null | undefined): Promise<number | null | undefined> {
    if (actorId == null) return actorId;
    const ok = (await this.d.groups.memberOf(groupId, actorId)) !== null;
    if (!ok) throw invalid("assignedToId", "Todos are assigned to members of the group");
    return actorId;
  }

  /** Makes a todo list in a group (createTodoList). */
  async createList(caller: Principal, groupId: number, title: string): Promise<TodoList> {
    const t = checkTodoTitle(title);
    const group = await this.d.groups.findGroup(groupId);
    if (!group) throw notFound("Group");
    const member = await this.member(caller, group.id, "Group");
    return this.d.db.transaction().execute(async (tx) => {
      const uuid = newUuid();
      const list = await repo.insertList(tx, { uuid, url: `${this.d.urls.base}/todo-list/${uuid}`, title: t, groupId: group.id }, this.now());
      await this.d.bus.emit({ type: TodoEvents.ListCreated, payload: { groupId: group.id, authorId: member.actorId, todoListId: list.id, title: t } }, tx);
      return list;
    });
  }

  /** Adds a todo to a list (createTodo). */
  async create(caller: Principal, listId: number, input: TodoInput): Promise<Todo> {
    const title = checkTodoTitle(input.title ?? "");
    const dueDate = checkDueDate(input.dueDate) ?? null;
    const { list, member } = await this.list(caller, listId);
    const assignedToId = (await this.assignee(list.groupId, input.assignedToId)) ?? null;
    return this.d.db.transaction().execute(async (tx) => {
      const uuid = newUuid();
      const todo = await repo.insertTodo(tx, { uuid, url: `${this.d.urls.base}/todo/${uuid}`, title, status: !!input.status, dueDate, todoListId: list.id, creatorId: member.actorId, assignedToId }, this.now());
      await this.d.bus.emit({ type: TodoEvents.Created, payload: { groupId: list.groupId, authorId: member.actorId, todoListId: list.id, title, todoId: todo.id } }, tx);
      return todo;
    });
  }

  /** Changes a todo: title, done or not, due date, assignee, list (updateTodo). */
  async update(caller: Principal, id: number, input: TodoInput): Promise<Todo> {
    const title = input.title != null ? checkTodoTitle(input.title) : undefined;
    const dueDate = checkDueDate(input.dueDate);
    caller.requireUser();
    const todo = await repo.findTodo(this.d.db, id);
    if (!todo) throw notFound("Todo");
    const { list, member } = await this.list(caller, todo.todoListId).catch(() => {
      throw notFound("Todo");
    });
    let todoListId: number | undefined;
    if (input.todoListId != null && input.todoListId !== list.id) {
      const target = await repo.findList(this.d.db, input.todoListId);
      if (!target || target.groupId !== list.groupId) throw invalid("todoListId", "A todo moves between lists of its group only");
      todoListId = target.id;
    }
    const assignedToId = await this.assignee(list.groupId, input.assignedToId);
    return this.d.db.transaction().execute(async (tx) => {
      const updated = await repo.updateTodo(tx, id, { title, status: input.status ?? undefined, dueDate, todoListId, assignedToId }, this.now());
      await this.d.bus.emit({ type: TodoEvents.Updated, payload: { groupId: list.groupId, authorId: member.actorId, todoListId: updated.todoListId, title: updated.title, todoId: id, status: updated.status } }, tx);
      return updated;
    });
  }


  // ---------------------------------------------------------------- from other servers (federation)

  /**
   * A group's todo lists, then its todos, oldest first, for its todos collection (the caller checked who reads):
   * Mobilizon lists only the lists; the todos follow them so that a member's server gets them too.
   */
  async forFederation(groupId: number, page: number, limit: number): Promise<{ total: number; elements: ({ list: TodoList } | { todo: Todo })[] }> {
    const [lists, todos] = await Promise.all([repo.countLists(this.d.db, groupId), repo.countGroupTodos(this.d.db, groupId)]);
    const offset = (page - 1) * limit;
    const out: ({ list: TodoList } | { todo: Todo })[] = [];
    if (offset < lists) for (const list of await repo.listsByAge(this.d.db, groupId, offset, limit)) out.push({ list });
    if (out.length < limit) for (const todo of await repo.groupTodosByAge(this.d.db, groupId, Math.max(0, offset - lists), limit - out.length)) out.push({ todo });
    return { total: lists + todos, elements: out };
  }

  /**
   * A todo list from another server, the federation adapter having checked who says so: of a group elsewhere, as its
   * server describes it; in one of our groups, made by a member elsewhere (`byActorId`), which our group then shares.
   */
  async receiveList(v: { groupId: number; url: string; title: string; byActorId?: number | null }): Promise<TodoList | null> {
    const group = await this.d.groups.findGroup(v.groupId);
    if (!group || (group.domain === null && !v.byActorId)) return null;
    const title = checkTodoTitle(v.title.slice(0, 1000));
    return this.d.db.transaction().execute(async (tx) => {
      const known = await repo.findListByUrl(tx, v.url);
      if (known) return known.groupId === group.id ? known : null;
      const list = await repo.insertList(tx, { uuid: newUuid(), url: v.url, title, groupId: group.id }, this.now());
      if (group.domain === null) await this.d.bus.emit({ type: TodoEvents.ListCreated, payload: { groupId: group.id, authorId: v.byActorId!, todoListId: list.id, title } }, tx);
      return list;
    });
  }

  /**
   * A todo from another server (created or changed), in a list known here, the federation adapter having checked who
   * says so: of a group elsewhere; or in one of our groups, by a member elsewhere (`byActorId`), which our group then
   * shares. An assignee who is not in the group is left out.
   */
  async receiveTodo(v: { groupId: number; url: string; listUrl: string; title: string; status: boolean; dueDate: Date | null; creatorId: number | null; assignedToId: number | null; byActorId?: number | null }): Promise<Todo | null> {
    const group = await this.d.groups.findGroup(v.groupId);
    if (!group || (group.domain === null && !v.byActorId)) return null;
    const ours = group.domain === null;
    const title = checkTodoTitle(v.title.slice(0, 1000));
    // A due date out of range (what no calendar shows) is left out rather than refused.
    const dueDate = v.dueDate && v.dueDate.getUTCFullYear() >= 1900 && v.dueDate.getUTCFullYear() <= 9999 ? v.dueDate : null;
    const assignedToId = ours && v.assignedToId !== null && !(await this.d.groups.memberOf(group.id, v.assignedToId)) ? null : v.assignedToId;
    return this.d.db.transaction().execute(async (tx) => {
      const list = await repo.findListByUrl(tx, v.listUrl);
      if (!list || list.groupId !== group.id) return null;
      const known = await repo.findTodoByUrl(tx, v.url);
      if (known) {
        const from = await repo.findList(tx, known.todoListId);
        if (from?.groupId !== group.id) return null;
        const updated = await repo.updateTodo(tx, known.id, { title, status: v.status, dueDate, todoListId: list.id, assignedToId }, this.now());
        if (ours) await this.d.bus.emit({ type: TodoEvents.Updated, payload: { groupId: group.id, authorId: v.byActorId!, todoListId: list.id, title, todoId: known.id, status: updated.status } }, tx);
        return updated;
      }
      const todo = await repo.insertTodo(tx, { uuid: newUuid(), url: v.url, title, status: v.status, dueDate, todoListId: list.id, creatorId: v.creatorId, assignedToId }, this.now());
      if (ours) await this.d.bus.emit({ type: TodoEvents.Created, payload: { groupId: group.id, authorId: v.byActorId!, todoListId: list.id, title, todoId: todo.id } }, tx);
      return todo;
    });
  }

  /** A list, or a todo with the group it is in, by its ActivityPub id (federation), without checks. */
  listByUrl(url: string): Promise<TodoList | null> {
    return repo.findListByUrl(this.d.db, url);
  }
  async todoByUrl(url: string): Promise<(Todo & { groupId: number }) | null> {
    const todo = await repo.findTodoByUrl(this.d.db, url);
    const list = todo ? await repo.findList(this.d.db, todo.todoListId) : null;
    return todo && list ? { ...todo, groupId: list.groupId } : null;
  }

  /** A list and a todo by id (federation), without checks; pass the transaction when inside one. */
  async listById(id: number, tx: Executor = this.d.db): Promise<TodoList | null> {
    return repo.findList(tx, id);
  }
  async todoById(id: number, tx: Executor = this.d.db): Promise<Todo | null> {
    return repo.findTodo(tx, id);
  }

  /** A todo list, for the group's members (todoList). */
  async getList(caller: Principal, id: number): Promise<TodoList> {
    return (await this.list(caller, id)).list;
  }

  /** A todo, for the group's members (todo). */
  async get(caller: Principal, id: number): Promise<Todo> {
    caller.requireUser();
    const todo = await repo.findTodo(this.d.db, id);
    if (!todo) throw notFound("Todo");
    await this.list(caller, todo.todoListId).catch(() => {
      throw notFound("Todo");
    });
    return todo;
  }

  /** A group's todo lists for its members; others get an empty page (Group.todoLists). */
  async listsOf(caller: Principal, groupId: number, page: number, limit: number) {
    if (caller.kind === "anonymous" || !inGroup(await this.d.groups.membershipOf(caller, groupId))) return { total: 0, elements: [] };
    return repo.listsOfGroup(this.d.db, groupId, page, limit);
  }

  /** A list's todos; the list was reached by a member. */
  todosOf(list: TodoList, page: number, limit: number) {
    return repo.todosOf(this.d.db, list.id, page, limit);
  }

  /** Lists by ids (a todo's list; reached through the todo by a member). */
  findLists(ids: readonly number[]) {
    return repo.findLists(this.d.db, ids);
  }
}
