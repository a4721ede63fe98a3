import { DomainError } from "../../kernel/index.ts";
import type { MemberRole } from "../../modules/groups/index.ts";
import { CONTEXT } from "../context.ts";
import { hostOf, idOf, isObject, str, typeOf, type Json } from "../parse/json.ts";
import { type InboxContext, signerDomain } from "./context.ts";
import { remotePrincipal } from "./participation.handler.ts";

const ROLES: Record<string, MemberRole> = { member: "MEMBER", moderator: "MODERATOR", administrator: "ADMINISTRATOR", creator: "ADMINISTRATOR", not_approved: "NOT_APPROVED", invited: "INVITED", rejected: "REJECTED" };
const roleOf = (v: unknown): MemberRole | null => ROLES[String(v ?? "").toLowerCase()] ?? null;

/** The local group an activity's object names, or null. */
async function localGroup(ctx: InboxContext, url: string | null) {
  if (!url || !ctx.urls.isLocal(url)) return null;
  const a = await ctx.services.federatedActors.findByUrl(url);
  return a && a.type === "Group" && a.domain === null && !a.deletedAt ? a : null;
}

/**
 * Join of one of our groups by a person elsewhere (Mobilizon's group protocol): the same rules as for our people; a
 * refusal (invite-only, banned) is answered with a Reject so their server does not wait. An open group's Accept is
 * sent when the membership is made (outbox/group.publisher.ts).
 */
export async function onGroupJoin(ctx: InboxContext, groupUrl: string): Promise<boolean> {
  const group = await localGroup(ctx, groupUrl);
  if (!group) return false;
  const a = ctx.activity;
  // The membership is named by the Join's id (on the joiner's server), as Mobilizon does.
  const joinId = str(a.id, 2048) && hostOf(a.id as string) === hostOf(ctx.signer.url) ? (a.id as string) : `${ctx.signer.url}#member-${group.preferredUsername}`;
  try {
    const m = await ctx.services.members.joinFromRemote(remotePrincipal(ctx), group.id, joinId, str(a.participationMessage ?? a.content, 4000)?.replace(/<[^>]*>/g, "").trim() || null);
    // A Join received again for a membership already made is answered with its state.
    if (m.url !== joinId && m.role === "MEMBER") await answer(ctx, "Accept", group, { id: m.url, type: "Member", actor: ctx.signer.url, object: group.url, role: "member" });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote group Join refused", { actor: ctx.signer.url, group: group.url, reason: e.message });
    await answer(ctx, "Reject", group, joinId);
  }
  return true;
}

async function answer(ctx: InboxContext, verb: "Accept" | "Reject", group: { id: number; url: string }, object: Json | string) {
  const id = `${ctx.urls.base}/${verb.toLowerCase()}/join/${encodeURIComponent(idOf(object) ?? "")}`;
  const activity: Json = { "@context": CONTEXT, id, type: verb, actor: group.url, object, to: [ctx.signer.url], cc: [] };
  await ctx.db.transaction().execute((tx) => ctx.outbox.send(tx, activity, group.id, [{ actor: ctx.signer.url }], idOf(object) ?? id));
}

/** Leave of one of our groups by a member elsewhere. */
export async function onGroupLeave(ctx: InboxContext, groupUrl: string): Promise<boolean> {
  const group = await localGroup(ctx, groupUrl);
  if (!group) return false;
  await ctx.services.members.leaveFromRemote(remotePrincipal(ctx), group.id);
  return true;
}

/**
 * Accept or Reject naming a membership (a Member object or its URL): the group's server deciding on one of our
 * people's Join, or a person elsewhere answering one of our groups' invitations. False when it names no membership.
 */
export async function onMemberAnswer(ctx: InboxContext, accepted: boolean, object: unknown): Promise<boolean> {
  const url = idOf(object);
  if (!url) return false;
  const m = await ctx.services.members.findByUrl(url);
  if (!m) return false;
  const group = await ctx.services.groups.findGroup(m.groupId);
  if (!group) return true;
  if (group.domain === null) {
    await ctx.services.members.answerInvitationFromRemote(remotePrincipal(ctx), url, accepted);
    return true;
  }
  const role = accepted ? (isObject(object) ? roleOf(object.role) : null) ?? "MEMBER" : null;
  await ctx.services.members.applyFromGroupServer(signerDomain(ctx), { url }, role);
  return true;
}

/** Invite of one of our people into a group elsewhere, from that group's server. */
export async function onInvite(ctx: InboxContext): Promise<void> {
  const a = ctx.activity;
  const targetUrl = idOf(a.target);
  const groupUrl = idOf(a.object) ?? idOf(a.attributedTo);
  const id = str(a.id, 2048);
  if (!targetUrl || !groupUrl || !id || !ctx.urls.isLocal(targetUrl) || ctx.urls.isLocal(groupUrl)) return;
  if (hostOf(groupUrl) !== hostOf(ctx.signer.url) || hostOf(id) !== hostOf(groupUrl)) return void ctx.logger.info("Invite not from the group's server ignored", { actor: ctx.signer.url });
  const [group, person] = await Promise.all([ctx.actors.get(groupUrl), ctx.services.federatedActors.findByUrl(targetUrl)]);
  if (!group || group.type !== "Group" || !person) return;
  await ctx.services.members.receiveInvitation(group.id, person.id, id, ctx.signer.type === "Person" ? ctx.signer.id : null);
}

/**
 * Update of a Member: a role changed in a group elsewhere, from its server — our person's membership, or someone
 * else's there (kept so that its members here know who is in it and who moderates it).
 */
export async function onMemberUpdate(ctx: InboxContext, member: Json): Promise<void> {
  const url = idOf(member);
  const role = roleOf(member.role);
  if (!url || !role) return;
  if (await ctx.services.members.applyFromGroupServer(signerDomain(ctx), { url }, role)) return;
  const groupUrl = idOf(member.object);
  if (!groupUrl || ctx.urls.isLocal(groupUrl) || hostOf(groupUrl) !== hostOf(ctx.signer.url)) return;
  const group = await ctx.actors.get(groupUrl);
  if (group && group.type === "Group" && group.domain !== null) await onListedMember(ctx, group, member);
}

/** Remove of a membership (`origin`: the group) by the group's server: our person is no longer in it. */
export async function onRemove(ctx: InboxContext): Promise<void> {
  const url = idOf(ctx.activity.object);
  if (!url) return;
  await ctx.services.members.applyFromGroupServer(signerDomain(ctx), { url }, null);
}

export const isMember = (o: unknown): o is Json => isObject(o) && typeOf(o) === "Member";

/**
 * A Member listed in the members collection of a group elsewhere (read from the group's server by one of our
 * members): a person of another server is kept as in it, with their role. Our people's own memberships are not
 * taken from a list.
 */
export async function onListedMember(ctx: InboxContext, group: { id: number; url: string }, item: Json): Promise<void> {
  const url = str(item.id, 2048);
  const actorUrl = idOf(item.actor);
  const role = roleOf(item.role);
  if (!url || !actorUrl || !role || idOf(item.object) !== group.url || ctx.urls.isLocal(actorUrl) || ctx.urls.isLocal(url)) return;
  // A membership's URL is the group's server's or its member's (Mobilizon names it on the joiner's server).
  if (hostOf(url) !== hostOf(group.url) && hostOf(url) !== hostOf(actorUrl)) return;
  const person = await ctx.actors.get(actorUrl);
  if (!person || person.type !== "Person") return;
  await ctx.services.members.mirrorFromGroupServer(signerDomain(ctx), { groupId: group.id, actorId: person.id, url, role });
}
