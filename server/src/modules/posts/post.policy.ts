import { notFound, notPermitted } from "../../kernel/index.ts";
import { inGroup, moderates, type Member } from "../groups/index.ts";
import type { Post } from "./post.types.ts";

/**
 * Who reads and writes a group's posts: its moderators and administrators write them and edit any; their author
 * edits their own; published public and unlisted posts are for everyone (unlisted ones by link), members-only ones
 * (PRIVATE) for the group's members, drafts for their author and the group's moderators. Others get "not found".
 * An author counts only while in the group (a removed moderator neither reads nor changes what they wrote there), and
 * every post of a private group is for its members only.
 */
export type PostViewer = { actorIds: readonly number[]; membership: Member | null; staff: boolean; privateGroup: boolean };

const authorInGroup = (p: Post, v: PostViewer) => p.authorId !== null && v.actorIds.includes(p.authorId) && inGroup(v.membership);

export function canRead(p: Post, v: PostViewer): boolean {
  if (p.draft) return authorInGroup(p, v) || moderates(v.membership);
  if (p.visibility === "PRIVATE" || v.privateGroup) return inGroup(v.membership) || v.staff;
  return true;
}

export function requireReadable(p: Post | null, v: PostViewer): Post {
  if (!p || !canRead(p, v)) throw notFound("Post");
  return p;
}

export function requireMayWrite(membership: Member | null): Member {
  if (!moderates(membership)) throw notPermitted("Only the group's moderators and administrators write its posts", "attributedToId");
  return membership!;
}

export function requireMayEdit(p: Post, v: PostViewer): void {
  if (!authorInGroup(p, v) && !moderates(v.membership)) throw notPermitted("Only the post's author and the group's moderators change it");
}
