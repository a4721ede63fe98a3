/** Accounts: registration, confirmation, sessions, passwords, settings and administration. */
export { UserService, type UsersDeps, type Session } from "./user.service.ts";
export { AccessTokens, ACCESS_TOKEN_TTL_MS, REFRESH_TOKEN_TTL_MS } from "./auth.tokens.ts";
/** Domain events of accounts. */
export { UserEvents, type UserDeletedPayload, type UserEvent, type UserField } from "./user.events.ts";
export { accountAccess, requireUser, requireAdmin, requireModerator } from "./user.policy.ts";
export { USER_ROLES, NOTIFICATION_PENDING, type User, type UserRole, type UserSettings, type NotificationPending } from "./user.types.ts";
export { Principal, isStaff, type RemoteCaller } from "./principal.ts";
