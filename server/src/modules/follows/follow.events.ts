/** Domain events of follows. */
export const FollowEvents = {
  Requested: "follow.requested",
  Approved: "follow.approved",
  Rejected: "follow.rejected",
  Removed: "follow.removed",
} as const;

type P = { followId: number; url: string; followerId: number; targetId: number };
export type FollowEvent =
  | { type: typeof FollowEvents.Requested; payload: P & { approved: boolean } }
  | { type: typeof FollowEvents.Approved; payload: P }
  | { type: typeof FollowEvents.Rejected; payload: P }
  | { type: typeof FollowEvents.Removed; payload: P };
