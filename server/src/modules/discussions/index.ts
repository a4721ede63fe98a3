/** A group's discussions: members-only threads whose messages are comments. */
export { DiscussionService, type DiscussionsDeps } from "./discussion.service.ts";
/** Domain events of discussions. */
export { DiscussionEvents, type DiscussionEvent } from "./discussion.events.ts";
export type { Discussion } from "./discussion.types.ts";
