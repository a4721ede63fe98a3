/** A group's posts: its small blog, public, unlisted or for members. */
export { PostService, type PostsDeps, type PostInput } from "./post.service.ts";
/** Domain events of posts. */
export { PostEvents, type PostEvent } from "./post.events.ts";
export type { Post, PostVisibility } from "./post.types.ts";
