import { forbidden, notFound } from "../../kernel/index.ts";
import type { User } from "../users/index.ts";
import type { Actor } from "./actor.types.ts";

/** An identity may be edited, used or deleted only by the account that owns it. */
export function requireOwnIdentity(user: User, actor: Actor | null): Actor {
  if (!actor || actor.type !== "Person") throw notFound("Profile");
  if (actor.userId !== user.id) throw forbidden("This profile is not yours");
  return actor;
}

/** Staff see any profile; others only their own. */
export function canSeePrivateProfile(user: User | null, actor: Actor): boolean {
  if (!user) return false;
  return actor.userId === user.id || user.role === "ADMINISTRATOR" || user.role === "MODERATOR";
}
