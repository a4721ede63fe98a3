/** Event comments: threads, announcements, moderation, tombstones. */
export { CommentService, type CommentsDeps } from "./comment.service.ts";
export type { Comment, CommentRef } from "./comment.types.ts";
