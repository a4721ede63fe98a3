import { forbidden, notFound } from "../../kernel/index.ts";
import type { Event } from "./event.types.ts";

export type Viewer = { userId: number | null; actorIds: readonly number[]; staff: boolean };
export const ANONYMOUS: Viewer = { userId: null, actorIds: [], staff: false };

export const isOrganizer = (e: Event, v: Viewer) => v.actorIds.includes(e.organizerActorId);

/** Who sees an event: the read rule lives with its audience in event.visibility.ts. */
export { canView } from "./event.visibility.ts";

/** Only the organizer edits an event (group events will add the group's moderators). */
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
