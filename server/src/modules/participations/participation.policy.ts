import { forbidden, notFound } from "../../kernel/index.ts";
import type { Principal } from "../users/index.ts";
import { emptyStats, ORGANIZING, type Participant, type ParticipantRole, type ParticipantStats } from "./participation.types.ts";

/** A participation is taken or left only as one of the caller's own identities (a remote caller: as itself). */
export function requireActingAs(caller: Principal, actsAs: boolean): void {
  if (caller.kind === "anonymous") caller.requireUser();
  if (!actsAs) throw forbidden("This profile is not yours");
}

/**
 * Who manages an event's participants: the organizer's account, or an identity of the caller holding the
 * event's creator, administrator or moderator role. Moderators approve and reject; changing roles to moderator or
 * administrator needs the organizer or an administrator.
 */
export function requireManager(isOrganizer: boolean, callerRoles: readonly ParticipantRole[]): "organizer" | "administrator" | "moderator" {
  if (isOrganizer || callerRoles.includes("CREATOR")) return "organizer";
  if (callerRoles.includes("ADMINISTRATOR")) return "administrator";
  if (callerRoles.includes("MODERATOR")) return "moderator";
  throw forbidden("Only the event's organizers can manage its participants");
}

/** Roles an organizer may give, and who may give them. */
export function checkRoleChange(manager: "organizer" | "administrator" | "moderator", target: Participant | null, to: ParticipantRole): Participant {
  if (!target) throw notFound("Participant");
  if (target.role === "CREATOR") throw forbidden("The creator's role can't be changed");
  if (to === "CREATOR" || to === "NOT_CONFIRMED") throw forbidden("This role can't be given");
  if ((to === "ADMINISTRATOR" || to === "MODERATOR" || target.role === "ADMINISTRATOR") && manager === "moderator")
    throw forbidden("Only the organizer and administrators can change organizer roles");
  if (target.role === "NOT_CONFIRMED") throw forbidden("This participant hasn't confirmed their e-mail yet");
  return target;
}

export const isOrganizingRole = (r: ParticipantRole) => ORGANIZING.includes(r);

/**
 * What a viewer sees of an event's counts (Event.participantStats, never null: Mobilizon's client reads it unchecked).
 * Its organizers see every count. Others see how many take part (`participant`, and `going` with the organizers) —
 * nothing about people waiting, declined or unconfirmed — and nothing at all, zeros, when the organizer hid the number.
 */
export function visibleStats(stats: ParticipantStats, manager: boolean, hidden: boolean): ParticipantStats {
  if (manager) return stats;
  const shown = emptyStats();
  if (hidden) return shown;
  shown.participant = stats.participant;
  shown.going = stats.going;
  return shown;
}
