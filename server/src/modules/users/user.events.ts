/** Domain events of the users module. */
export const UserEvents = {
  Registered: "user.registered",
  Confirmed: "user.confirmed",
  Updated: "user.updated",
  Deleted: "user.deleted",
} as const;

export type UserDeletedPayload = { userId: number };

/** What changed on an account (never the values: e-mail addresses and hashes stay out of events). */
export type UserField = "password" | "email" | "locale" | "settings" | "activity_settings" | "role" | "disabled" | "default_actor";

export type UserEvent =
  | { type: typeof UserEvents.Registered; payload: { userId: number } }
  | { type: typeof UserEvents.Confirmed; payload: { userId: number } }
  | { type: typeof UserEvents.Updated; payload: { userId: number; fields: readonly UserField[] } }
  | { type: typeof UserEvents.Deleted; payload: UserDeletedPayload };
