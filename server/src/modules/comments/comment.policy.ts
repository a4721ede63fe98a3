import { forbidden } from "../../kernel/index.ts";
import type { Event } from "../events/index.ts";

/**
 * Who may do what with event comments. `organizer`: the caller manages the event (its organizer, or a participant
 * holding an organizing role); `staff`: the instance's moderators and administrators.
 */

/** Comments open once the event is published and close when its organizer closes them (organizers still speak). */
export function requireMayComment(event: Event, organizer: boolean, announcement: boolean): void {
  if (event.draft) throw forbidden("Comments open when the event is published");
  if (announcement && !organizer) throw forbidden("Only the event's organizers post announcements");
  if (event.options.commentModeration === "CLOSED" && !organizer) throw forbidden("Comments are closed on this event");
}

/** Whether a new or edited comment waits for the organizer's approval. */
export const isHeld = (event: Event, organizer: boolean): boolean => event.options.commentModeration === "MODERATED" && !organizer;

/** Only its author edits a comment. */
export function requireAuthor(isAuthor: boolean): void {
  if (!isAuthor) throw forbidden("Only its author can edit a comment");
}

/** Its author, the event's organizers and the instance's moderators delete a comment. */
export function requireMayDelete(isAuthor: boolean, organizer: boolean, staff: boolean): void {
  if (!isAuthor && !organizer && !staff) throw forbidden("You can't delete this comment");
}

/** The event's organizers approve held comments. */
export function requireMayApprove(organizer: boolean): void {
  if (!organizer) throw forbidden("Only the event's organizers approve comments");
}
