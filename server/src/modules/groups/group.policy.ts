import { DomainError, notPermitted } from "../../kernel/index.ts";
import { ADMINISTERING, administers, moderates, RANK, type Member, type MemberRole } from "./group.types.ts";

/**
 * Who may do what in a group. Every rule takes the caller's membership (the highest of their identities' in that
 * group, or null) and answers with a refusal in Mobilizon's wording. The table of every action and role is
 * docs/groups-permissions.md.
 */

/** The highest-ranked of several memberships (a caller with two identities in one group acts with the higher). */
export function highest(members: readonly Member[]): Member | null {
  let best: Member | null = null;
  for (const m of members) if (!best || RANK[m.role] > RANK[best.role]) best = m;
  return best;
}

export function requireAdministrator(m: Member | null): Member {
  if (!administers(m)) throw notPermitted("You are not an administrator of this group");
  return m!;
}

export function requireModerator(m: Member | null): Member {
  if (!moderates(m)) throw notPermitted("You are not a moderator of this group");
  return m!;
}

/**
 * A role change: moderators and administrators act on members below them; only administrators grant or take
 * administrator; nobody makes a creator; roles that are not in the group (invited, pending, rejected) are not set
 * this way.
 */
export function requireMayChangeRole(actor: Member | null, target: Member, role: MemberRole): void {
  if (!["MEMBER", "MODERATOR", "ADMINISTRATOR"].includes(role)) throw new DomainError("bad_request", "A member's role can be member, moderator or administrator", "role");
  if (!["MEMBER", "MODERATOR", "ADMINISTRATOR", "CREATOR"].includes(target.role)) throw new DomainError("bad_request", "This person is not a member of the group yet", "memberId");
  const me = requireModerator(actor);
  if (role === "ADMINISTRATOR" || ADMINISTERING.includes(target.role)) requireAdministrator(me);
  if (me.id !== target.id && RANK[target.role] > RANK[me.role]) throw notPermitted("You cannot change the role of someone above you");
}

/** A removal: moderators remove members and pending requests; administrators anyone but the last administrator. */
export function requireMayRemove(actor: Member | null, target: Member): void {
  const me = requireModerator(actor);
  if (target.id === me.id) throw new DomainError("bad_request", "Leave the group instead", "memberId");
  if (RANK[target.role] >= RANK.MODERATOR) requireAdministrator(me);
}
