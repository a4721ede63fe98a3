/** Domain events of the events module. */
export const EventEvents = {
  Created: "event.created",
  Published: "event.published",
  Updated: "event.updated",
  Deleted: "event.deleted",
} as const;

/** What participants care about when an event changes. */
export type EventSnapshot = {
  title: string;
  beginsOn: string;
  endsOn: string | null;
  status: string;
  address: string | null;
  onlineAddress: string | null;
};

export type EventCreatedPayload = { eventId: number; organizerActorId: number };
export type EventUpdatedPayload = { eventId: number; before: EventSnapshot; after: EventSnapshot; published: boolean };
export type EventDeletedPayload = { eventId: number; snapshot: EventSnapshot; uuid: string; wasDraft: boolean; organizerActorId: number; local: boolean };
export type EventPublishedPayload = { eventId: number };

export type EventEvent =
  | { type: typeof EventEvents.Created; payload: EventCreatedPayload }
  | { type: typeof EventEvents.Published; payload: EventPublishedPayload }
  | { type: typeof EventEvents.Updated; payload: EventUpdatedPayload }
  | { type: typeof EventEvents.Deleted; payload: EventDeletedPayload };
