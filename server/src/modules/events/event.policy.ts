import { forbidden, notFound } from "../../kernel/index.ts";
import type { Event } from "./event.types.ts";

export type Viewer = { userId: number | null; actorIds: readonly number[]; staff: boolean };
export const ANONYMOUS: Viewer = { userId: null, actorIds: [], staff: false };

export const isOrganizer = (e: Event, v: Viewer) => v.actorIds.includes(e.organizerActorId);

/**
 * Who sees an event: drafts only their organizer; public events everyone; unlisted events whoever has their link
 * (`viaLink`: the caller named the event by its uuid) and their participants — never someone walking numeric ids;
 * private and restricted events their organizer and participants. Others get "not found", never "forbidden", so
 * that the existence of a hidden event does not leak.
 */
export function canView(e: Event, v: Viewer, isParticipant: boolean, viaLink: boolean): boolean {
  if (isOrganizer(e, v)) return true;
  if (e.draft) return false;
  if (e.visibility === "PUBLIC") return true;
  if (e.visibility === "UNLISTED" && viaLink) return true;
  return isParticipant;
}

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
