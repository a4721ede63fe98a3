/** Domain events of the comments module. */
export const CommentEvents = {
  Created: "comment.created",
  Updated: "comment.updated",
  Approved: "comment.approved",
  Deleted: "comment.deleted",
} as const;

export type CommentEvent =
  | { type: typeof CommentEvents.Created; payload: { commentId: number; eventId: number; held: boolean } }
  | { type: typeof CommentEvents.Updated; payload: { commentId: number; eventId: number; held: boolean } }
  | { type: typeof CommentEvents.Approved; payload: { commentId: number; eventId: number } }
  | { type: typeof CommentEvents.Deleted; payload: { commentId: number; eventId: number | null; url: string; actorId: number | null; byModerator: boolean } };
