import type { GqlContext } from "../../../graphql/context.ts";
import { pageArgs, parseId, parseOptionalId } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Todo, TodoList } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    "A group's todo list, for its members."
    todoList(id: ID!): TodoList
    "A todo of a group's list, for its members."
    todo(id: ID!): Todo
  }
  extend type RootMutationType {
    createTodoList(title: String!, groupId: ID!): TodoList
    createTodo(todoListId: ID!, title: String!, status: Boolean, dueDate: DateTime, assignedToId: ID): Todo
    updateTodo(id: ID!, todoListId: ID, title: String, status: Boolean, dueDate: DateTime, assignedToId: ID): Todo
  }
`;

export const todosSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      todoList: (_, args, ctx) => ctx.services.todos.getList(ctx.principal, parseId(args.id)),
      todo: (_, args, ctx) => ctx.services.todos.get(ctx.principal, parseId(args.id)),
    },
    RootMutationType: {
      createTodoList: (_, args, ctx) => ctx.services.todos.createList(ctx.principal, parseId(args.groupId, "groupId"), String(args.title)),
      createTodo: (_, args, ctx) =>
        ctx.services.todos.create(ctx.principal, parseId(args.todoListId, "todoListId"), { title: args.title, status: args.status, dueDate: args.dueDate, assignedToId: parseOptionalId(args.assignedToId, "assignedToId") }),
      updateTodo: (_, args, ctx) =>
        ctx.services.todos.update(ctx.principal, parseId(args.id), {
          title: args.title,
          status: args.status,
          dueDate: args.dueDate,
          assignedToId: parseOptionalId(args.assignedToId, "assignedToId"),
          todoListId: parseOptionalId(args.todoListId, "todoListId"),
        }),
    },
    Group: {
      todoLists: (g: { id: number }, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.todos.listsOf(ctx.principal, g.id, page, limit);
      },
    },
    TodoList: {
      id: (l: TodoList) => String(l.id),
      actor: (l: TodoList, _, ctx: GqlContext) => ctx.loaders.actor.load(l.groupId),
      todos: (l: TodoList, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.todos.todosOf(l, page, limit);
      },
    },
    Todo: {
      id: (t: Todo) => String(t.id),
      creator: (t: Todo, _, ctx: GqlContext) => (t.creatorId ? ctx.loaders.actor.load(t.creatorId) : null),
      assignedTo: (t: Todo, _, ctx: GqlContext) => (t.assignedToId ? ctx.loaders.actor.load(t.assignedToId) : null),
      todoList: (t: Todo, _, ctx: GqlContext) => ctx.loaders.todoList.load(t.todoListId),
    },
  },
};
