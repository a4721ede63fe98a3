/** Follows between actors: instance follows (relays) now, group followers later. */
export { FollowService, type FollowsDeps } from "./follow.service.ts";
export { FollowEvents, type FollowEvent } from "./follow.events.ts";
export type { Follow } from "./follow.types.ts";
