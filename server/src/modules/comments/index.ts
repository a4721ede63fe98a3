/** Event comments: threads, announcements, moderation, tombstones. */
export { CommentService, type CommentsDeps, type DiscussionAccess } from "./comment.service.ts";
/** Domain events of comments. */
export { CommentEvents, type CommentEvent } from "./comment.events.ts";
export type { Comment, CommentRef } from "./comment.types.ts";
