/** Domain events of group posts (the timeline and federation listen to them). */
export const PostEvents = {
  Created: "post.created",
  Updated: "post.updated",
  Deleted: "post.deleted",
} as const;

type P = { postId: number; groupId: number; authorId: number; title: string; slug: string; url: string; visibility: string; draft: boolean };
export type PostEvent =
  | { type: typeof PostEvents.Created; payload: P }
  | { type: typeof PostEvents.Updated; payload: P & { published: boolean } }
  | { type: typeof PostEvents.Deleted; payload: P };
