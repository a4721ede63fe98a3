import type { GqlContext } from "../../../graphql/context.ts";
import { pageArgs, parseId } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Discussion } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    "A discussion of a group, by id or slug, for the group's members."
    discussion(id: ID, slug: String): Discussion
  }
  extend type RootMutationType {
    "Opens a discussion in the group actorId with its first message."
    createDiscussion(title: String!, text: String!, actorId: ID!): Discussion
    replyToDiscussion(discussionId: ID!, text: String!): Discussion
    updateDiscussion(title: String!, discussionId: ID!): Discussion
    deleteDiscussion(discussionId: ID!): Discussion
  }
`;

export const discussionsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      discussion: (_, args, ctx) =>
        ctx.services.discussions.get(ctx.principal, args.id != null ? { id: parseId(args.id) } : { slug: String(args.slug ?? "").slice(0, 300) }),
    },
    RootMutationType: {
      createDiscussion: (_, args, ctx) => ctx.services.discussions.create(ctx.principal, parseId(args.actorId, "actorId"), String(args.title), String(args.text)),
      replyToDiscussion: (_, args, ctx) => ctx.services.discussions.reply(ctx.principal, parseId(args.discussionId, "discussionId"), String(args.text)),
      updateDiscussion: (_, args, ctx) => ctx.services.discussions.rename(ctx.principal, parseId(args.discussionId, "discussionId"), String(args.title)),
      deleteDiscussion: (_, args, ctx) => ctx.services.discussions.delete(ctx.principal, parseId(args.discussionId, "discussionId")),
    },
    Group: {
      discussions: (g: { id: number }, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.discussions.byGroup(ctx.principal, g.id, page, limit);
      },
    },
    Discussion: {
      id: (d: Discussion) => String(d.id),
      actor: (d: Discussion, _, ctx: GqlContext) => ctx.loaders.actor.load(d.groupId),
      creator: (d: Discussion, _, ctx: GqlContext) => (d.creatorId ? ctx.loaders.actor.load(d.creatorId) : null),
      lastComment: (d: Discussion, _, ctx: GqlContext) => (d.lastCommentId ? ctx.loaders.comment.load(d.lastCommentId) : null),
      comments: (d: Discussion, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.discussions.comments(d, page, limit);
      },
    },
  },
};
