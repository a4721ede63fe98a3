/** Domain events of the feeds module (private feed tokens; the token itself never travels in an event). */
export const FeedEvents = {
  TokenCreated: "feed_token.created",
  TokenDeleted: "feed_token.deleted",
} as const;

export type FeedEvent =
  | { type: typeof FeedEvents.TokenCreated; payload: { userId: number; actorId: number | null } }
  | { type: typeof FeedEvents.TokenDeleted; payload: { userId: number; actorId: number | null } };
