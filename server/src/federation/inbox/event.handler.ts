import type { Actor } from "../../modules/actors/index.ts";
import { hostOf, idOf, isObject, type Json } from "../parse/json.ts";
import { parseEvent } from "../parse/event.parser.ts";
import { eventPictureUrl } from "../pictures.ts";
import type { InboxContext } from "./context.ts";
import { moderates } from "../../modules/groups/index.ts";
import { persistArticle } from "./post.handler.ts";

/**
 * Stores or updates a remote Event (from a Create, an Update, an Announce followed by a fetch, or a look-up). The
 * event must come from its organizer's server: its id and its organizer (`actor`, else `attributedTo`) on the host
 * that vouches for it (the signer's, or the URL it was fetched from). A group's event signed by a member is accepted
 * when the group is on the same server (Mobilizon 5.2). It is the group's event when the group is on that server,
 * when the group itself shared it (`groupVoucher`: the actor whose Announce brought it; its moderator wrote it on
 * another server), or when it is one of our groups and the organizer moderates it.
 */
export async function persistEvent(ctx: Pick<InboxContext, "actors" | "services" | "urls" | "logger" | "picture">, doc: Json, vouchingHost: string, groupVoucher: string | null = null): Promise<number | null> {
  const parsed = parseEvent(doc, ctx.urls.base);
  if (typeof parsed === "string") {
    ctx.logger.info("remote event refused", { id: doc.id, reason: parsed });
    return null;
  }
  if (hostOf(parsed.url) !== vouchingHost) {
    ctx.logger.info("remote event refused: from another server", { id: parsed.url });
    return null;
  }
  const organizerUrl = idOf(doc.actor) ?? idOf(doc.attributedTo);
  if (!organizerUrl || hostOf(organizerUrl) !== vouchingHost) {
    ctx.logger.info("remote event refused: its organizer is elsewhere", { id: parsed.url });
    return null;
  }
  const organizer = await ctx.actors.get(organizerUrl);
  if (!organizer || organizer.domain === null || organizer.domain !== vouchingHost) return null;
  const attributed = idOf(doc.attributedTo);
  let group: Actor | null = null;
  if (attributed && attributed !== organizerUrl) {
    if (ctx.urls.isLocal(attributed)) {
      // One of our groups: an event its moderator elsewhere publishes in its name (our group then shares it).
      const g = await ctx.services.federatedActors.findByUrl(attributed);
      if (g?.type === "Group" && g.domain === null && !g.deletedAt && moderates(await ctx.services.groups.memberOf(g.id, organizer.id))) group = g;
    } else if (hostOf(attributed) === vouchingHost || attributed === groupVoucher) {
      const a = await ctx.actors.get(attributed);
      if (a?.type === "Group" && a.domain === hostOf(attributed)) group = a;
    } else {
      // Its organizer's server updating it: the group that shared it stays its group.
      const known = await ctx.services.remoteEvents.findByUrl(parsed.url);
      const was = known?.attributedToId ? await ctx.services.actors.findById(known.attributedToId) : null;
      if (was && was.url === attributed) group = was;
    }
  }
  const r = await ctx.services.remoteEvents.upsert({ ...parsed, organizerActorId: organizer.id, attributedToId: group?.id ?? null });
  const picture = eventPictureUrl(doc);
  if (r && picture) await ctx.picture({ url: picture, kind: "picture", eventId: r.event.id }, r.event.pictureId);
  return r?.event.id ?? null;
}

/** Create or Update whose object is an Event: stored from the signer's server. */
export async function onEventDocument(ctx: InboxContext, object: Json): Promise<void> {
  const host = hostOf(ctx.signer.url)!;
  await persistEvent(ctx, object, host);
}

/**
 * Fetches an object by URL from its origin and stores it when it is an event (an Announce, an unsigned Create): the
 * origin speaks for it, not the messenger. Returns what was found.
 */
export async function fetchAndPersist(ctx: InboxContext, url: string, depth = 0): Promise<"event" | "other" | "none"> {
  const r = await ctx.fetcher.get(url);
  if (r.kind !== "ok") return "none";
  const doc = r.json;
  if (!isObject(doc)) return "other";
  if (hostOf(idOf(doc.id)) !== hostOf(r.url)) return "none";
  // An activity (a relay's or a FEP-1b12 group's Announce names the Create, not the event): its object, once.
  if ((doc.type === "Create" || doc.type === "Update" || doc.type === "Announce") && depth === 0) {
    const object = idOf(doc.object);
    if (!object) return "other";
    if (isObject(doc.object) && doc.object.type === "Event" && hostOf(object) === hostOf(r.url) && doc.type !== "Announce")
      return (await persistEvent(ctx, doc.object, hostOf(r.url)!, ctx.signer.url)) ? "event" : "none";
    return fetchAndPersist(ctx, object, depth + 1);
  }
  if (doc.type === "Article") return (await persistArticle(ctx, doc, hostOf(r.url)!)) ? "other" : "none";
  if (doc.type !== "Event") return "other";
  return (await persistEvent(ctx, doc, hostOf(r.url)!, ctx.signer.url)) ? "event" : "none";
}
