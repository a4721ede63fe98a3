import type { MemberRole } from "./group.types.ts";

/** Domain events of groups and their memberships (the timeline, e-mails and federation listen to them). */
export const GroupEvents = {
  Created: "group.created",
  Updated: "group.updated",
  Deleted: "group.deleted",
  MemberJoined: "group.member.joined",
  MemberRequested: "group.member.requested",
  MemberInvited: "group.member.invited",
  MemberApproved: "group.member.approved",
  MemberRejected: "group.member.rejected",
  InvitationAccepted: "group.invitation.accepted",
  InvitationRejected: "group.invitation.rejected",
  MemberRoleChanged: "group.member.role_changed",
  MemberRemoved: "group.member.removed",
  MemberLeft: "group.member.left",
} as const;

/** Who did it (one of the caller's identities, or the remote actor), on which group. */
type By = { groupId: number; authorId: number };
/** `url`: the membership's id in ActivityPub (ours, or the Join or Invite that made it). */
type MemberChange = By & { memberId: number; url: string; actorId: number; role: MemberRole };

export type GroupEvent =
  | { type: typeof GroupEvents.Created; payload: By }
  | { type: typeof GroupEvents.Updated; payload: By & { changes: string[]; oldName: string | null } }
  | { type: typeof GroupEvents.Deleted; payload: By & { url: string } }
  | { type: typeof GroupEvents.MemberJoined; payload: MemberChange }
  | { type: typeof GroupEvents.MemberRequested; payload: MemberChange }
  | { type: typeof GroupEvents.MemberInvited; payload: MemberChange }
  | { type: typeof GroupEvents.MemberApproved; payload: MemberChange }
  | { type: typeof GroupEvents.MemberRejected; payload: MemberChange }
  | { type: typeof GroupEvents.InvitationAccepted; payload: MemberChange }
  | { type: typeof GroupEvents.InvitationRejected; payload: MemberChange }
  | { type: typeof GroupEvents.MemberRoleChanged; payload: MemberChange & { oldRole: MemberRole } }
  | { type: typeof GroupEvents.MemberRemoved; payload: MemberChange & { oldRole: MemberRole; excluded: boolean } }
  | { type: typeof GroupEvents.MemberLeft; payload: MemberChange & { oldRole: MemberRole } };
