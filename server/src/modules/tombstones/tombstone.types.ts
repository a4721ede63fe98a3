/** What stood at a URL of this instance before it was deleted: the URL answers 410 Gone with a Tombstone. */
export type Tombstone = { uri: string; formerType: string; actorId: number | null; deletedAt: Date };
