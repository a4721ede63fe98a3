import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { pageArgs, parseId } from "../../../graphql/ids.ts";
import { isStaff, type User } from "../../users/index.ts";
import { toPicture } from "../../../graphql/media-input.ts";
import { isRemoteAddress, type Actor } from "../index.ts";
import { spendOnce } from "../../../graphql/context.ts";
import { actorFields } from "../../../graphql/mappers.ts";

const ONE_LOOKUP = "One look-up on another server per request";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    identities: [Person] @deprecated(reason: "Use the loggedUser query instead")
    loggedPerson: Person
    person(id: ID!): Person
    fetchPerson(preferredUsername: String!): Person
    "People by name; an address (@name@host) or a profile's URL is looked up on its server."
    searchPersons(term: String = "", page: Int = 1, limit: Int = 10): Persons
    "Where a visitor with an account elsewhere (name@their.instance) opens a link of this instance, on their own server; null when their server does not say (Convene)."
    remoteInteractionUrl(account: String!, uri: String!): String
    "Profiles, for the instance's moderators and administrators."
    persons(preferredUsername: String = "", name: String = "", domain: String = "", local: Boolean = true, suspended: Boolean = false, page: Int = 1, limit: Int = 10): PaginatedPersonList
  }
  type Persons {
    total: Int!
    elements: [Person]!
  }
  type PaginatedPersonList {
    elements: [Person]
    total: Int
  }
  extend type RootMutationType {
    createPerson(preferredUsername: String!, name: String = "", summary: String = "", avatar: MediaInput, banner: MediaInput): Person
    updatePerson(id: ID!, name: String, summary: String, avatar: MediaInput, banner: MediaInput): Person
    deletePerson(id: ID!): Person
    registerPerson(preferredUsername: String!, name: String = "", summary: String = "", email: String!, avatar: MediaInput, banner: MediaInput): Person
    changeDefaultActor(preferredUsername: String!): User
  }
`;

const isOwnerOrStaff = (viewer: User | null, a: Actor) => !!viewer && (a.userId === viewer.id || isStaff(viewer));


export const actorsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      identities: (_, __, ctx) => ctx.services.actors.identities(ctx.principal),
      loggedPerson: (_, __, ctx) => ctx.services.actors.loggedPerson(ctx.principal),
      person: (_, args, ctx) => ctx.services.actors.person(ctx.principal, parseId(args.id)),
      fetchPerson: (_, args, ctx) => {
        if (String(args.preferredUsername).includes("@")) spendOnce(ctx, "remote-lookup", ONE_LOOKUP);
        return ctx.services.actors.fetchPerson(ctx.principal, args.preferredUsername, ctx.ip);
      },
      remoteInteractionUrl: (_, args, ctx) => {
        spendOnce(ctx, "remote-lookup", ONE_LOOKUP);
        return ctx.services.actors.remoteInteractionUrl(ctx.principal, String(args.account), String(args.uri), ctx.ip);
      },
      searchPersons: (_, args, ctx) => {
        const { page, limit } = pageArgs(args);
        if (isRemoteAddress(String(args.term ?? ""))) spendOnce(ctx, "remote-lookup", ONE_LOOKUP);
        return ctx.services.actors.searchPersons(ctx.principal, args.term ?? "", page, limit, ctx.ip);
      },
      persons: (_, args, ctx) => ctx.services.actors.listPersons(ctx.principal, { ...args, ...pageArgs(args) }),
    },
    RootMutationType: {
      createPerson: async (_, args, ctx) =>
        ctx.services.actors.createPerson(ctx.principal, {
          preferredUsername: args.preferredUsername,
          name: args.name,
          summary: args.summary,
          avatar: await toPicture(args.avatar, "avatar"),
          banner: await toPicture(args.banner, "banner"),
        }),
      updatePerson: async (_, args, ctx) =>
        ctx.services.actors.updatePerson(ctx.principal, parseId(args.id), {
          name: args.name,
          summary: args.summary,
          avatar: await toPicture(args.avatar, "avatar"),
          banner: await toPicture(args.banner, "banner"),
        }),
      deletePerson: (_, args, ctx) => ctx.services.actors.deletePerson(ctx.principal, parseId(args.id)),
      registerPerson: async (_, args, ctx) =>
        ctx.services.actors.registerPerson(ctx.principal, args.email, {
          preferredUsername: args.preferredUsername,
          name: args.name,
          summary: args.summary,
          avatar: await toPicture(args.avatar, "avatar"),
          banner: await toPicture(args.banner, "banner"),
        }, ctx.ip),
      changeDefaultActor: (_, args, ctx) => ctx.services.actors.changeDefaultActor(ctx.principal, args.preferredUsername),
    },
    Person: {
      ...actorFields,
      user: (a: Actor, _, ctx) => (a.userId && isOwnerOrStaff(ctx.user, a) ? ctx.loaders.user.load(a.userId) : null),
      mediaSize: (a: Actor, _, ctx) => (isOwnerOrStaff(ctx.user, a) ? ctx.services.media.totalSize([a.id]) : null),
      unreadConversationsCount: (a: Actor, _, ctx) => (isOwnerOrStaff(ctx.user, a) ? 0 : null),
    },
    User: {
      id: (u: User) => String(u.id),
      // User objects only reach their owner or the staff (see users.graphql.ts).
      actors: (u: User, _, ctx) => ctx.loaders.actorsByUser.load(u.id),
      defaultActor: (u: User, _, ctx) => (u.defaultActorId ? ctx.loaders.actor.load(u.defaultActorId) : null),
      mediaSize: async (u: User, _, ctx) => {
        const actors = await ctx.loaders.actorsByUser.load(u.id);
        return ctx.services.media.totalSize(actors.map((a) => a.id));
      },
    },
  },
};
