import { rateLimits } from "../../db/index.ts";
import { DomainError, HOUR } from "../../kernel/index.ts";

/** Joins of local events one server's people may make in an hour. */
const JOINS_PER_SERVER_HOUR = 200;
import { Principal } from "../../modules/users/index.ts";
import { CONTEXT } from "../context.ts";
import { hostOf, idOf, str, type Json } from "../parse/json.ts";
import { type InboxContext, signerDomain } from "./context.ts";

export const remotePrincipal = (ctx: InboxContext) => Principal.ofRemote({ actorId: ctx.signer.id, url: ctx.signer.url, domain: signerDomain(ctx) });

/**
 * Join of a local event by a remote person: the same rules as for a local person (visibility, join mode, capacity,
 * over, cancelled), through the same service. Refused joins are answered with a Reject, so the person's server
 * shows the right state (Mobilizon leaves them hanging). A Join received again is answered with the current state.
 */
export async function onJoin(ctx: InboxContext): Promise<void> {
  const a = ctx.activity;
  const eventUrl = idOf(a.object);
  if (!eventUrl || !ctx.urls.isLocal(eventUrl)) return;
  const event = await ctx.services.remoteEvents.findByUrl(eventUrl);
  if (!event || !event.local) return;
  const joinId = str(a.id, 2048) && hostOf(a.id as string) === hostOf(ctx.signer.url) ? (a.id as string) : `${ctx.signer.url}#join-${event.uuid}`;
  // One server's people take at most a share of our seats per hour (a server can make as many actors as it likes).
  if ((await rateLimits.hit(ctx.db, `remote-join:${ctx.signer.domain}`, HOUR, ctx.clock.now())) > JOINS_PER_SERVER_HOUR) {
    ctx.logger.info("remote Join refused: too many from this server", { actor: ctx.signer.url });
    return answer(ctx, "Reject", joinId, event.url, `${ctx.urls.base}/reject/join/${encodeURIComponent(joinId)}`);
  }
  const message = str(a.participationMessage, 4000)?.replace(/<[^>]*>/g, "").trim().slice(0, 2000) || null;
  try {
    await ctx.services.participations.join(remotePrincipal(ctx), { uuid: event.uuid }, ctx.signer.id, message, { url: joinId });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const existing = await ctx.services.participations.findByUrl(joinId);
    if (existing && ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR"].includes(existing.role)) return answer(ctx, "Accept", joinId, event.url, `${ctx.urls.base}/accept/join/${existing.id}`);
    if (existing?.role === "NOT_APPROVED") return;
    ctx.logger.info("remote Join refused", { actor: ctx.signer.url, event: event.url, reason: e.message });
    await answer(ctx, "Reject", joinId, event.url, `${ctx.urls.base}/reject/join/${encodeURIComponent(joinId)}`);
  }
}

async function answer(ctx: InboxContext, verb: "Accept" | "Reject", joinId: string, eventUrl: string, id: string) {
  const event = await ctx.services.remoteEvents.findByUrl(eventUrl);
  if (!event) return;
  const [organizer] = await ctx.services.actors.findByIds([event.organizerActorId]);
  if (!organizer) return;
  const activity: Json = { "@context": CONTEXT, id, type: verb, actor: organizer.url, object: { id: joinId, type: "Join", actor: ctx.signer.url, object: eventUrl }, to: [ctx.signer.url], cc: [] };
  await ctx.db.transaction().execute((tx) => ctx.outbox.send(tx, activity, organizer.id, [{ actor: ctx.signer.url }], joinId));
}

/** Leave of a local event by a remote participant (the only creator cannot leave, as for local people). */
export async function onLeave(ctx: InboxContext): Promise<void> {
  const eventUrl = idOf(ctx.activity.object);
  if (!eventUrl || !ctx.urls.isLocal(eventUrl)) return;
  const event = await ctx.services.remoteEvents.findByUrl(eventUrl);
  if (!event || !event.local) return;
  try {
    await ctx.services.participations.leave(remotePrincipal(ctx), { uuid: event.uuid }, ctx.signer.id);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote Leave not applied", { actor: ctx.signer.url, event: eventUrl, reason: e.message });
  }
}

/** Accept or Reject of one of our participations in a remote event, by that event's server. */
export async function onJoinAnswer(ctx: InboxContext, accepted: boolean, joinId: string): Promise<boolean> {
  if (!ctx.urls.isLocal(joinId)) return false;
  return !!(await ctx.services.participations.applyRemoteDecision(remotePrincipal(ctx), joinId, accepted));
}
