/** A group's todo lists. */
export { TodoService, type TodosDeps, type TodoInput } from "./todo.service.ts";
/** Domain events of todos. */
export { TodoEvents, type TodoEvent } from "./todo.events.ts";
export type { Todo, TodoList } from "./todo.types.ts";
