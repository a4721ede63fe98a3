import { pageArgs } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Follow } from "../../follows/index.ts";

// Instance follows and the instances list, with the names and shapes of Mobilizon's admin API.
const typeDefs = /* GraphQL */ `
  enum InstanceFollowStatus {
    APPROVED
    PENDING
    NONE
  }
  enum InstanceFilterFollowStatus {
    ALL
    FOLLOWING
    FOLLOWED
  }
  enum InstanceFilterSuspendStatus {
    ALL
    SUSPENDED
  }
  enum InstancesSortFields {
    EVENT_COUNT
    PERSON_COUNT
    GROUP_COUNT
    FOLLOWERS_COUNT
    FOLLOWINGS_COUNT
    REPORTS_COUNT
    MEDIA_SIZE
  }
  type Instance {
    domain: ID
    followerStatus: InstanceFollowStatus
    followedStatus: InstanceFollowStatus
    eventCount: Int
    personCount: Int
    groupCount: Int
    followersCount: Int
    followingsCount: Int
    reportsCount: Int
    mediaSize: Int
    hasRelay: Boolean
    relayAddress: String
    instanceName: String
    instanceDescription: String
    software: String
    softwareVersion: String
    "Whether an administrator blocked this server: nothing comes from it or goes to it (Convene)."
    blocked: Boolean
    "Whether an administrator silenced this server: its events are not listed here (Convene)."
    silenced: Boolean
    "Since when deliveries to this server fail; null while they succeed (Convene)."
    failingSince: DateTime
    "The last delivery failure (Convene)."
    lastFailure: String
  }
  type PaginatedInstanceList {
    elements: [Instance]
    total: Int
  }
  extend type RootQueryType {
    relayFollowers(page: Int = 1, limit: Int = 10): PaginatedFollowerList
    relayFollowings(page: Int = 1, limit: Int = 10, orderBy: String = "updated_at", direction: String = "desc"): PaginatedFollowerList
    instances(page: Int = 1, limit: Int = 10, orderBy: InstancesSortFields = EVENT_COUNT, filterDomain: String, filterFollowStatus: InstanceFilterFollowStatus = ALL, filterSuspendStatus: InstanceFilterSuspendStatus = ALL, direction: String = "desc"): PaginatedInstanceList
    instance(domain: ID!): Instance
  }
  extend type RootMutationType {
    addInstance(domain: String!): Instance
    removeRelay(address: String!): Follower
    acceptRelay(address: String!): Follower
    rejectRelay(address: String!): Follower
    "Blocks or silences another server, or lifts it (Convene; administrators)."
    updateInstancePolicy(domain: String!, blocked: Boolean, silenced: Boolean): Instance
  }
`;

const follower = (f: Follow) => ({ ...f, id: String(f.id) });

export const relaysSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      relayFollowers: async (_, args, ctx) => {
        const { page, limit } = pageArgs(args);
        const r = await ctx.services.relays.followers(ctx.principal, page, limit);
        return { total: r.total, elements: r.elements.map(follower) };
      },
      relayFollowings: async (_, args, ctx) => {
        const { page, limit } = pageArgs(args);
        const r = await ctx.services.relays.followings(ctx.principal, page, limit);
        return { total: r.total, elements: r.elements.map(follower) };
      },
      instances: (_, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.relays.instances(ctx.principal, { filter: args.filterDomain ?? null, follow: args.filterFollowStatus ?? "ALL", suspended: args.filterSuspendStatus === "SUSPENDED", page, limit });
      },
      instance: (_, args, ctx) => ctx.services.relays.instance(ctx.principal, String(args.domain)),
    },
    RootMutationType: {
      addInstance: (_, args, ctx) => ctx.services.relays.follow(ctx.principal, args.domain),
      removeRelay: async (_, args, ctx) => follower(await ctx.services.relays.unfollow(ctx.principal, args.address)),
      acceptRelay: async (_, args, ctx) => follower(await ctx.services.relays.accept(ctx.principal, args.address)),
      rejectRelay: async (_, args, ctx) => follower(await ctx.services.relays.reject(ctx.principal, args.address)),
      updateInstancePolicy: (_, args, ctx) => ctx.services.relays.setPolicy(ctx.principal, args.domain, { blocked: args.blocked, silenced: args.silenced }),
    },
    Follower: {
      actor: (f: Follow, _, ctx) => ctx.loaders.actor.load(f.followerId),
      targetActor: (f: Follow, _, ctx) => ctx.loaders.actor.load(f.targetId),
    },
  },
};
