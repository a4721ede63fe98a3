/** Domain events of the actors module (identities; groups and remote actors will add theirs). */
export const ActorEvents = {
  Created: "actor.created",
  Updated: "actor.updated",
  Deleted: "actor.deleted",
} as const;

export type ActorEvent =
  | { type: typeof ActorEvents.Created; payload: { actorId: number; userId: number | null } }
  | { type: typeof ActorEvents.Updated; payload: { actorId: number } }
  | { type: typeof ActorEvents.Deleted; payload: { actorId: number; userId: number | null; url: string; actorType: string; remote: boolean } };
