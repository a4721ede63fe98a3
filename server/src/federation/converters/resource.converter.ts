import type { Resource } from "../../modules/resources/index.ts";
import type { Todo, TodoList } from "../../modules/todos/index.ts";
import { CONTEXT } from "../context.ts";

/**
 * A group's resource as Mobilizon describes it (federation.md §2.2): a link is a `Document` (`url` = where it points),
 * a folder a `ResourceCollection`; `context` names its folder (or the group's resources collection at the root).
 * Members only.
 */
export function toResourceDocument(r: Resource, refs: { creatorUrl: string; groupUrl: string; folderUrl: string; membersUrl: string }): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    id: r.url,
    type: r.type === "folder" ? "ResourceCollection" : "Document",
    name: r.title,
    summary: r.summary ?? undefined,
    ...(r.type !== "folder" && r.resourceUrl && { url: r.resourceUrl }),
    actor: refs.creatorUrl,
    attributedTo: refs.groupUrl,
    audience: refs.groupUrl,
    context: refs.folderUrl,
    published: (r.publishedAt ?? r.insertedAt).toISOString(),
    updated: r.updatedAt.toISOString(),
    to: [refs.membersUrl],
    cc: [],
  };
}

/** A group's todo list (`actor` = the group) and a todo (`actor` = who wrote it, `todoList` = its list). */
export function toTodoList(l: TodoList, refs: { groupUrl: string; membersUrl: string }): Record<string, unknown> {
  return { "@context": CONTEXT, id: l.url, type: "TodoList", name: l.title, actor: refs.groupUrl, attributedTo: refs.groupUrl, audience: refs.groupUrl, published: l.insertedAt.toISOString(), to: [refs.membersUrl], cc: [] };
}

export function toTodo(t: Todo, refs: { creatorUrl: string; groupUrl: string; listUrl: string; assigneeUrl: string | null; membersUrl: string }): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    id: t.url,
    type: "Todo",
    name: t.title,
    status: t.status,
    dueDate: t.dueDate?.toISOString() ?? null,
    assignedTo: refs.assigneeUrl,
    todoList: refs.listUrl,
    actor: refs.creatorUrl,
    attributedTo: refs.groupUrl,
    audience: refs.groupUrl,
    published: t.insertedAt.toISOString(),
    updated: t.updatedAt.toISOString(),
    to: [refs.membersUrl],
    cc: [],
  };
}
