import { DomainError } from "../../kernel/index.ts";
import type { Actor } from "../../modules/actors/index.ts";
import { hostOf, httpUrl, idOf, str, typeOf, type Json } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";

/** The group elsewhere an activity speaks for, when it comes from that group's own server; null otherwise. */
async function remoteGroup(ctx: InboxContext, url: string | null): Promise<Actor | null> {
  if (!url || ctx.urls.isLocal(url) || hostOf(url) !== hostOf(ctx.signer.url)) return null;
  const g = await ctx.actors.get(url);
  return g && g.type === "Group" && g.domain !== null && !g.deletedAt ? g : null;
}

/** An actor named in a document: one of ours, or one of the sending server's. */
async function actorNamed(ctx: InboxContext, url: string | null): Promise<Actor | null> {
  if (!url) return null;
  if (ctx.urls.isLocal(url)) return ctx.services.federatedActors.findByUrl(url);
  return hostOf(url) === hostOf(ctx.signer.url) ? ctx.actors.get(url) : null;
}

const RESOURCE_TYPES = new Set(["Document", "ResourceCollection"]);
export const isResource = (o: Json) => RESOURCE_TYPES.has(typeOf(o) ?? "");
export const isTodoThing = (o: Json) => typeOf(o) === "TodoList" || typeOf(o) === "Todo";

/**
 * A resource of a group elsewhere created, added to a folder, renamed or moved (Create, Add, Update, Move of a
 * Document or ResourceCollection), from that group's server: kept for the group's members here.
 */
export async function onResource(ctx: InboxContext, o: Json): Promise<void> {
  const a = ctx.activity;
  const id = httpUrl(o.id);
  const group = await remoteGroup(ctx, idOf(o.attributedTo) ?? idOf(a.attributedTo));
  if (!id || !group || hostOf(id) !== hostOf(group.url)) return;
  const title = str(o.name, 1000);
  if (!title) return;
  const creator = await actorNamed(ctx, idOf(o.actor));
  try {
    await ctx.services.resources.receive({
      groupId: group.id,
      url: id,
      type: typeOf(o) === "ResourceCollection" ? "folder" : "link",
      title,
      summary: str(o.summary, 5000),
      resourceUrl: httpUrl(o.url),
      parentUrl: idOf(a.target) ?? httpUrl(o.context),
      creatorId: creator?.id ?? null,
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote resource not kept", { id, reason: e.message });
  }
}

/** A todo list or a todo of a group elsewhere, created or changed, from that group's server. */
export async function onTodoThing(ctx: InboxContext, o: Json): Promise<void> {
  const id = httpUrl(o.id);
  const group = await remoteGroup(ctx, idOf(o.attributedTo) ?? idOf(o.actor));
  const title = str(o.name, 1000);
  if (!id || !group || !title || hostOf(id) !== hostOf(group.url)) return;
  try {
    if (typeOf(o) === "TodoList") return void (await ctx.services.todos.receiveList({ groupId: group.id, url: id, title }));
    const listUrl = httpUrl(o.todoList);
    if (!listUrl) return;
    const due = str(o.dueDate, 100);
    const [creator, assignee] = await Promise.all([actorNamed(ctx, idOf(o.actor)), actorNamed(ctx, idOf(o.assignedTo))]);
    await ctx.services.todos.receiveTodo({
      groupId: group.id,
      url: id,
      listUrl,
      title,
      status: o.status === true,
      dueDate: due && !Number.isNaN(Date.parse(due)) ? new Date(due) : null,
      creatorId: creator?.id ?? null,
      assignedToId: assignee?.id ?? null,
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote todo not kept", { id, reason: e.message });
  }
}
