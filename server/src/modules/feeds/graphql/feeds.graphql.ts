import { parseOptionalId } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Actor } from "../../actors/index.ts";
import type { User } from "../../users/index.ts";
import type { FeedToken } from "../index.ts";

const typeDefs = /* GraphQL */ `
  type DeletedFeedToken {
    user: DeletedObject
    actor: DeletedObject
  }
  extend type RootMutationType {
    createFeedToken(actorId: ID): FeedToken
    deleteFeedToken(token: String!): DeletedFeedToken
  }
`;

export const feedsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootMutationType: {
      createFeedToken: (_, args, ctx) => ctx.services.feeds.createToken(ctx.principal, parseOptionalId(args.actorId, "actorId")),
      deleteFeedToken: async (_, args, ctx) => {
        const t = await ctx.services.feeds.deleteToken(ctx.principal, args.token);
        return { user: { id: String(t.userId) }, actor: t.actorId ? { id: String(t.actorId) } : null };
      },
    },
    FeedToken: {
      user: (t: FeedToken, _, ctx) => ctx.loaders.user.load(t.userId),
      actor: (t: FeedToken, _, ctx) => (t.actorId ? ctx.loaders.actor.load(t.actorId) : null),
    },
    User: {
      feedTokens: (u: User, _, ctx) => ctx.services.feeds.tokensOf(ctx.principal, u.id, null),
    },
    Person: {
      feedTokens: (a: Actor, _, ctx) => (a.userId ? ctx.services.feeds.tokensOf(ctx.principal, a.userId, a.id) : []),
    },
  },
};
