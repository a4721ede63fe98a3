import { invalid } from "../../kernel/index.ts";
import type { Actor } from "../actors/index.ts";

/** A group is an actor of type Group (its name, pictures and URL live with actors). */
export type Group = Actor & { type: "Group" };

export const OPENNESS = ["INVITE_ONLY", "MODERATED", "OPEN"] as const;
export type Openness = (typeof OPENNESS)[number];

/** Mobilizon's group visibilities, stored lower-case like people's (`public`, `unlisted`, `private`). */
export const GROUP_VISIBILITIES = ["PUBLIC", "UNLISTED", "PRIVATE"] as const;
export type GroupVisibility = (typeof GROUP_VISIBILITIES)[number];

export const MEMBER_ROLES = ["NOT_APPROVED", "INVITED", "MEMBER", "MODERATOR", "ADMINISTRATOR", "CREATOR", "REJECTED"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Roles of people who are in the group (as opposed to asked, invited or refused). */
export const MEMBER_OF: readonly MemberRole[] = ["MEMBER", "MODERATOR", "ADMINISTRATOR", "CREATOR"];
/** Roles that run the group's content: its events, posts, members' requests. */
export const MODERATING: readonly MemberRole[] = ["MODERATOR", "ADMINISTRATOR", "CREATOR"];
/** Roles that run the group itself: settings, roles, deletion. */
export const ADMINISTERING: readonly MemberRole[] = ["ADMINISTRATOR", "CREATOR"];

/** Rank of a role, as Mobilizon's timeline ranks them (a promotion goes up). */
export const RANK: Record<MemberRole, number> = { REJECTED: 0, NOT_APPROVED: 5, INVITED: 10, MEMBER: 20, MODERATOR: 50, ADMINISTRATOR: 90, CREATOR: 100 };

/** A membership: a person's place in a group, with the id of what made it (our URL, or a remote Join or Invite). */
export type Member = {
  id: number;
  url: string;
  groupId: number;
  actorId: number;
  role: MemberRole;
  invitedById: number | null;
  message: string | null;
  insertedAt: Date;
  updatedAt: Date;
};

export const isMemberRole = (r: string | null | undefined): r is MemberRole => !!r && (MEMBER_ROLES as readonly string[]).includes(r);
export const inGroup = (m: Pick<Member, "role"> | null | undefined): boolean => !!m && MEMBER_OF.includes(m.role);
export const moderates = (m: Pick<Member, "role"> | null | undefined): boolean => !!m && MODERATING.includes(m.role);
export const administers = (m: Pick<Member, "role"> | null | undefined): boolean => !!m && ADMINISTERING.includes(m.role);

export const visibilityToDb = (v: GroupVisibility): string => v.toLowerCase();
export const visibilityFromDb = (v: string): GroupVisibility => (v === "unlisted" ? "UNLISTED" : v === "private" ? "PRIVATE" : "PUBLIC");

export const MAX_JOIN_MESSAGE = 2000;

/** The message someone adds to a request to join: trimmed, bounded, no control characters but line breaks. */
export function checkJoinMessage(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const m = raw.replace(/\r\n/g, "\n").trim();
  if (m.length > MAX_JOIN_MESSAGE) throw invalid("message", `The message is too long (at most ${MAX_JOIN_MESSAGE} characters)`);
  return m || null;
}

export function checkOpenness(raw: string | null | undefined): Openness | undefined {
  if (raw == null) return undefined;
  if (!(OPENNESS as readonly string[]).includes(raw)) throw invalid("openness", "Unknown openness");
  return raw as Openness;
}

export function checkVisibility(raw: string | null | undefined): GroupVisibility | undefined {
  if (raw == null) return undefined;
  if (!(GROUP_VISIBILITIES as readonly string[]).includes(raw)) throw invalid("visibility", "Unknown visibility");
  return raw as GroupVisibility;
}

/** Where a request keeps the caller's groups and roles (Principal.remember); forgotten when their memberships change. */
export const GROUP_ROLES = "group-roles";
