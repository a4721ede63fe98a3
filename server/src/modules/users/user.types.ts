import { z } from "zod";
import { invalid } from "../../kernel/index.ts";

export type UserRole = "USER" | "MODERATOR" | "ADMINISTRATOR";
export const USER_ROLES: readonly UserRole[] = ["USER", "MODERATOR", "ADMINISTRATOR"];

export type User = {
  id: number;
  email: string;
  role: UserRole;
  locale: string;
  confirmedAt: Date | null;
  confirmationSentAt: Date | null;
  disabled: boolean;
  defaultActorId: number | null;
  unconfirmedEmail: string | null;
  currentSignInAt: Date | null;
  currentSignInIp: string | null;
  lastSignInAt: Date | null;
  lastSignInIp: string | null;
  passwordChangedAt: Date | null;
  insertedAt: Date;
  updatedAt: Date;
};

export type NotificationPending = "NONE" | "DIRECT" | "ONE_HOUR" | "ONE_DAY" | "ONE_WEEK";
export const NOTIFICATION_PENDING: readonly NotificationPending[] = ["NONE", "DIRECT", "ONE_HOUR", "ONE_DAY", "ONE_WEEK"];

export type UserSettings = {
  userId: number;
  timezone: string | null;
  notificationOnDay: boolean;
  notificationEachWeek: boolean;
  notificationBeforeEvent: boolean;
  notificationPendingParticipation: NotificationPending;
  notificationPendingMembership: NotificationPending;
  groupNotifications: NotificationPending;
  location: { name: string | null; geohash: string | null; range: number | null } | null;
};

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;
const SUPPORTED_LOCALES = ["en", "fr"];

const emailSchema = z.email().max(254);

/** Lower-cases and trims an e-mail; rejects what is not an address. */
export function normaliseEmail(raw: string, field = "email"): string {
  const email = raw.trim().toLowerCase();
  if (!emailSchema.safeParse(email).success) throw invalid(field, "Email doesn't fit required format");
  return email;
}

/** Refuses passwords that are too short, too long or the same as the e-mail. */
export function checkPassword(password: string, email: string | null, field = "password"): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalid(field, `The password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (password.length > MAX_PASSWORD_LENGTH) throw invalid(field, `The password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  if (password.trim().length === 0) throw invalid(field, "The password cannot be only spaces");
  if (email && password.toLowerCase() === email.toLowerCase()) throw invalid(field, "The password cannot be your email address");
}

/** Maps "fr_FR", "fr-CA" or "FR" to a supported locale; unknown locales fall back to the default. */
export function normaliseLocale(raw: string | null | undefined, fallback: string): string {
  const base = (raw ?? "").trim().slice(0, 2).toLowerCase();
  return SUPPORTED_LOCALES.includes(base) ? base : fallback;
}

/** True when the address or its domain matches an entry of the list (entries are addresses or domains). */
export function listMatches(list: readonly string[], email: string): boolean {
  const domain = email.split("@")[1] ?? "";
  return list.some((entry) => (entry.includes("@") ? entry === email : domain === entry || domain.endsWith("." + entry)));
}

/** A valid IANA timezone name, or a validation error. */
export function checkTimezone(tz: string, field = "timezone"): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    throw invalid(field, `Unknown timezone ${tz}`);
  }
}

/** The activities a member may be told of, as Mobilizon's notification settings name them. */
export const ACTIVITY_KEYS = [
  "conversation_mention",
  "discussion_mention",
  "discussion_updated",
  "event_comment_mention",
  "event_created",
  "event_new_comment",
  "event_new_participation",
  "event_new_pending_participation",
  "event_updated",
  "member_request",
  "member_updated",
  "participation_event_comment",
  "participation_event_updated",
  "post_published",
  "post_updated",
  "resource_updated",
  "user_email_password_updated",
] as const;
/** How a member may be told: by e-mail, or by a push notification. */
export const ACTIVITY_METHODS = ["email", "push"] as const;

export type ActivitySetting = { key: string; method: string; enabled: boolean };
