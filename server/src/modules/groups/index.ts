/** Groups: the group itself (profile, settings, search) and its memberships. */
export { GroupService, type GroupsDeps, type GroupInput } from "./group.service.ts";
/** Memberships: joining, leaving, invitations, approvals, roles, removals, lists. */
export { MemberService, parseRoles, type GroupRoles } from "./member.service.ts";
/** Domain events of groups and memberships. */
export { GroupEvents, type GroupEvent } from "./group.events.ts";
export { administers, inGroup, moderates, MEMBER_OF, MODERATING, type Group, type Member, type MemberRole, type Openness, type GroupVisibility } from "./group.types.ts";
export type { GroupSearchSort } from "./group.queries.ts";
/** Following groups: follow, unfollow, notifications, approval of followers, lists. */
export { GroupFollowerService } from "./follower.service.ts";
