import { checkTitleText, checkUrl, isHttpUrl } from "../content/index.ts";
import { checkTimezone } from "../addresses/index.ts";
import { invalid } from "../../kernel/index.ts";

export type EventStatus = "TENTATIVE" | "CONFIRMED" | "CANCELLED";
export type EventVisibility = "PUBLIC" | "UNLISTED" | "RESTRICTED" | "PRIVATE";
export type EventJoinOptions = "FREE" | "RESTRICTED" | "INVITE" | "EXTERNAL";
export type CommentModeration = "ALLOW_ALL" | "MODERATED" | "CLOSED";
export type MetadataType = "STRING" | "INTEGER" | "BOOLEAN";

export type EventOptions = {
  maximumAttendeeCapacity: number;
  showRemainingAttendeeCapacity: boolean;
  anonymousParticipation: boolean;
  offers: { price: number | null; priceCurrency: string | null; url: string | null }[];
  participationConditions: { title: string | null; content: string | null; url: string | null }[];
  attendees: string[];
  program: string | null;
  commentModeration: CommentModeration;
  showParticipationPrice: boolean;
  hideNumberOfParticipants: boolean;
  showStartTime: boolean;
  showEndTime: boolean;
  timezone: string | null;
  hideOrganizerWhenGroupEvent: boolean;
  isOnline: boolean;
};

export type EventMetadata = { key: string; title: string | null; value: string; type: MetadataType };

/** Places (their own module: groups will have addresses too). */
export type { Address, AddressInput } from "../addresses/index.ts";

export type Event = {
  id: number;
  uuid: string;
  url: string;
  local: boolean;
  organizerActorId: number;
  attributedToId: number | null;
  title: string;
  description: string;
  beginsOn: Date;
  endsOn: Date | null;
  publishAt: Date | null;
  status: EventStatus;
  visibility: EventVisibility;
  joinOptions: EventJoinOptions;
  externalParticipationUrl: string | null;
  draft: boolean;
  pictureId: number | null;
  physicalAddressId: number | null;
  latitude: number | null;
  longitude: number | null;
  onlineAddress: string | null;
  phoneAddress: string | null;
  category: string | null;
  language: string | null;
  options: EventOptions;
  metadata: EventMetadata[];
  insertedAt: Date;
  updatedAt: Date;
};

/**
 * How a caller names an event: by its number (given by lists and searches of public events) or by its uuid (its link).
 * The two do not open the same doors: an unlisted event is for people who have its link, so its number alone does not
 * reach it (docs/security.md, "What strangers must not see").
 */
export type EventRef = { id: number } | { uuid: string };

/** Whether the caller named the event by its link. */
export const viaLink = (ref: EventRef): boolean => "uuid" in ref;

/** The id the API gives an event: its uuid when only its link may reach it, its number otherwise. */
export const apiIdOf = (e: Pick<Event, "id" | "uuid" | "visibility">): string => (e.visibility === "UNLISTED" ? e.uuid : String(e.id));

export const STATUSES: readonly EventStatus[] = ["TENTATIVE", "CONFIRMED", "CANCELLED"];
export const VISIBILITIES: readonly EventVisibility[] = ["PUBLIC", "UNLISTED", "RESTRICTED", "PRIVATE"];
export const JOIN_OPTIONS: readonly EventJoinOptions[] = ["FREE", "RESTRICTED", "INVITE", "EXTERNAL"];

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 100_000;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 40;
export const MAX_METADATA = 50;
/** Events longer than this many days are "activities" (Mobilizon's long events). */
export const LONG_EVENT_DAYS = 30;

export const DEFAULT_OPTIONS: EventOptions = {
  maximumAttendeeCapacity: 0,
  showRemainingAttendeeCapacity: false,
  anonymousParticipation: false,
  offers: [],
  participationConditions: [],
  attendees: [],
  program: null,
  commentModeration: "ALLOW_ALL",
  showParticipationPrice: false,
  // Mobilizon's default: a client that does not send the option shows the counts its organizer did not hide.
  hideNumberOfParticipants: false,
  showStartTime: true,
  showEndTime: true,
  timezone: null,
  hideOrganizerWhenGroupEvent: false,
  isOnline: false,
};

export function checkTitle(title: string): string {
  return checkTitleText(title, MAX_TITLE);
}

export function checkDates(beginsOn: Date, endsOn: Date | null): void {
  if (beginsOn.getFullYear() < 1900 || beginsOn.getFullYear() > 9999) throw invalid("beginsOn", "The start date is out of range");
  if (endsOn && endsOn.getTime() < beginsOn.getTime()) throw invalid("endsOn", "The event can't end before it begins");
}

/**
 * The one rule that names a tag, for storing and for searching alike: letters and digits of any script, lower-cased,
 * accents dropped, every other run of characters one dash ("Café Crème" → "cafe-creme", "音楽" → "音楽").
 */
export function tagSlug(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_TAG_LENGTH * 2)
    .replace(/-+$/g, "");
}

/** Normalises tags: trimmed, without a leading #, unique case-insensitively, bounded in number and length. */
export function checkTags(tags: readonly string[] | null | undefined): string[] {
  if (!tags) return [];
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const t = raw.replace(/^#+/, "").replace(/\s+/g, " ").trim();
    if (!t) continue;
    if (t.length > MAX_TAG_LENGTH) throw invalid("tags", `A tag is at most ${MAX_TAG_LENGTH} characters long`);
    const slug = tagSlug(t);
    if (!slug) throw invalid("tags", "A tag needs at least one letter or digit");
    if (!seen.has(slug)) seen.set(slug, t);
  }
  if (seen.size > MAX_TAGS) throw invalid("tags", `An event can have at most ${MAX_TAGS} tags`);
  return [...seen.values()];
}

/** Metadata entries: keys like Mobilizon's `mz:live:peertube:url`, typed values, URL values checked for mz: link keys. */
export function checkMetadata(entries: readonly { key: string; title?: string | null; value: string; type?: MetadataType | null }[] | null | undefined): EventMetadata[] {
  if (!entries) return [];
  if (entries.length > MAX_METADATA) throw invalid("metadata", `At most ${MAX_METADATA} metadata entries`);
  const out: EventMetadata[] = [];
  const keys = new Set<string>();
  for (const e of entries) {
    const key = e.key.trim();
    if (!/^[A-Za-z0-9:_.-]{1,100}$/.test(key)) throw invalid("metadata", `Invalid metadata key ${key}`);
    if (keys.has(key)) throw invalid("metadata", `Duplicate metadata key ${key}`);
    keys.add(key);
    const type = e.type ?? "STRING";
    const value = e.value.trim();
    if (value.length > 2000) throw invalid("metadata", `The value of ${key} is too long`);
    if (type === "INTEGER" && !/^-?\d{1,15}$/.test(value)) throw invalid("metadata", `${key} must be an integer`);
    if (type === "BOOLEAN" && !["true", "false"].includes(value)) throw invalid("metadata", `${key} must be true or false`);
    if (/(:url|_url)$/.test(key) && value && !isHttpUrl(value)) throw invalid("metadata", `${key} must be an http or https link`);
    out.push({ key, title: e.title?.trim().slice(0, 200) || null, value, type });
  }
  return out;
}

/** Merges an options input over current options, validating each field. */
export function mergeOptions(current: EventOptions, input: Partial<Record<keyof EventOptions, unknown>> | null | undefined): EventOptions {
  if (!input) return current;
  const o: EventOptions = { ...current };
  const bool = (k: keyof EventOptions) => {
    if (input[k] != null) (o as Record<string, unknown>)[k] = Boolean(input[k]);
  };
  for (const k of ["showRemainingAttendeeCapacity", "anonymousParticipation", "showParticipationPrice", "hideNumberOfParticipants", "showStartTime", "showEndTime", "hideOrganizerWhenGroupEvent", "isOnline"] as const) bool(k);
  if (input.maximumAttendeeCapacity != null) {
    const n = Number(input.maximumAttendeeCapacity);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw invalid("options.maximumAttendeeCapacity", "The capacity must be a whole number between 0 (no limit) and 1,000,000");
    o.maximumAttendeeCapacity = n;
  }
  if (input.commentModeration != null) {
    if (!["ALLOW_ALL", "MODERATED", "CLOSED"].includes(String(input.commentModeration))) throw invalid("options.commentModeration", "Unknown comment moderation");
    o.commentModeration = input.commentModeration as CommentModeration;
  }
  if (input.timezone !== undefined) o.timezone = checkTimezone(input.timezone as string | null);
  if (input.program !== undefined) o.program = input.program == null ? null : String(input.program).slice(0, 10_000);
  if (input.attendees != null) o.attendees = (input.attendees as string[]).slice(0, 100).map((a) => String(a).slice(0, 200));
  if (input.offers != null)
    o.offers = (input.offers as { price?: number | null; priceCurrency?: string | null; url?: string | null }[]).slice(0, 10).map((x) => {
      if (x.price != null && (!Number.isFinite(x.price) || x.price < 0)) throw invalid("options.offers", "A price must be zero or more");
      if (x.priceCurrency != null && !/^[A-Z]{3}$/.test(x.priceCurrency)) throw invalid("options.offers", "A currency is a 3-letter ISO code");
      return { price: x.price ?? null, priceCurrency: x.priceCurrency ?? null, url: checkUrl(x.url, "options.offers") };
    });
  if (input.participationConditions != null)
    o.participationConditions = (input.participationConditions as { title?: string | null; content?: string | null; url?: string | null }[]).slice(0, 10).map((x) => ({
      title: x.title?.slice(0, 200) ?? null,
      content: x.content?.slice(0, 2000) ?? null,
      url: checkUrl(x.url, "options.participationConditions"),
    }));
  return o;
}

/** Whether an event lasts longer than LONG_EVENT_DAYS (Mobilizon calls these "activities"). */
export const isLongEvent = (e: Pick<Event, "beginsOn" | "endsOn">) =>
  !!e.endsOn && e.endsOn.getTime() - e.beginsOn.getTime() > LONG_EVENT_DAYS * 24 * 3600 * 1000;

export { checkUrl, checkTimezone };
