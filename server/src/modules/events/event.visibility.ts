import type { Event } from "./event.types.ts";
import { isOrganizer, type Viewer } from "./event.policy.ts";

/**
 * An event's visibility, in one place: who may read it here (the read rule), and to whom it is addressed when it
 * leaves the instance (its audience). The two never disagree: a private event that no stranger may read is never
 * sent; an unlisted one goes to followers with everyone only in copy, as it is readable by link only.
 */

/** How an event (and what hangs on it: its comments) is addressed elsewhere; null: it never leaves the instance. */
export type Audience = { publicly: "to" | "cc" } | null;

/** The audience of an event as it leaves the instance (federation): public, unlisted, or not at all. */
export function audienceOf(e: Pick<Event, "local" | "draft" | "visibility">): Audience {
  if (!e.local || e.draft) return null;
  if (e.visibility === "PUBLIC") return { publicly: "to" };
  if (e.visibility === "UNLISTED") return { publicly: "cc" };
  return null;
}

/** Whether anyone with the link may read it (served to other servers at its URL, unsigned). */
export const readableByLink = (e: Pick<Event, "draft" | "visibility">): boolean => !e.draft && (e.visibility === "PUBLIC" || e.visibility === "UNLISTED");

/**
 * Who sees an event here: drafts only their organizer; public events everyone; unlisted events whoever has their link
 * (`viaLink`: the caller named the event by its uuid) and their participants — never someone walking numeric ids;
 * private and restricted events their organizer and participants, and a group's events its members. Others get "not found", never "forbidden", so
 * that the existence of a hidden event does not leak.
 */
export function canView(e: Event, v: Viewer, isParticipant: boolean, viaLink: boolean): boolean {
  if (isOrganizer(e, v)) return true;
  if (e.draft) return false;
  // A group's members see all its published events, private ones included.
  if (e.attributedToId !== null && v.memberOf.includes(e.attributedToId)) return true;
  if (e.visibility === "PUBLIC") return true;
  if (e.visibility === "UNLISTED" && viaLink) return true;
  return isParticipant;
}
