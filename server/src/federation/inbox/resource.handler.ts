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
 * Who speaks for a group's resource or todo from elsewhere: in a group elsewhere, that group's server (about what the
 * group already has here, and about new objects on its own server or on their creator's — a member's addition it
 * shares — never an unknown object of ours); in one of our groups, one of its members (adding objects of their own
 * server, changing any of the group's). `knownGroupId` is the group the object already belongs to here, if any. Null
 * when the sender may not.
 */
async function speaker(ctx: InboxContext, groupUrl: string | null, id: string, knownGroupId: number | null, creatorUrl: string | null = null): Promise<{ group: Actor; byActorId: number | null } | null> {
  if (!groupUrl) return null;
  if (ctx.urls.isLocal(groupUrl)) {
    const group = await ctx.services.federatedActors.findByUrl(groupUrl);
    if (!group || group.type !== "Group" || group.domain !== null || group.deletedAt) return null;
    if (knownGroupId !== null ? knownGroupId !== group.id : hostOf(id) !== hostOf(ctx.signer.url)) return null;
    if (ctx.signer.type !== "Person" || !(await ctx.services.groups.memberOf(group.id, ctx.signer.id))) {
      ctx.logger.info("group content from a non-member refused", { actor: ctx.signer.url, group: groupUrl });
      return null;
    }
    return { group, byActorId: ctx.signer.id };
  }
  const group = await remoteGroup(ctx, groupUrl);
  if (!group) return null;
  // Something new lives on the group's server or on its creator's (a member elsewhere), never on ours.
  if (knownGroupId !== null ? knownGroupId !== group.id : ctx.urls.isLocal(id) || (hostOf(id) !== hostOf(group.url) && hostOf(id) !== hostOf(creatorUrl))) return null;
  return { group, byActorId: null };
}

/**
 * A group's resource created, added to a folder, renamed or moved (Create, Add, Update, Move of a Document or
 * ResourceCollection): from the server of a group elsewhere, kept for its members here; from a member elsewhere of
 * one of our groups, kept and shared with its other members.
 */
export async function onResource(ctx: InboxContext, o: Json): Promise<void> {
  const a = ctx.activity;
  const id = httpUrl(o.id);
  const title = str(o.name, 1000);
  if (!id || !title) return;
  const known = await ctx.services.resources.findByUrl(id);
  const who = await speaker(ctx, idOf(o.attributedTo) ?? idOf(a.attributedTo), id, known?.groupId ?? null, idOf(o.actor));
  if (!who) return;
  const creator = known ? null : who.byActorId !== null ? ctx.signer : await actorNamed(ctx, idOf(o.actor));
  try {
    await ctx.services.resources.receive({
      groupId: who.group.id,
      url: id,
      type: typeOf(o) === "ResourceCollection" ? "folder" : "link",
      title,
      summary: str(o.summary, 5000),
      resourceUrl: httpUrl(o.url),
      parentUrl: idOf(a.target) ?? httpUrl(o.context),
      creatorId: known?.creatorId ?? creator?.id ?? null,
      byActorId: who.byActorId,
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote resource not kept", { id, reason: e.message });
  }
}

/** A group's resource deleted from elsewhere (by the group's server, or by a member elsewhere of one of our groups). */
export async function onResourceDelete(ctx: InboxContext, r: { url: string; groupId: number }): Promise<void> {
  const group = await ctx.services.groups.findGroup(r.groupId);
  if (!group) return;
  const who = await speaker(ctx, group.url, r.url, r.groupId);
  if (who) await ctx.services.resources.removeRemote(r.url, who.byActorId);
}

/**
 * A todo list or a todo created or changed: from the server of a group elsewhere, kept for its members here; from a
 * member elsewhere of one of our groups, kept and shared with its other members.
 */
export async function onTodoThing(ctx: InboxContext, o: Json): Promise<void> {
  const id = httpUrl(o.id);
  const title = str(o.name, 1000);
  if (!id || !title) return;
  const isList = typeOf(o) === "TodoList";
  const known = isList ? await ctx.services.todos.listByUrl(id) : await ctx.services.todos.todoByUrl(id);
  // A list names no creator (its `actor` is the group, as in Mobilizon): the group's server vouches for its id.
  const who = await speaker(ctx, idOf(o.attributedTo) ?? idOf(o.actor), id, known?.groupId ?? null, isList ? id : idOf(o.actor));
  if (!who) return;
  try {
    if (isList) return void (await ctx.services.todos.receiveList({ groupId: who.group.id, url: id, title, byActorId: who.byActorId }));
    const listUrl = httpUrl(o.todoList);
    if (!listUrl) return;
    const due = str(o.dueDate, 100);
    const [creator, assignee] = await Promise.all([who.byActorId !== null ? ctx.signer : actorNamed(ctx, idOf(o.actor)), actorNamed(ctx, idOf(o.assignedTo))]);
    await ctx.services.todos.receiveTodo({
      groupId: who.group.id,
      url: id,
      listUrl,
      title,
      status: o.status === true,
      dueDate: due && !Number.isNaN(Date.parse(due)) ? new Date(due) : null,
      creatorId: creator?.id ?? null,
      assignedToId: assignee?.id ?? null,
      byActorId: who.byActorId,
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote todo not kept", { id, reason: e.message });
  }
}
