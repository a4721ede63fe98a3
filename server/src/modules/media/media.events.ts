/** Domain events of the media module. */
export const MediaEvents = {
  Created: "media.created",
  Deleted: "media.deleted",
} as const;

export type MediaEvent =
  | { type: typeof MediaEvents.Created; payload: { mediaId: number; actorId: number | null } }
  | { type: typeof MediaEvents.Deleted; payload: { mediaId: number; uuid: string } };
