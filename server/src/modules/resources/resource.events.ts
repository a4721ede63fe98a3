/** Domain events of resources (the timeline listens to them). */
export const ResourceEvents = {
  Created: "resource.created",
  Updated: "resource.updated",
  Moved: "resource.moved",
  Deleted: "resource.deleted",
} as const;

type P = { resourceId: number; url: string; groupId: number; authorId: number; title: string; path: string; type: string };
export type ResourceEvent =
  | { type: typeof ResourceEvents.Created; payload: P }
  | { type: typeof ResourceEvents.Updated; payload: P & { oldTitle: string } }
  | { type: typeof ResourceEvents.Moved; payload: P & { oldPath: string } }
  | { type: typeof ResourceEvents.Deleted; payload: P };
