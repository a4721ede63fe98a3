import { forbidden, unauthenticated } from "../../kernel/index.ts";
import { isStaff } from "./principal.ts";
import type { User } from "./user.types.ts";

/** The caller must be logged in. */
export function requireUser(user: User | null): User {
  if (!user) throw unauthenticated();
  return user;
}

/** Only administrators manage other accounts. */
export function requireAdmin(user: User | null): User {
  const u = requireUser(user);
  if (u.role !== "ADMINISTRATOR") throw forbidden("You need to be an administrator");
  return u;
}

/** Moderators and administrators see the users list. */
export function requireModerator(user: User | null): User {
  const u = requireUser(user);
  if (!isStaff(u)) throw forbidden("You need to be a moderator or an administrator");
  return u;
}

/**
 * What a viewer may read of an account: everything when it is theirs; when they are staff looking at someone else's,
 * what moderation needs (e-mail, sign-in addresses, profiles, counts) — never secrets such as feed tokens, nor what
 * only the owner's own screens use (drafts, settings). Null for anyone else (User objects only reach these two).
 */
export function accountAccess(viewer: User | null, account: User): "owner" | "staff" | null {
  if (viewer?.id === account.id) return "owner";
  if (isStaff(viewer)) return "staff";
  return null;
}
