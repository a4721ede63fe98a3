import { checkTimezone, type AddressInput, type EventMetadata, type RemoteEventInput } from "../../modules/events/index.ts";
import { sanitizeHtml } from "../../modules/content/index.ts";
import { asArray, httpUrl, idOf, idsOf, isObject, isPublicAddress, str, typeOf, type Json } from "./json.ts";

const CATEGORIES = new Set([
  "ARTS", "BOOK_CLUBS", "BUSINESS", "CAUSES", "COMEDY", "CRAFTS", "FOOD_DRINK", "HEALTH", "MUSIC", "AUTO_BOAT_AIR", "COMMUNITY", "FAMILY_EDUCATION",
  "FASHION_BEAUTY", "FILM_MEDIA", "GAMES", "LANGUAGE_CULTURE", "LEARNING", "LGBTQ", "MOVEMENTS_POLITICS", "NETWORKING", "PARTY", "PERFORMING_VISUAL_ARTS",
  "PETS", "PHOTOGRAPHY", "OUTDOORS_ADVENTURE", "SPIRITUALITY_RELIGION_BELIEFS", "SCIENCE_TECH", "SPORTS", "THEATRE", "MEETING",
]);
const JOIN = { free: "FREE", restricted: "RESTRICTED", invite: "INVITE", external: "EXTERNAL", none: "INVITE" } as const;
const MODERATION = { allow_all: "ALLOW_ALL", moderated: "MODERATED", closed: "CLOSED" } as const;

const text = (v: unknown, max: number) => {
  const s = str(v, max * 4);
  return s === null ? null : s.replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim().slice(0, max) || null;
};
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() && Number.isFinite(Number(v)) ? Number(v) : null);
const date = (v: unknown) => {
  const s = str(v, 100);
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) && new Date(t).getUTCFullYear() > 1900 && new Date(t).getUTCFullYear() < 10000 ? new Date(t) : null;
};

/** An address from a Place: its PostalAddress, or a text address (Gancio), or only a name. */
function address(place: Json, timezone: string | null): AddressInput | null {
  const a = place.address;
  const lat = num(place.latitude);
  const lon = num(place.longitude);
  const coords = lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  const postal = isObject(a) ? a : null;
  const out: AddressInput = {
    description: text(place.name, 500) ?? (typeof a === "string" ? text(a, 500) : null),
    street: postal ? text(postal.streetAddress, 500) : typeof a === "string" ? text(a, 500) : null,
    locality: postal ? text(postal.addressLocality, 200) : null,
    postalCode: postal ? text(postal.postalCode, 50) : null,
    region: postal ? text(postal.addressRegion, 200) : null,
    country: postal ? text(postal.addressCountry, 200) : null,
    latitude: coords ? lat : null,
    longitude: coords ? lon : null,
    type: null,
    url: httpUrl(place.id),
    originId: null,
    timezone,
  };
  return out.description || out.street || out.locality || coords ? out : null;
}

/**
 * An Event as Mobilizon, Gancio, the WordPress Event Bridge and other FEP-8a8e peers write it (federation.md §2.2,
 * §4): times with any offset, `location` as a Place, a text, or an array mixing Place and VirtualLocation, the
 * online address from a `Website` link or a VirtualLocation, status from `status`, `ical:status` or `eventStatus`,
 * the category from the shared list (MEETING otherwise). The description is cleaned like our own. Returns the
 * reason when the document is not a usable event.
 */
export function parseEvent(doc: Json, localOrigin: string): Omit<RemoteEventInput, "organizerActorId" | "attributedToId"> | string {
  if (typeOf(doc) !== "Event") return "not an Event";
  const url = httpUrl(doc.id);
  if (!url) return "no id";
  const title = text(doc.name, 200);
  if (!title) return "no name";
  const beginsOn = date(doc.startTime);
  if (!beginsOn) return "no usable startTime";
  let endsOn = date(doc.endTime);
  if (endsOn && endsOn < beginsOn) endsOn = null;
  const audience = [...idsOf(doc.to), ...idsOf(doc.cc)];
  const isPublicTo = idsOf(doc.to).some(isPublicAddress);
  if (!audience.some(isPublicAddress)) return "not public or unlisted";
  let timezone: string | null;
  try {
    timezone = checkTimezone(str(doc.timezone, 100));
  } catch {
    timezone = null;
  }
  let onlineAddress: string | null = null;
  let place: AddressInput | null = null;
  for (const loc of asArray(doc.location)) {
    if (typeof loc === "string" && !place) place = address({ name: loc }, timezone);
    else if (isObject(loc)) {
      if (typeOf(loc) === "VirtualLocation") onlineAddress ??= httpUrl(loc.url) ?? idOf(loc.url);
      else if (!place) place = address(loc, timezone);
    }
  }
  const metadata: EventMetadata[] = [];
  for (const att of asArray(doc.attachment).slice(0, 60)) {
    if (!isObject(att)) continue;
    const t = typeOf(att);
    if (t === "Link" && (att.name === "Website" || !onlineAddress)) onlineAddress = httpUrl(att.href) ?? onlineAddress;
    if (t === "PropertyValue" && metadata.length < 50) {
      const key = str(att.propertyID, 100);
      if (!key || !/^[A-Za-z0-9:_.-]{1,100}$/.test(key) || metadata.some((m) => m.key === key)) continue;
      const v = att.value;
      const type = typeof v === "boolean" ? "BOOLEAN" : typeof v === "number" && Number.isInteger(v) ? "INTEGER" : "STRING";
      const value = String(v ?? "").slice(0, 2000);
      if (/(:url|_url)$/.test(key) && value && !httpUrl(value)) continue;
      metadata.push({ key, title: text(att.name, 200), value, type });
    }
  }
  const statusRaw = String(doc.status ?? doc["ical:status"] ?? doc.eventStatus ?? "CONFIRMED").toUpperCase();
  const status = statusRaw === "CANCELLED" || statusRaw === "TENTATIVE" ? statusRaw : "CONFIRMED";
  const category = String(doc.category ?? "").toUpperCase();
  const join = JOIN[String(doc.joinMode ?? "free").toLowerCase() as keyof typeof JOIN] ?? "FREE";
  const moderationRaw = String(doc.repliesModerationOption ?? "").toLowerCase();
  const commentModeration = MODERATION[moderationRaw as keyof typeof MODERATION] ?? (doc.commentsEnabled === false ? "CLOSED" : "ALLOW_ALL");
  const capacity = num(doc.maximumAttendeeCapacity);
  const tags = asArray(doc.tag)
    .filter((t): t is Json => isObject(t) && (t.type === "Hashtag" || (typeof t.name === "string" && t.name.startsWith("#"))))
    .map((t) => String(t.name ?? "").replace(/^#+/, "").trim())
    .filter((t) => t && t.length <= 40)
    .slice(0, 10);
  const html = str(doc.content, 200_000) ?? "";
  const language = str(doc.inLanguage, 20) ?? (isObject(doc.contentMap) ? (Object.keys(doc.contentMap)[0] ?? null) : null);
  return {
    url,
    uuid: str(doc.uuid, 36),
    title,
    description: html ? sanitizeHtml(html, { mediaOrigin: localOrigin }) : "",
    beginsOn,
    endsOn,
    status,
    visibility: isPublicTo ? "PUBLIC" : "UNLISTED",
    joinOptions: join,
    externalParticipationUrl: join === "EXTERNAL" ? httpUrl(doc.externalParticipationUrl) : null,
    onlineAddress,
    category: CATEGORIES.has(category) ? category : "MEETING",
    language: language && /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(language) ? language : null,
    options: {
      timezone,
      maximumAttendeeCapacity: capacity !== null && capacity > 0 && capacity <= 1_000_000 ? Math.floor(capacity) : 0,
      commentModeration,
      isOnline: doc.isOnline === true || (!!onlineAddress && !place),
    },
    metadata,
    tags,
    address: place,
    publishedAt: date(doc.published),
  };
}
