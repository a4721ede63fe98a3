import type { Selectable } from "kysely";
import { toBool, toDate, type Executor, type TodoListsTable, type TodosTable } from "../../db/index.ts";
import type { Todo, TodoList } from "./todo.types.ts";

const mapList = (r: Selectable<TodoListsTable>): TodoList => ({ id: r.id, uuid: r.uuid, url: r.url, title: r.title, groupId: r.group_id, insertedAt: toDate(r.inserted_at)!, updatedAt: toDate(r.updated_at)! });
const mapTodo = (r: Selectable<TodosTable>): Todo => ({
  id: r.id,
  uuid: r.uuid,
  url: r.url,
  title: r.title,
  status: toBool(r.status),
  dueDate: toDate(r.due_date),
  todoListId: r.todo_list_id,
  creatorId: r.creator_id,
  assignedToId: r.assigned_to_id,
  insertedAt: toDate(r.inserted_at)!,
  updatedAt: toDate(r.updated_at)!,
});

/** Writes and reads of todo lists and todos. */
export const todoRepository = {
  async insertList(db: Executor, l: Omit<TodoList, "id" | "insertedAt" | "updatedAt">, now: Date): Promise<TodoList> {
    return mapList(await db.insertInto("todo_lists").values({ uuid: l.uuid, url: l.url, title: l.title, group_id: l.groupId, inserted_at: now, updated_at: now }).returningAll().executeTakeFirstOrThrow());
  },
  async findList(db: Executor, id: number): Promise<TodoList | null> {
    const r = await db.selectFrom("todo_lists").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? mapList(r) : null;
  },
  async findListByUrl(db: Executor, url: string): Promise<TodoList | null> {
    const r = await db.selectFrom("todo_lists").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? mapList(r) : null;
  },
  async findTodoByUrl(db: Executor, url: string): Promise<Todo | null> {
    const r = await db.selectFrom("todos").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? mapTodo(r) : null;
  },
  async findLists(db: Executor, ids: readonly number[]): Promise<TodoList[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("todo_lists").selectAll().where("id", "in", [...ids]).execute()).map(mapList);
  },
  async listsOfGroup(db: Executor, groupId: number, page: number, limit: number): Promise<{ total: number; elements: TodoList[] }> {
    const q = db.selectFrom("todo_lists").where("group_id", "=", groupId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("id", "desc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(n), elements: rows.map(mapList) };
  },
  async countLists(db: Executor, groupId: number): Promise<number> {
    return Number((await db.selectFrom("todo_lists").where("group_id", "=", groupId).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  },
  async listsByAge(db: Executor, groupId: number, offset: number, limit: number): Promise<TodoList[]> {
    return (await db.selectFrom("todo_lists").selectAll().where("group_id", "=", groupId).orderBy("id").limit(limit).offset(offset).execute()).map(mapList);
  },
  async countGroupTodos(db: Executor, groupId: number): Promise<number> {
    const r = await db
      .selectFrom("todos")
      .innerJoin("todo_lists", "todo_lists.id", "todos.todo_list_id")
      .where("todo_lists.group_id", "=", groupId)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  /** A group's todos, all lists together, oldest first. */
  async groupTodosByAge(db: Executor, groupId: number, offset: number, limit: number): Promise<Todo[]> {
    const rows = await db
      .selectFrom("todos")
      .innerJoin("todo_lists", "todo_lists.id", "todos.todo_list_id")
      .where("todo_lists.group_id", "=", groupId)
      .selectAll("todos")
      .orderBy("todos.id")
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map(mapTodo);
  },
  async deleteByGroup(db: Executor, groupId: number): Promise<void> {
    await db.deleteFrom("todo_lists").where("group_id", "=", groupId).execute();
  },
  async insertTodo(db: Executor, t: Omit<Todo, "id" | "insertedAt" | "updatedAt">, now: Date): Promise<Todo> {
    return mapTodo(
      await db
        .insertInto("todos")
        .values({ uuid: t.uuid, url: t.url, title: t.title, status: t.status, due_date: t.dueDate, todo_list_id: t.todoListId, creator_id: t.creatorId, assigned_to_id: t.assignedToId, inserted_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  },
  async updateTodo(db: Executor, id: number, p: Partial<Pick<Todo, "title" | "status" | "dueDate" | "todoListId" | "assignedToId">>, now: Date): Promise<Todo> {
    return mapTodo(
      await db
        .updateTable("todos")
        .set({
          ...(p.title !== undefined && { title: p.title }),
          ...(p.status !== undefined && { status: p.status }),
          ...(p.dueDate !== undefined && { due_date: p.dueDate }),
          ...(p.todoListId !== undefined && { todo_list_id: p.todoListId }),
          ...(p.assignedToId !== undefined && { assigned_to_id: p.assignedToId }),
          updated_at: now,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
  },
  async findTodo(db: Executor, id: number): Promise<Todo | null> {
    const r = await db.selectFrom("todos").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? mapTodo(r) : null;
  },
  /** A list's todos: those to do first, then done ones; oldest first. */
  async todosOf(db: Executor, listId: number, page: number, limit: number): Promise<{ total: number; elements: Todo[] }> {
    const q = db.selectFrom("todos").where("todo_list_id", "=", listId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("status", "asc").orderBy("id", "asc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(n), elements: rows.map(mapTodo) };
  },
};
