import { createHash } from "node:crypto";
import { CONTEXT, PUBLIC } from "../context.ts";
import { idOf, isObject, type Json } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";

/** A stable id for our answer to a Follow: a retried Follow gets the same Accept or Reject. */
export const answerId = (base: string, verb: "accept" | "reject", followId: string) => `${base}/${verb}/follow/${createHash("sha256").update(followId).digest("hex").slice(0, 32)}`;

/** Sends Accept or Reject of a Follow back to its sender. */
export async function answerFollow(ctx: InboxContext, verb: "Accept" | "Reject", follow: Json, by: { id: number; url: string }, to: string): Promise<void> {
  const id = answerId(ctx.urls.base, verb === "Accept" ? "accept" : "reject", String(follow.id));
  const activity = { "@context": CONTEXT, id, type: verb, actor: by.url, object: follow, to: [to] };
  await ctx.db.transaction().execute((tx) => ctx.outbox.send(tx, activity, by.id, [{ actor: to }], String(follow.id)));
}

/**
 * Follow (federation.md §2.4): of a person, refused with a Reject (people cannot be followed, as in Mobilizon, and
 * the follower should not wait forever); of a group, accepted (or left for its moderators when it approves followers
 * by hand); of the instance actor — or of the Public collection, a Mastodon-style relay
 * subscription — recorded for an administrator to approve; of anything else, ignored. An id is required.
 */
export async function onFollow(ctx: InboxContext): Promise<void> {
  const a = ctx.activity;
  const followId = typeof a.id === "string" && a.id ? a.id : null;
  const objectId = idOf(a.object) ?? (a.object === "as:Public" || a.object === "Public" ? PUBLIC : null);
  if (!followId || !objectId) return void ctx.logger.info("Follow without an id or an object ignored", { actor: ctx.signer.url });
  const follow: Json = { id: followId, type: "Follow", actor: ctx.signer.url, object: isObject(a.object) ? (a.object.id ?? objectId) : objectId };
  const relay = await ctx.services.federatedActors.instanceActor();
  const target = objectId === PUBLIC ? relay : await ctx.services.federatedActors.findByUrl(objectId);
  if (!target || target.domain !== null || target.deletedAt || target.suspended) return;
  if (target.type === "Person") return answerFollow(ctx, "Reject", follow, target, ctx.signer.url);
  // A private group is not followed from outside.
  if (target.type === "Group" && target.visibility === "private") return answerFollow(ctx, "Reject", follow, target, ctx.signer.url);
  if (target.type === "Group") {
    // A group's followers (a Mastodon account, a person elsewhere): at once, or when a moderator approves.
    const { follow: f } = await ctx.services.follows.request({ followerId: ctx.signer.id, targetId: target.id, url: followId, approved: !target.manuallyApprovesFollowers });
    if (f.approved) await answerFollow(ctx, "Accept", follow, target, ctx.signer.url);
    return;
  }
  if (target.id === relay.id) {
    const { follow: f } = await ctx.services.follows.request({ followerId: ctx.signer.id, targetId: relay.id, url: followId, approved: false });
    // Already approved (a repeated Follow): say so again.
    if (f.approved) await answerFollow(ctx, "Accept", follow, relay, ctx.signer.url);
  }
}

/** Undo of a Follow (by id or embedded): the follow ends. Undo of a Like or an Announce changes nothing here. */
export async function onUndo(ctx: InboxContext): Promise<void> {
  const o = ctx.activity.object;
  const inner = isObject(o) ? o : null;
  const innerId = idOf(o);
  const kind = inner ? inner.type : null;
  if (kind && kind !== "Follow") return;
  let f = innerId ? await ctx.services.follows.findByUrl(innerId) : null;
  if (!f && inner) {
    const target = idOf(inner.object) ? await ctx.services.federatedActors.findByUrl(idOf(inner.object)!) : null;
    if (target) f = await ctx.services.follows.find(ctx.signer.id, target.id);
  }
  if (f && f.followerId === ctx.signer.id) await ctx.services.follows.remove(f, "removed");
}

/** Accept or Reject of one of our Follows (an instance follow), by the followed actor only. */
export async function onFollowAnswer(ctx: InboxContext, accepted: boolean, follow: Json | string): Promise<boolean> {
  const id = typeof follow === "string" ? follow : idOf(follow);
  let f = id ? await ctx.services.follows.findByUrl(id) : null;
  if (!f && typeof follow !== "string") {
    const actor = idOf(follow.actor);
    const local = actor ? await ctx.services.federatedActors.findByUrl(actor) : null;
    if (local?.domain === null) f = await ctx.services.follows.find(local.id, ctx.signer.id);
  }
  if (!f || f.targetId !== ctx.signer.id) return false;
  if (accepted) await ctx.services.follows.approve(f);
  else await ctx.services.follows.remove(f, "rejected");
  return true;
}
