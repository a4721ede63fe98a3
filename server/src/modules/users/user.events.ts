/** Domain events of the users module. */
export const UserEvents = {
  Registered: "user.registered",
  Confirmed: "user.confirmed",
  Deleted: "user.deleted",
} as const;

export type UserDeletedPayload = { userId: number };
