import { hostOf, idOf, isObject, typeOf } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";
import { onDelete } from "./delete.handler.ts";
import { fetchAndPersist, onEventDocument } from "./event.handler.ts";
import { onFollow, onFollowAnswer, onUndo } from "./follow.handler.ts";
import { onJoin, onJoinAnswer, onLeave } from "./participation.handler.ts";
import { onNote, onNoteUpdate } from "./note.handler.ts";
import { onFlag } from "./flag.handler.ts";
import { onArticle, persistArticle } from "./post.handler.ts";
import { onDiscussionNote, onDiscussionUpdate } from "./discussion.handler.ts";
import { isResource, isTodoThing, onResource, onTodoThing } from "./resource.handler.ts";
import { isMember, onGroupJoin, onGroupLeave, onInvite, onMemberAnswer, onMemberUpdate, onRemove } from "./group.handler.ts";

/**
 * Routes an accepted activity to its handler, by verb (house rule 4). Verbs this instance does not act on (Like,
 * Block, Ignore, TentativeAccept…) are accepted and dropped. A handler that finds a document it cannot use logs and
 * returns; one that meets a network failure throws, and the job is retried.
 */
export async function processActivity(ctx: InboxContext): Promise<void> {
  const type = typeOf(ctx.activity);
  switch (type) {
    case "Follow":
      return onFollow(ctx);
    case "Undo":
      return onUndo(ctx);
    case "Create":
    case "Update": {
      const o = ctx.activity.object;
      if (isObject(o) && typeOf(o) === "Event") return onEventDocument(ctx, o);
      if (type === "Update" && isMember(o)) return onMemberUpdate(ctx, o);
      if (isObject(o) && isResource(o)) return onResource(ctx, o);
      if (isObject(o) && isTodoThing(o)) return onTodoThing(ctx, o);
      // A group's post (an Article attributed to someone else than its author: the group).
      // (An Article with no `actor`, a WordPress or Plume reply, is a note: below.)
      if (isObject(o) && typeOf(o) === "Article" && idOf(o.actor) && idOf(o.attributedTo) && idOf(o.attributedTo) !== idOf(o.actor)) return onArticle(ctx, o);
      // An actor's own profile changed: read again from its server (the embedded copy is not trusted as such).
      if (type === "Update" && idOf(o) === ctx.signer.url) return void (await ctx.actors.get(ctx.signer.url, { refresh: true }));
      if (type === "Create" && isObject(o) && typeOf(o) === "Note" && o.context && (await onDiscussionNote(ctx, o, "create"))) return;
      if (type === "Update" && isObject(o) && typeOf(o) === "Note" && o.context && (await onDiscussionUpdate(ctx, o))) return;
      if (isObject(o) && (typeOf(o) === "Note" || typeOf(o) === "Article" || typeOf(o) === "Page")) return type === "Create" ? onNote(ctx, o) : onNoteUpdate(ctx, o);
      // An object named by its URL only is read from its origin.
      if (typeof o === "string" && idOf(o)) return void (await fetchAndPersist(ctx, idOf(o)!));
      return;
    }
    case "Delete":
      return onDelete(ctx);
    case "Announce": {
      // The announced object is read from its origin, whatever copy the announcer embedded (Mobilizon does the same).
      const o = ctx.activity.object;
      const id = idOf(o);
      // A group sharing its own members-only post embeds it (its URL answers nobody): kept as the group signed it.
      if (isObject(o) && typeOf(o) === "Article" && idOf(o.attributedTo) === ctx.signer.url) return void (await persistArticle(ctx, o, hostOf(ctx.signer.url)!));
      // A group sharing a message of one of its discussions embeds it (members-only: no URL serves it).
      if (isObject(o) && typeOf(o) === "Note" && o.context && idOf(o.attributedTo) === ctx.signer.url && (await onDiscussionNote(ctx, o, "announce"))) return;
      if (id && !ctx.urls.isLocal(id)) await fetchAndPersist(ctx, id);
      return;
    }
    case "Accept":
    case "Reject": {
      const o = ctx.activity.object;
      const inner = isObject(o) ? typeOf(o) : null;
      const id = idOf(o);
      // A membership (Mobilizon's groups): a Member object, or a URL that names one.
      if ((inner === "Member" || inner === "Invite" || !inner) && (await onMemberAnswer(ctx, type === "Accept", o))) return;
      if (inner === "Join" && id) {
        if (await onMemberAnswer(ctx, type === "Accept", o)) return;
        return void (await onJoinAnswer(ctx, type === "Accept", id));
      }
      if (inner === "Follow" || (!inner && id)) {
        const handled = await onFollowAnswer(ctx, type === "Accept", isObject(o) ? o : id!);
        if (handled || inner === "Follow") return;
      }
      // An answer naming only a URL: one of our participations (Mobilizon sends the Join's id).
      if (!inner && id) await onJoinAnswer(ctx, type === "Accept", id);
      return;
    }
    case "Flag":
      return onFlag(ctx);
    case "Join":
      if (await onGroupJoin(ctx, idOf(ctx.activity.object) ?? "")) return;
      return onJoin(ctx);
    case "Leave":
      if (await onGroupLeave(ctx, idOf(ctx.activity.object) ?? "")) return;
      return onLeave(ctx);
    case "Add":
    case "Move": {
      const o = ctx.activity.object;
      if (isObject(o) && isResource(o)) return onResource(ctx, o);
      return;
    }
    case "Invite":
      return onInvite(ctx);
    case "Remove":
      return onRemove(ctx);
    default:
      ctx.logger.debug("activity ignored", { type, actor: ctx.signer.url });
  }
}
