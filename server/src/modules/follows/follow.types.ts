/** One actor following another: a person or group following a group, an instance following an instance (relay). */
export type Follow = { id: number; url: string; followerId: number; targetId: number; approved: boolean; insertedAt: Date; updatedAt: Date };
