/** Domain events of discussions (the timeline and live updates listen to them). */
export const DiscussionEvents = {
  Created: "discussion.created",
  Replied: "discussion.replied",
  Renamed: "discussion.renamed",
  Deleted: "discussion.deleted",
  MessageChanged: "discussion.message_changed",
} as const;

type P = { discussionId: number; groupId: number; authorId: number | null; title: string; slug: string };
export type DiscussionEvent =
  | { type: typeof DiscussionEvents.Created; payload: P & { commentId: number } }
  | { type: typeof DiscussionEvents.Replied; payload: P & { commentId: number } }
  | { type: typeof DiscussionEvents.Renamed; payload: P & { oldTitle: string } }
  | { type: typeof DiscussionEvents.Deleted; payload: P }
  | { type: typeof DiscussionEvents.MessageChanged; payload: P & { commentId: number; how: "updated" | "deleted" } };
