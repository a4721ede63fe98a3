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

/** A group's id, from its handle (pages that act on it and show nothing else of it). */
export const GROUP_ID = `query GroupId($name: String!) { group(preferredUsername: $name) { id } }`;

export const GET_GROUP = `query Group($name: String!, $after: DateTime) { group(preferredUsername: $name) { ${GROUP_FIELDS}
  organizedEvents(afterDatetime: $after, limit: 6) { total elements { ${EVENT_CARD} } }
  posts(limit: 3) { total elements { id slug title publishAt visibility draft } } } }`;

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

export const POST_FIELDS = `id slug url title body draft visibility language publishAt insertedAt updatedAt tags { title slug } picture { id url alt }
  author { id preferredUsername name domain avatar { url alt } } attributedTo { id preferredUsername name domain }`;
export type PostData = {
  id: string; slug: string; url: string; title: string; body: string; draft: boolean; visibility: "PUBLIC" | "UNLISTED" | "PRIVATE"; language: string;
  publishAt: string | null; insertedAt: string; updatedAt: string; tags: { title: string; slug: string }[]; picture: { id: string; url: string; alt: string | null } | null;
  author: { id: string; preferredUsername: string; name: string | null; domain: string | null; avatar: { url: string; alt: string | null } | null } | null;
  attributedTo: { id: string; preferredUsername: string; name: string | null; domain: string | null };
};
export const GROUP_POSTS = `query GroupPosts($name: String!, $page: Int, $limit: Int) { group(preferredUsername: $name) { id preferredUsername name domain
  posts(page: $page, limit: $limit) { total elements { ${POST_FIELDS} } } } }`;
export const GET_POST = `query Post($slug: String!) { post(slug: $slug) { ${POST_FIELDS} } }`;

export const DISCUSSION_LIST = `query GroupDiscussions($name: String!, $page: Int, $limit: Int) { group(preferredUsername: $name) { id preferredUsername name domain
  discussions(page: $page, limit: $limit) { total elements { id slug title updatedAt lastComment { id text insertedAt actor { preferredUsername name } } } } } }`;
export const COMMENT_FIELDS = `id text insertedAt updatedAt deletedAt actor { id preferredUsername name domain avatar { url alt } }`;
export const GET_DISCUSSION = `query Discussion($slug: String!, $page: Int, $limit: Int) { discussion(slug: $slug) { id slug title insertedAt
  creator { id preferredUsername name } actor { id preferredUsername name domain }
  comments(page: $page, limit: $limit) { total elements { ${COMMENT_FIELDS} } } } }`;

export const RESOURCE_FIELDS = `id title summary url resourceUrl type path insertedAt updatedAt metadata { title description providerName authorName type }`;
export const GET_RESOURCE = `query Resource($path: String!, $name: String!, $page: Int, $limit: Int) { resource(path: $path, username: $name) { ${RESOURCE_FIELDS}
  parent { id path } actor { id preferredUsername name domain } children(page: $page, limit: $limit) { total elements { ${RESOURCE_FIELDS} } } } }`;

export const TODO_LISTS = `query TodoLists($name: String!) { group(preferredUsername: $name) { id preferredUsername name domain todoLists(limit: 50) { total elements { id title todos(limit: 1) { total } } } } }`;
export const GET_TODO_LIST = `query TodoList($id: ID!) { todoList(id: $id) { id title actor { id preferredUsername name domain }
  todos(limit: 100) { total elements { id title status dueDate assignedTo { id preferredUsername name } creator { id preferredUsername name } } } } }`;

export const TIMELINE = `query Timeline($name: String!, $type: ActivityType, $author: ActivityAuthor, $page: Int, $limit: Int) { group(preferredUsername: $name) { id preferredUsername name domain
  activity(type: $type, author: $author, page: $page, limit: $limit) { total elements { id insertedAt type subject subjectParams { key value } author { id preferredUsername name } } } } }`;

/** An actor's handle as routes name it: `name`, or `name@host` for one of another server (groups, people). */
export const groupHandle = (g: { preferredUsername: string; domain: string | null }) => g.preferredUsername + (g.domain ? `@${g.domain}` : "");
