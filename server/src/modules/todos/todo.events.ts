/** Domain events of todo lists (the timeline may listen to them). */
export const TodoEvents = {
  ListCreated: "todo.list_created",
  Created: "todo.created",
  Updated: "todo.updated",
} as const;

type P = { groupId: number; authorId: number; todoListId: number; title: string };
export type TodoEvent =
  | { type: typeof TodoEvents.ListCreated; payload: P }
  | { type: typeof TodoEvents.Created; payload: P & { todoId: number } }
  | { type: typeof TodoEvents.Updated; payload: P & { todoId: number; status: boolean } };
