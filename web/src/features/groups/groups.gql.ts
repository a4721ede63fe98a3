// GraphQL documents of the groups pages, in Mobilizon's API.
import { EVENT_CARD } from "../events/events.gql.ts";

export const GROUP_FIELDS = `id preferredUsername name summary domain url visibility openness manuallyApprovesFollowers membersCount
  avatar { id url alt } banner { id url alt }
  physicalAddress { description street locality postalCode region country geom timezone }`;

export type GroupData = {
  id: string;
  preferredUsername: string;
  name: string | null;
  summary: string;
  domain: string | null;
  url: string;
  visibility: "PUBLIC" | "UNLISTED" | "PRIVATE";
  openness: "OPEN" | "MODERATED" | "INVITE_ONLY";
  manuallyApprovesFollowers: boolean;
  membersCount: number;
  avatar: { id: string; url: string; alt: string | null } | null;
  banner: { id: string; url: string; alt: string | null } | null;
  physicalAddress: { description: string | null; street: string | null; locality: string | null; postalCode: string | null; region: string | null; country: string | null; geom: string | null; timezone: string | null } | null;
};

export type Membership = { id: string; role: string; parent: { id: string; preferredUsername: string; domain: string | null; name: string | null; avatar: { url: string; alt: string | null } | null }; actor: { id: string; preferredUsername: string; name: string | null } };

const MEMBERSHIP = `id role parent { id preferredUsername domain name avatar { url alt } } actor { id preferredUsername name }`;

export const GET_GROUP = `query Group($name: String!, $after: DateTime) { group(preferredUsername: $name) { ${GROUP_FIELDS}
  organizedEvents(afterDatetime: $after, limit: 6) { total elements { ${EVENT_CARD} } } } }`;

export const MY_GROUP_ROLE = `query MyGroupRole($name: String!) { loggedUser { actors { id memberships(group: $name) { total elements { id role } } follows(group: $name) { total elements { id approved notify } } } } }`;

export const MY_GROUPS = `query MyGroups($page: Int, $limit: Int) { loggedUser { memberships(page: $page, limit: $limit) { total elements { ${MEMBERSHIP} } } } }`;

export const GROUP_ARGS = `$name: String, $summary: String, $visibility: GroupVisibility, $openness: Openness, $manuallyApprovesFollowers: Boolean, $avatar: MediaInput, $banner: MediaInput, $physicalAddress: AddressInput`;
export const GROUP_PASS = `name: $name, summary: $summary, visibility: $visibility, openness: $openness, manuallyApprovesFollowers: $manuallyApprovesFollowers, avatar: $avatar, banner: $banner, physicalAddress: $physicalAddress`;

export const CREATE_GROUP = `mutation CreateGroup($preferredUsername: String!, $creatorActorId: ID, ${GROUP_ARGS}) { createGroup(preferredUsername: $preferredUsername, creatorActorId: $creatorActorId, ${GROUP_PASS}) { id preferredUsername } }`;
export const UPDATE_GROUP = `mutation UpdateGroup($id: ID!, ${GROUP_ARGS}) { updateGroup(id: $id, ${GROUP_PASS}) { ${GROUP_FIELDS} } }`;

export const GROUP_MEMBERS = `query GroupMembers($name: String!, $roles: String, $page: Int, $limit: Int) { group(preferredUsername: $name) { id preferredUsername name
  members(roles: $roles, page: $page, limit: $limit) { total elements { id role insertedAt actor { id preferredUsername domain name avatar { url alt } } } } } }`;

export const GROUP_FOLLOWERS = `query GroupFollowers($name: String!, $approved: Boolean, $page: Int, $limit: Int) { group(preferredUsername: $name) { id preferredUsername name manuallyApprovesFollowers
  followers(approved: $approved, page: $page, limit: $limit) { total elements { id approved insertedAt actor { id preferredUsername domain name avatar { url alt } } } } } }`;

/** The highest of several roles (one account can be in a group with two identities). */
const RANK: Record<string, number> = { REJECTED: 0, NOT_APPROVED: 5, INVITED: 10, MEMBER: 20, MODERATOR: 50, ADMINISTRATOR: 90, CREATOR: 100 };
export const highestRole = (roles: string[]) => roles.reduce<string | null>((best, r) => (best === null || RANK[r] > RANK[best] ? r : best), null);
export const isMember = (role: string | null) => role !== null && RANK[role] >= RANK.MEMBER;
export const isModerator = (role: string | null) => role !== null && RANK[role] >= RANK.MODERATOR;
export const isAdmin = (role: string | null) => role !== null && RANK[role] >= RANK.ADMINISTRATOR;
