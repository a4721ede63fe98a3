import type { GqlContext } from "../../../graphql/context.ts";
import { pageArgs } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Activity } from "../index.ts";

/** The object an entry is about, loaded by kind (it may be gone since: null). */
async function objectOf(a: Activity, ctx: GqlContext): Promise<unknown> {
  if (a.objectId === null) return null;
  switch (a.objectType) {
    case "event":
      return ctx.loaders.event.load(a.objectId);
    case "group":
      return ctx.loaders.actor.load(a.objectId);
    case "post":
      return ctx.loaders.post.load(a.objectId);
    case "discussion":
      return ctx.loaders.discussion.load(a.objectId);
    case "resource":
      return ctx.loaders.resource.load(a.objectId);
    case "member":
      return ctx.loaders.member.load(a.objectId);
    default:
      return null;
  }
}

export const activitySlice: SchemaSlice = {
  typeDefs: "",
  resolvers: {
    Group: {
      activity: (g: { id: number }, args, ctx: GqlContext) => ctx.services.activity.ofGroup(ctx.principal, g.id, { type: args.type ?? null, author: args.author ?? null, ...pageArgs(args) }),
    },
    Activity: {
      id: (a: Activity) => String(a.id),
      subjectParams: (a: Activity) => Object.entries(a.params).map(([key, value]) => ({ key, value })),
      messageParams: () => [],
      message: () => null,
      priority: () => null,
      // Mobilizon's client needs an author on every entry: one whose profile is gone shows as the group.
      author: async (a: Activity, _, ctx: GqlContext) => (a.authorId ? await ctx.loaders.actor.load(a.authorId) : null) ?? ctx.loaders.actor.load(a.groupId),
      group: (a: Activity, _, ctx: GqlContext) => ctx.loaders.actor.load(a.groupId),
      object: (a: Activity, _, ctx: GqlContext) => objectOf(a, ctx),
    },
  },
};
