import { forbidden, unauthenticated } from "../../kernel/index.ts";
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
  if (u.role !== "ADMINISTRATOR" && u.role !== "MODERATOR") throw forbidden("You need to be a moderator or an administrator");
  return u;
}
