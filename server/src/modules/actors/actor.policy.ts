import { forbidden, HOUR, notFound } from "../../kernel/index.ts";
import { isStaff, type User } from "../users/index.ts";
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
  return actor.userId === user.id || isStaff(user);
}

/** How long after sign-up the first profile may be created without a session (Mobilizon 5.1's sign-up flow). */
export const FIRST_PROFILE_WINDOW = HOUR;

/**
 * Who may create the first profile of `account` through registerPerson: its own session, or nobody-logged-in while
 * the account is unconfirmed and was created less than FIRST_PROFILE_WINDOW ago. Anyone else could plant a victim's
 * first identity given their e-mail.
 */
export function mayCreateFirstProfile(caller: User | null, account: User, now: Date): boolean {
  if (caller) return caller.id === account.id;
  return account.confirmedAt === null && now.getTime() - account.insertedAt.getTime() < FIRST_PROFILE_WINDOW;
}
