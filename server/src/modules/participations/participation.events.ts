import type { ParticipantRole } from "./participation.types.ts";

/** Domain events of the participations module. */
export const ParticipationEvents = {
  Created: "participation.created",
  Updated: "participation.updated",
  Deleted: "participation.deleted",
} as const;

export type ParticipationEvent =
  | { type: typeof ParticipationEvents.Created; payload: { participantId: number; eventId: number; actorId: number | null; role: ParticipantRole } }
  | { type: typeof ParticipationEvents.Updated; payload: { participantId: number; eventId: number; actorId: number | null; from: ParticipantRole; to: ParticipantRole } }
  | { type: typeof ParticipationEvents.Deleted; payload: { participantId: number; eventId: number; actorId: number | null; uuid: string; url: string | null } };
