import { hostOf, idOf } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";
import { onResourceDelete } from "./resource.handler.ts";
import { onPostDelete } from "./post.handler.ts";
import { onDiscussionDelete } from "./discussion.handler.ts";
import type { FetchResult } from "../fetcher.ts";

/** What an object's server answers when it is gone: 410, 404, or its Tombstone. */
const confirmsGone = (r: FetchResult): boolean => r.kind === "gone" || r.kind === "missing" || (r.kind === "ok" && r.json.type === "Tombstone");

/**
 * Delete (federation.md §2.4): of the signer itself (an account closed on its server), the actor and its copies go;
 * of an object, only from the object's own server, and only once that server confirms it is gone (410 or 404 when
 * fetched again): a forwarded or replayed Delete of something that still exists changes nothing.
 */
export async function onDelete(ctx: InboxContext): Promise<void> {
  const objectId = idOf(ctx.activity.object);
  if (!objectId) return;
  // A discussion or one of its messages: its author or the group's server (discussion.handler.ts).
  if (await onDiscussionDelete(ctx, objectId)) return;
  if (objectId === ctx.signer.url) {
    await ctx.services.federatedActors.removeRemote(ctx.signer.id);
    return;
  }
  // A group closed by one of its administrators (Mobilizon: actor = the deleter, object = the group's Tombstone): from
  // the group's server, once the group's URL answers that it is gone.
  const closed = hostOf(objectId) === hostOf(ctx.signer.url) ? await ctx.services.federatedActors.findByUrl(objectId) : null;
  if (closed && closed.type === "Group" && closed.domain !== null && !closed.deletedAt) {
    const check = await ctx.fetcher.get(objectId);
    if (confirmsGone(check)) await ctx.services.federatedActors.removeRemote(closed.id);
    else if (check.kind !== "ok") throw new Error(`could not confirm the deletion of ${objectId}: ${check.kind}`);
    return;
  }
  // A group's resource: the group's server, or a member of one of our groups, speaks for it (no need to ask again).
  const groupResource = await ctx.services.resources.findByUrl(objectId);
  if (groupResource) return onResourceDelete(ctx, groupResource);
  // A group's post: its group's server, or for one of our groups its author or a moderator elsewhere.
  const groupPost = await ctx.services.posts.findByUrl(objectId);
  if (groupPost && (await onPostDelete(ctx, groupPost))) return;
  if (hostOf(objectId) !== hostOf(ctx.signer.url)) return void ctx.logger.info("Delete refused: the object is on another server", { object: objectId, actor: ctx.signer.url });
  const event = await ctx.services.remoteEvents.findByUrl(objectId);
  const comment = event ? null : await ctx.services.comments.findByUrl(objectId);
  const post = event || comment ? null : groupPost;
  if (!(event && !event.local) && !(comment && !comment.local && !comment.deletedAt) && !(post && !post.local)) return;
  const check = await ctx.fetcher.get(objectId);
  if (confirmsGone(check)) {
    if (event) await ctx.services.remoteEvents.remove(objectId);
    else if (post) await ctx.services.posts.removeRemote(objectId);
    else await ctx.services.comments.removeRemote(objectId);
  }
  else if (check.kind === "ok") ctx.logger.info("Delete ignored: its origin still serves the object", { object: objectId });
  else throw new Error(`could not confirm the deletion of ${objectId}: ${check.kind}`);
}
