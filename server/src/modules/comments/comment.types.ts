export type Comment = {
  id: number;
  uuid: string;
  url: string;
  eventId: number | null;
  /** The discussion a message belongs to (then eventId is null). */
  discussionId: number | null;
  actorId: number | null;
  inReplyToCommentId: number | null;
  originCommentId: number | null;
  text: string;
  isAnnouncement: boolean;
  /** "public", or "moderated" while a comment waits for an organizer's approval. */
  visibility: string;
  language: string | null;
  local: boolean;
  publishedAt: Date | null;
  deletedAt: Date | null;
  insertedAt: Date;
  updatedAt: Date;
};

export const MAX_COMMENT_LENGTH = 10_000;

/** How a caller names a comment: by number, or by uuid (the link; the API gives uuids for comments of unlisted events). */
export type CommentRef = { id: number } | { uuid: string };
