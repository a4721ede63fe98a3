import { rateLimits } from "../../db/index.ts";
import { DomainError } from "../../kernel/index.ts";
import { Principal } from "../../modules/users/index.ts";
import type { Event } from "../../modules/events/index.ts";
import type { Comment } from "../../modules/comments/index.ts";
import { hostOf, httpUrl, idOf, isPublic, str, type Json } from "../parse/json.ts";
import type { InboxContext } from "./context.ts";
import { fetchAndPersist } from "./event.handler.ts";
import { remotePrincipal } from "./participation.handler.ts";

/** Comments one server's people may write here in ten minutes. */
const COMMENTS_PER_SERVER = 300;

/** How far up a reply chain we fetch to find the event a reply belongs to. */
const MAX_CHAIN = 3;

/** The event a reply is about, and the comment it answers (if any): known here, or read from its origin. */
async function target(ctx: InboxContext, inReplyTo: string, depth = 0): Promise<{ event: Event; parent: Comment | null } | null> {
  const event = await ctx.services.remoteEvents.findByUrl(inReplyTo);
  if (event) return { event, parent: null };
  const parent = await ctx.services.comments.findByUrl(inReplyTo);
  if (parent?.eventId) {
    const [e] = await ctx.services.events.findByIds([parent.eventId]);
    return e ? { event: e, parent } : null;
  }
  if (depth >= MAX_CHAIN || ctx.urls.isLocal(inReplyTo)) return null;
  // Unknown here: an event of another server (stored if it is one), or a reply we never saw.
  const r = await ctx.fetcher.get(inReplyTo);
  if (r.kind !== "ok") return null;
  if (r.json.type === "Event") return (await fetchAndPersist(ctx, inReplyTo)) === "event" ? target(ctx, inReplyTo, depth + 1) : null;
  const up = idOf(r.json.inReplyTo);
  if (!up) return null;
  const found = await target(ctx, up, depth + 1);
  // The middle of the chain is stored only when it comes from its author's own server.
  if (found && r.json.type === "Note" && hostOf(idOf(r.json.id)) === hostOf(r.url) && isPublic(r.json)) {
    // Its author is its `actor` where it has one (Mobilizon attributes group events' comments to the group).
    const author = idOf(r.json.actor) ?? idOf(r.json.attributedTo);
    const actor = author && hostOf(author) === hostOf(r.url) ? await ctx.actors.get(author) : null;
    if (actor && actor.domain !== null && actor.domain === hostOf(r.url)) {
      const stored = await store(ctx, r.json, actor.id, found);
      return stored ? { event: found.event, parent: stored } : found;
    }
  }
  return found;
}

async function store(ctx: InboxContext, note: Json, authorId: number, where: { event: Event; parent: Comment | null }): Promise<Comment | null> {
  const url = idOf(note.id)!;
  const html = str(note.content, 100_000) ?? "";
  const published = str(note.published, 100);
  const [author] = await ctx.services.actors.findByIds([authorId]);
  // Remote notes are remote people's: never a local identity's (our own documents come through our own services).
  if (!author || author.domain === null || author.domain !== hostOf(url)) return null;
  const principal = author.id === ctx.signer.id ? remotePrincipal(ctx) : Principal.ofRemote({ actorId: author.id, url: author.url, domain: author.domain! });
  try {
    return await ctx.services.comments.create(
      principal,
      { event: { uuid: where.event.uuid }, text: html || "<p></p>", inReplyTo: where.parent ? { id: where.parent.id } : null, language: str(note.inLanguage, 20) },
      { url, publishedAt: published && Number.isFinite(Date.parse(published)) ? new Date(published) : null },
    );
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote comment refused", { id: url, reason: e.message });
    return null;
  }
}

/**
 * Create of a Note (federation.md §2.4, §4): a public reply to an event, or to one of its comments, becomes a comment
 * (Mastodon's replies included); a Note addressed to people only (a private mention) does not — this instance has
 * no private conversations, and it is nobody else's to read. The note must come from its author's server.
 */
export async function onNote(ctx: InboxContext, note: Json): Promise<void> {
  const id = httpUrl(note.id);
  if (!id || hostOf(id) !== hostOf(ctx.signer.url)) return;
  // Its author is its `actor` where it has one (Mobilizon attributes group events' comments to the group), else
  // `attributedTo` (Mastodon).
  const author = idOf(note.actor) ?? idOf(note.attributedTo) ?? ctx.signer.url;
  if (author !== ctx.signer.url) return void ctx.logger.info("Note refused: its author did not send it", { id });
  if (!isPublic(note)) return;
  const inReplyTo = idOf(note.inReplyTo);
  if (!inReplyTo) return;
  const existing = await ctx.services.comments.findByUrl(id);
  if (existing) return onNoteUpdate(ctx, note, existing);
  // One server's people write at most so many comments here in ten minutes, whatever number of actors it makes.
  if ((await rateLimits.hit(ctx.db, `remote-comment:${ctx.signer.domain}`, 10 * 60_000, ctx.clock.now())) > COMMENTS_PER_SERVER) return void ctx.logger.info("remote comment refused: too many from this server", { id });
  const where = await target(ctx, inReplyTo);
  if (!where) return;
  await store(ctx, note, ctx.signer.id, where);
}

/** Update of a Note: its author edits a comment we hold. */
export async function onNoteUpdate(ctx: InboxContext, note: Json, known?: Comment): Promise<void> {
  const id = httpUrl(note.id);
  const c = known ?? (id ? await ctx.services.comments.findByUrl(id) : null);
  if (!c || c.actorId !== ctx.signer.id || c.deletedAt) return;
  const html = str(note.content, 100_000);
  if (!html) return;
  try {
    await ctx.services.comments.update(remotePrincipal(ctx), { uuid: c.uuid }, { text: html });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote comment edit refused", { id, reason: e.message });
  }
}

