import { forbidden, notFound } from "../../kernel/index.ts";
import type { Event } from "./event.types.ts";

/**
 * Who is asking, for events: their identities, the groups they are in (`memberOf`) and those whose events they run
 * (`moderates`: moderators and administrators), and whether they are the instance's staff.
 */
export type Viewer = { userId: number | null; actorIds: readonly number[]; staff: boolean; memberOf: readonly number[]; moderates: readonly number[] };
export const ANONYMOUS: Viewer = { userId: null, actorIds: [], staff: false, memberOf: [], moderates: [] };

/** The organizer, and for a group's event every moderator and administrator of the group, run the event. */
export const isOrganizer = (e: Event, v: Viewer) => v.actorIds.includes(e.organizerActorId) || (e.attributedToId !== null && v.moderates.includes(e.attributedToId));

/** Who sees an event: the read rule lives with its audience in event.visibility.ts. */
export { canView } from "./event.visibility.ts";

/** Only the organizer edits an event (and, for a group's event, the group's moderators and administrators). */
export function requireOrganizer(e: Event | null, v: Viewer): Event {
  if (!e) throw notFound("Event");
  if (!isOrganizer(e, v)) throw forbidden("Only the organizer can change this event");
  return e;
}

/** The organizer deletes an event; the instance's moderators may too (moderation). */
export function requireCanDelete(e: Event | null, v: Viewer): Event {
  if (!e) throw notFound("Event");
  if (!isOrganizer(e, v) && !v.staff) throw forbidden("Only the organizer can delete this event");
  return e;
}
