import { DomainError } from "../../kernel/index.ts";
import { asArray, hostOf, httpUrl, idOf, idsOf, isObject, isPublicAddress, str, type Json } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";
import { moderates } from "../../modules/groups/index.ts";

/** What an Article says of itself: title, text, visibility (its addressing), language, date, tags. */
function articleFields(doc: Json) {
  const title = str(doc.name, 2000);
  const body = str(doc.content, 200_000);
  if (!title || !body) return null;
  const to = idsOf(doc.to);
  const cc = idsOf(doc.cc);
  const visibility = to.some(isPublicAddress) ? "PUBLIC" : cc.some(isPublicAddress) ? "UNLISTED" : "PRIVATE";
  const published = str(doc.published, 100);
  const publishAt = published && !Number.isNaN(Date.parse(published)) ? new Date(published) : null;
  const tags = asArray(doc.tag)
    .filter((t): t is Json => isObject(t) && t.type === "Hashtag")
    .map((t) => (str(t.name, 100) ?? "").replace(/^#/, ""))
    .filter(Boolean);
  return { title, body, visibility, language: str(doc.inLanguage, 20), publishAt: publishAt && publishAt.getUTCFullYear() >= 1900 && publishAt.getUTCFullYear() <= 9999 ? publishAt : null, tags } as const;
}

async function store(ctx: InboxContext, v: Parameters<InboxContext["services"]["posts"]["upsertRemote"]>[0]): Promise<boolean> {
  try {
    return !!(await ctx.services.posts.upsertRemote(v));
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote post not kept", { id: v.url, reason: e.message });
    return false;
  }
}

/**
 * A post of a group elsewhere (an Article attributed to a Group, federation.md §2.2), read from a document that
 * came from `fromHost`: kept when the post and its group live on that host, or when the group's server itself vouches
 * for it (its Announce, its collections: a post its moderator elsewhere wrote lives on their server) — never an
 * unknown object with one of our ids. Its visibility is its addressing: Public in `to` → public, in `cc` → unlisted,
 * else members-only (readable here by the group's members here). Drafts are not kept. Returns whether it was stored.
 */
export async function persistArticle(ctx: InboxContext, doc: Json, fromHost: string): Promise<boolean> {
  const id = httpUrl(doc.id);
  const groupUrl = idOf(doc.attributedTo);
  if (!id || !groupUrl || doc.draft === true || ctx.urls.isLocal(groupUrl)) return false;
  const vouched = ctx.signer.url === groupUrl;
  if (!vouched && (hostOf(id) !== fromHost || hostOf(groupUrl) !== fromHost)) return false;
  const authorUrl = idOf(doc.actor);
  // A post the group vouches for lives on the group's server, or on its author's (a moderator elsewhere wrote it).
  if (vouched && hostOf(id) !== hostOf(groupUrl) && (!authorUrl || hostOf(authorUrl) !== hostOf(id))) return false;
  const group = await ctx.actors.get(groupUrl);
  if (!group || group.type !== "Group" || group.domain === null) return false;
  if (vouched && hostOf(id) !== hostOf(groupUrl) && !ctx.urls.isLocal(id) && (await ctx.services.posts.findByUrl(id))?.groupId !== group.id) {
    // Something new from elsewhere: its author must be one of the group's moderators as its server told us.
    const writer = await ctx.actors.get(authorUrl!);
    if (!writer || !moderates(await ctx.services.groups.memberOf(group.id, writer.id))) {
      ctx.logger.info("group post by someone not known to moderate it refused", { id });
      return false;
    }
  }
  const ours = ctx.urls.isLocal(id) ? await ctx.services.posts.findByUrl(id) : null;
  if (ctx.urls.isLocal(id)) {
    // One of our people's posts in that group: its server may change it (an edit by its moderators), not echo it back.
    if (ours?.groupId !== group.id || ctx.activity.type !== "Update") return false;
  }
  // Its author: on the post's server (ours only for our own post), never one of our people named by someone else.
  const author = !authorUrl ? null : ctx.urls.isLocal(authorUrl) ? (ours ? await ctx.services.federatedActors.findByUrl(authorUrl) : null) : hostOf(authorUrl) === hostOf(id) || hostOf(authorUrl) === fromHost ? await ctx.actors.get(authorUrl) : null;
  const fields = articleFields(doc);
  if (!fields) return false;
  return store(ctx, { url: id, groupId: group.id, authorId: ours ? ours.authorId : (author?.id ?? null), ...fields });
}

/**
 * Create or Update of an Article: in one of our groups, by one of its moderators elsewhere writing as themselves (a new
 * post lives on their server; an existing one of theirs, or any its moderators may change, not one written here),
 * kept and shared by the group; otherwise a post of a group elsewhere, from that group's server.
 */
export async function onArticle(ctx: InboxContext, doc: Json): Promise<void> {
  const groupUrl = idOf(doc.attributedTo);
  if (!groupUrl || !ctx.urls.isLocal(groupUrl)) return void (await persistArticle(ctx, doc, hostOf(ctx.signer.url)!));
  const id = httpUrl(doc.id);
  const group = await ctx.services.federatedActors.findByUrl(groupUrl);
  if (!id || !group || group.type !== "Group" || group.domain !== null || group.deletedAt || doc.draft === true) return;
  const known = await ctx.services.posts.findByUrl(id);
  // A new post is written by its sender; a change may name the post's author (Mobilizon sends a moderator's edit so).
  if (ctx.signer.type !== "Person" || (!known && idOf(doc.actor) !== ctx.signer.url)) return;
  if (known ? known.groupId !== group.id || known.local : hostOf(id) !== hostOf(ctx.signer.url)) return;
  const membership = await ctx.services.groups.memberOf(group.id, ctx.signer.id);
  if (!membership || (!moderates(membership) && known?.authorId !== ctx.signer.id)) return void ctx.logger.info("group post from someone who may not write it refused", { actor: ctx.signer.url, group: groupUrl });
  const fields = articleFields(doc);
  if (!fields) return;
  await store(ctx, { url: id, groupId: group.id, authorId: known ? known.authorId : ctx.signer.id, ...fields, byActorId: ctx.signer.id });
}

/**
 * Delete of a post by someone who speaks for it here: in one of our groups, its author or a moderator elsewhere (a
 * post written here is deleted here only); in a group elsewhere, the group's server. Returns false when the post is
 * not one of those (the generic rule then applies: its own server, once it answers 410).
 */
export async function onPostDelete(ctx: InboxContext, post: { url: string; groupId: number; authorId: number | null; local: boolean }): Promise<boolean> {
  const group = await ctx.services.groups.findGroup(post.groupId);
  if (!group) return false;
  if (group.domain !== null) {
    // The group itself, one of its moderators known here, or the post's author; anyone else: its server must confirm.
    const speaks = ctx.signer.id === group.id || ctx.signer.id === post.authorId || moderates(await ctx.services.groups.memberOf(group.id, ctx.signer.id));
    if (!speaks) return false;
    await ctx.services.posts.removeRemote(post.url);
    return true;
  }
  if (post.local) return true;
  const membership = await ctx.services.groups.memberOf(group.id, ctx.signer.id);
  const mayDelete = membership && (post.authorId === ctx.signer.id || moderates(membership));
  if (mayDelete) await ctx.services.posts.removeRemote(post.url, ctx.signer.id);
  else ctx.logger.info("post deletion refused", { actor: ctx.signer.url, post: post.url });
  return true;
}
