/** One actor following another: a person or group following a group, an instance following an instance (relay). */
/** `notify`: the follower wants to hear of the followed group's new events. */
export type Follow = { id: number; url: string; followerId: number; targetId: number; approved: boolean; notify: boolean; insertedAt: Date; updatedAt: Date };
