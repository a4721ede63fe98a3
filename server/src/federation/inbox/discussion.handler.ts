import { DomainError } from "../../kernel/index.ts";
import { hostOf, httpUrl, idOf, str, type Json } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";

/**
 * A message of a group's discussion (a Note whose `context` names the discussion and `attributedTo` the group): in
 * one of our groups, from a member elsewhere writing it (`Create` signed by them); in a group elsewhere, from that
 * group's server — its member's `Create`, or the group's `Announce` of a message written anywhere. Returns false
 * when the Note is not a discussion's message (an event's comment: the comments' handler takes it).
 */
export async function onDiscussionNote(ctx: InboxContext, note: Json, via: "create" | "announce"): Promise<boolean> {
  const context = httpUrl(note.context);
  const groupUrl = idOf(note.attributedTo);
  const id = httpUrl(note.id);
  const authorUrl = idOf(note.actor);
  if (!context || !groupUrl || !id || !authorUrl || groupUrl === authorUrl) return false;
  const title = str(note.name, 1000);
  const known = await ctx.services.discussions.findByUrl(context);
  // A Note in an event's thread (Mobilizon attributes group events' comments to the group) is not a discussion's.
  if (!known && !title) return false;
  const signerHost = hostOf(ctx.signer.url);
  let group = await ctx.services.federatedActors.findByUrl(groupUrl);
  if (!group && !ctx.urls.isLocal(groupUrl) && hostOf(groupUrl) === signerHost) group = await ctx.actors.get(groupUrl);
  if (!group || group.type !== "Group" || group.deletedAt) return true;
  if (known && known.groupId !== group.id) return true;
  let authorId: number;
  if (group.domain === null) {
    // One of our groups: only its members write in it, as themselves.
    if (via !== "create" || authorUrl !== ctx.signer.url || hostOf(id) !== signerHost) return true;
    if (!(await ctx.services.groups.memberOf(group.id, ctx.signer.id))) {
      ctx.logger.info("discussion message from a non-member refused", { actor: ctx.signer.url });
      return true;
    }
    authorId = ctx.signer.id;
  } else {
    // A group elsewhere: its own server speaks for it (the group itself, or its member writing).
    if (signerHost !== hostOf(group.url)) return true;
    if (via === "announce" && ctx.signer.url !== group.url) return true;
    if (via === "create" && authorUrl !== ctx.signer.url) return true;
    const author = authorUrl === ctx.signer.url ? ctx.signer : await ctx.actors.get(authorUrl);
    if (!author) return true;
    authorId = author.id;
  }
  const text = str(note.content, 100_000);
  if (!text) return true;
  const published = str(note.published, 100);
  try {
    await ctx.services.discussions.receive({
      groupId: group.id,
      discussionUrl: context,
      title,
      // Mobilizon names a discussion's Note by the discussion's URL: its message is told apart.
      message: { url: id === context ? `${id}#message` : id, text, authorId, publishedAt: published && !Number.isNaN(Date.parse(published)) ? new Date(published) : null },
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("discussion message not kept", { id, reason: e.message });
  }
  return true;
}

/** Who may speak about a discussion from elsewhere: the group's own server (a group elsewhere), or the author. */
async function maySpeakFor(ctx: InboxContext, groupId: number, authorId: number | null): Promise<boolean> {
  if (authorId !== null && authorId === ctx.signer.id) return true;
  const group = await ctx.services.groups.findGroup(groupId);
  return !!group && group.domain !== null && hostOf(group.url) === hostOf(ctx.signer.url);
}

/**
 * Update of a discussion's Note: a rename (the Note is the discussion itself: its id is its `context`), or an edited
 * message; from its author, or from the server of the group it belongs to. Returns false when it is not one.
 */
export async function onDiscussionUpdate(ctx: InboxContext, note: Json): Promise<boolean> {
  const id = httpUrl(note.id);
  const context = httpUrl(note.context);
  if (!id || !context) return false;
  const disc = await ctx.services.discussions.findByUrl(context);
  if (!disc) return false;
  try {
    if (id === context) {
      const title = str(note.name, 1000);
      if (title && (await maySpeakFor(ctx, disc.groupId, disc.creatorId))) await ctx.services.discussions.renameFromRemote(disc.url, title, ctx.signer.id);
      return true;
    }
    const message = await ctx.services.comments.findByUrl(id);
    const text = str(note.content, 100_000);
    if (message && text && message.discussionId === disc.id && (await maySpeakFor(ctx, disc.groupId, message.actorId))) await ctx.services.comments.editRemoteMessage(id, text);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
  return true;
}

/** Delete of a discussion or of one of its messages, by its author or the server of the group. False when it is neither. */
export async function onDiscussionDelete(ctx: InboxContext, objectId: string): Promise<boolean> {
  const disc = await ctx.services.discussions.findByUrl(objectId);
  if (disc) {
    if (await maySpeakFor(ctx, disc.groupId, disc.creatorId)) await ctx.services.discussions.removeFromRemote(objectId, ctx.signer.id);
    return true;
  }
  const message = await ctx.services.comments.findByUrl(objectId);
  if (!message || message.discussionId === null) return false;
  const d = await ctx.services.discussions.findById(message.discussionId);
  if (d && (await maySpeakFor(ctx, d.groupId, message.actorId))) await ctx.services.comments.removeRemote(objectId);
  return true;
}
