import type { GqlContext } from "../../../graphql/context.ts";
import { pageArgs, parseId, parseOptionalId } from "../../../graphql/ids.ts";
import { actorFields, mapAddress } from "../../../graphql/mappers.ts";
import { toPicture } from "../../../graphql/media-input.ts";
import { circleOf } from "../../../graphql/place-args.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { isRemoteAddress, type Actor } from "../../actors/index.ts";
import { spendOnce } from "../../../graphql/context.ts";
import type { Group, GroupInput, GroupSearchSort, Member } from "../index.ts";

const typeDefs = /* GraphQL */ `
  type Groups {
    total: Int!
    elements: [GroupSearchResult]!
  }
  type PaginatedGroupList {
    elements: [Group]
    total: Int
  }
  enum SearchGroupSortOptions {
    MATCH_DESC
    MEMBER_COUNT_ASC
    MEMBER_COUNT_DESC
    CREATED_AT_ASC
    CREATED_AT_DESC
    LAST_EVENT_ACTIVITY
  }
  extend type RootQueryType {
    "Public groups by words, place and radius (km), sorted as asked; unlisted and private groups are never found."
    searchGroups(term: String = "", location: String, excludeMyGroups: Boolean, minimumVisibility: GroupVisibility, radius: Float = 50, languageOneOf: [String], boostLanguages: [String], searchTarget: SearchTarget = INTERNAL, bbox: String, zoom: Int, page: Int = 1, limit: Int = 10, sortBy: SearchGroupSortOptions = MATCH_DESC): Groups
    "A group by its name: name here, or name@host for a remote group known here."
    group(preferredUsername: String!): Group
    "A group by id, for the instance's moderators and administrators."
    getGroup(id: ID!): Group
    "Groups, for the instance's moderators and administrators."
    groups(preferredUsername: String = "", name: String = "", domain: String = "", local: Boolean = true, suspended: Boolean = false, page: Int = 1, limit: Int = 10): PaginatedGroupList
  }
  extend type RootMutationType {
    "Creates a group; the creating profile (creatorActorId, else the account's default) becomes its administrator."
    createGroup(preferredUsername: String!, name: String, summary: String = "", visibility: GroupVisibility = PUBLIC, openness: Openness = INVITE_ONLY, manuallyApprovesFollowers: Boolean, avatar: MediaInput, banner: MediaInput, physicalAddress: AddressInput, creatorActorId: ID): Group
    # Mobilizon declares summary = "" here: a partial update would then erase the description. Omitted arguments keep
    # their current value instead (Mobilizon's client sends them all).
    updateGroup(id: ID!, name: String, summary: String, visibility: GroupVisibility, openness: Openness, manuallyApprovesFollowers: Boolean, avatar: MediaInput, banner: MediaInput, physicalAddress: AddressInput): Group
    deleteGroup(groupId: ID!): DeletedObject
    "Joins a group as the profile actorId (else the account's default), with a message for the moderators of a moderated group (Convene)."
    joinGroup(groupId: ID!, actorId: ID, message: String): Member
    leaveGroup(groupId: ID!): DeletedObject
    acceptInvitation(id: ID!): Member
    rejectInvitation(id: ID!): Member
    inviteMember(groupId: ID!, targetActorUsername: String!): Member
    approveMember(memberId: ID!): Member
    rejectMember(memberId: ID!): Member
    updateMember(memberId: ID!, role: MemberRoleEnum!): Member
    # Mobilizon's client also sends groupId, which Mobilizon ignores.
    removeMember(memberId: ID!, exclude: Boolean = false, groupId: ID): Member
    "Follows a group as the profile actorId (else the account's default); notify: be told of its new events."
    followGroup(groupId: ID!, notify: Boolean = true, actorId: ID): Follower
    updateGroupFollow(followId: ID!, notify: Boolean = true): Follower
    unfollowGroup(groupId: ID!): Follower
    "Approves or refuses a follower of a group that approves them by hand (its moderators and administrators)."
    updateFollower(id: ID!, approved: Boolean!): Follower
  }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function toInput(args: any): Promise<GroupInput> {
  return {
    preferredUsername: args.preferredUsername,
    name: args.name,
    summary: args.summary,
    visibility: args.visibility,
    openness: args.openness,
    manuallyApprovesFollowers: args.manuallyApprovesFollowers,
    avatar: await toPicture(args.avatar, "avatar"),
    banner: await toPicture(args.banner, "banner"),
    physicalAddress: args.physicalAddress,
    creatorActorId: parseOptionalId(args.creatorActorId, "creatorActorId"),
  };
}

const SORTS = new Set(["MATCH_DESC", "MEMBER_COUNT_ASC", "MEMBER_COUNT_DESC", "CREATED_AT_ASC", "CREATED_AT_DESC", "LAST_EVENT_ACTIVITY"]);

export const groupsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      searchGroups: (_, args, ctx) => {
        if (isRemoteAddress(String(args.term ?? ""))) spendOnce(ctx, "remote-lookup", "One look-up on another server per request");
        return ctx.services.groups.search(ctx.principal, {
          term: String(args.term ?? ""),
          circle: circleOf(args.location, args.radius),
          excludeMyGroups: !!args.excludeMyGroups,
          localOnly: args.searchTarget === "SELF",
          languages: Array.isArray(args.languageOneOf) ? args.languageOneOf.filter((l: unknown): l is string => typeof l === "string") : null,
          sort: (SORTS.has(args.sortBy) ? args.sortBy : "MATCH_DESC") as GroupSearchSort,
          ...pageArgs(args),
        }, ctx.ip);
      },
      group: (_, args, ctx) => {
        if (String(args.preferredUsername).includes("@")) spendOnce(ctx, "remote-lookup", "One look-up on another server per request");
        return ctx.services.groups.byUsername(ctx.principal, String(args.preferredUsername), ctx.ip);
      },
      getGroup: (_, args, ctx) => ctx.services.groups.byIdForStaff(ctx.principal, parseId(args.id)),
      groups: (_, args, ctx) => ctx.services.groups.list(ctx.principal, { ...args, ...pageArgs(args) }),
    },
    RootMutationType: {
      createGroup: async (_, args, ctx) => ctx.services.groups.create(ctx.principal, await toInput(args)),
      updateGroup: async (_, args, ctx) => ctx.services.groups.update(ctx.principal, parseId(args.id), await toInput(args)),
      deleteGroup: async (_, args, ctx) => ({ id: String((await ctx.services.groups.delete(ctx.principal, parseId(args.groupId, "groupId"))).id) }),
      joinGroup: (_, args, ctx) => ctx.services.members.join(ctx.principal, parseId(args.groupId, "groupId"), { actorId: parseOptionalId(args.actorId, "actorId"), message: args.message }),
      leaveGroup: async (_, args, ctx) => ({ id: String((await ctx.services.members.leave(ctx.principal, parseId(args.groupId, "groupId"))).id) }),
      acceptInvitation: (_, args, ctx) => ctx.services.members.acceptInvitation(ctx.principal, parseId(args.id)),
      rejectInvitation: (_, args, ctx) => ctx.services.members.rejectInvitation(ctx.principal, parseId(args.id)),
      inviteMember: (_, args, ctx) => ctx.services.members.invite(ctx.principal, parseId(args.groupId, "groupId"), String(args.targetActorUsername), ctx.ip),
      approveMember: (_, args, ctx) => ctx.services.members.approve(ctx.principal, parseId(args.memberId, "memberId")),
      rejectMember: (_, args, ctx) => ctx.services.members.reject(ctx.principal, parseId(args.memberId, "memberId")),
      updateMember: (_, args, ctx) => ctx.services.members.updateRole(ctx.principal, parseId(args.memberId, "memberId"), String(args.role)),
      removeMember: (_, args, ctx) => ctx.services.members.remove(ctx.principal, parseId(args.memberId, "memberId"), !!args.exclude),
      followGroup: (_, args, ctx) => ctx.services.groupFollowers.follow(ctx.principal, parseId(args.groupId, "groupId"), args.notify !== false, parseOptionalId(args.actorId, "actorId")),
      updateGroupFollow: (_, args, ctx) => ctx.services.groupFollowers.setNotify(ctx.principal, parseId(args.followId, "followId"), args.notify !== false),
      unfollowGroup: (_, args, ctx) => ctx.services.groupFollowers.unfollow(ctx.principal, parseId(args.groupId, "groupId")),
      updateFollower: (_, args, ctx) => ctx.services.groupFollowers.decide(ctx.principal, parseId(args.id), !!args.approved),
    },
    Group: {
      ...actorFields,
      // A group's description is rich text (HTML, cleaned when saved), as Mobilizon's group editor writes it.
      summary: (g: Group) => g.summary ?? "",
      visibility: (g: Group, _, ctx) => ctx.services.groups.visibilityOf(g),
      openness: (g: Group) => g.openness ?? "INVITE_ONLY",
      types: () => "GROUP",
      physicalAddress: async (g: Group, _, ctx) => (g.physicalAddressId ? mapAddress(await ctx.loaders.address.load(g.physicalAddressId)) : null),
      membersCount: (g: Group, _, ctx) => ctx.loaders.membersCount.load(g.id),
      // Unlike a person's, a group's followers are counted, as Mobilizon does (its cards show members and followers).
      followersCount: (g: Group, _, ctx) => ctx.loaders.followersCount.load(g.id),
      mediaSize: () => null,
      members: (g: Group, args, ctx) => ctx.services.members.list(ctx.principal, g, { roles: args.roles ?? null, name: args.name ?? null, ...pageArgs(args) }),
      followers: (g: Group, args, ctx) => ctx.services.groupFollowers.list(ctx.principal, g, { approved: args.approved ?? null, ...pageArgs(args) }),
    },
    Member: {
      id: (m: Member) => String(m.id),
      parent: (m: Member, _, ctx) => ctx.loaders.actor.load(m.groupId),
      actor: (m: Member, _, ctx) => ctx.loaders.actor.load(m.actorId),
      invitedBy: (m: Member, _, ctx) => (m.invitedById ? ctx.loaders.actor.load(m.invitedById) : null),
    },
    Person: {
      follows: (p: Actor, args, ctx: GqlContext) => ctx.services.groupFollowers.ofPerson(ctx.principal, p, { group: args.group ?? null, ...pageArgs(args) }),
      memberships: async (p: Actor, args, ctx: GqlContext) =>
        ctx.services.members.ofPerson(ctx.principal, p, { group: args.group ?? null, groupId: parseOptionalId(args.groupId, "groupId"), ...pageArgs(args) }),
    },
    User: {
      memberships: (_u, args, ctx: GqlContext) => ctx.services.members.ofAccount(ctx.principal, pageArgs(args)),
    },
  },
};
