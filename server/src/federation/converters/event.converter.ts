import type { Urls } from "../../kernel/index.ts";
import type { Address, Event } from "../../modules/events/index.ts";
import { audienceOf, formatAddress, type Audience } from "../../modules/events/index.ts";
import { CONTEXT, PUBLIC } from "../context.ts";
import type { Picture } from "./actor.converter.ts";
import { isoInZone } from "./time.ts";

export type EventDocumentInput = {
  event: Event;
  organizerUrl: string;
  /** The group the event belongs to, if any (its followers are the audience). */
  groupUrl: string | null;
  address: (Address & { uuid?: string }) | null;
  tags: { title: string; slug: string }[];
  picture: Picture | null;
  participantCount: number;
  /** Seats taken (the capacity counts participants, not the organizer). */
  seated: number;
};

const JOIN_MODE = { FREE: "free", RESTRICTED: "restricted", INVITE: "invite", EXTERNAL: "external" } as const;
const MODERATION = { ALLOW_ALL: "allow_all", MODERATED: "moderated", CLOSED: "closed" } as const;

/** An audience in ActivityStreams terms: public → to everyone; unlisted → to followers, everyone in cc (Mobilizon's rule; also what anything not public falls back to). */
export function addressing(a: Audience, followersUrl: string): { to: string[]; cc: string[] } {
  return a?.publicly === "to" ? { to: [PUBLIC], cc: [followersUrl] } : { to: [followersUrl], cc: [PUBLIC] };
}

/** A line for microblogging software, which shows `summary` (Mastodon): when and where. */
function summaryLine(e: Event, address: Address | null): string {
  const zone = e.options.timezone ?? "UTC";
  let when: string;
  try {
    when = new Intl.DateTimeFormat("en-GB", { timeZone: zone, dateStyle: "full", timeStyle: "short" }).format(e.beginsOn) + ` (${zone})`;
  } catch {
    when = e.beginsOn.toISOString();
  }
  const where = address ? formatAddress(address) : e.options.isOnline ? "Online" : null;
  return [when, where].filter(Boolean).join(" – ");
}

/**
 * A local event as Mobilizon and FEP-8a8e peers read it (federation.md §2.2): Mobilizon's terms (joinMode,
 * repliesModerationOption, ical:status, timezone…) and FEP-8a8e's (organizers, eventStatus), times in the event's
 * own offset, the address as a Place with a PostalAddress, the online address as a `Website` link, metadata as
 * PropertyValues, the picture as a `Banner` document, `to`/`cc` always arrays with the full Public IRI.
 */
export function toEvent(i: EventDocumentInput, urls: Urls, followersUrl: string): Record<string, unknown> {
  const e = i.event;
  const tz = e.options.timezone;
  const cap = e.options.maximumAttendeeCapacity;
  const attributedTo = i.groupUrl ?? i.organizerUrl;
  const attachment: Record<string, unknown>[] = e.metadata.map((m) => ({
    type: "PropertyValue",
    propertyID: m.key,
    name: m.title ?? undefined,
    value: m.type === "BOOLEAN" ? m.value === "true" : m.type === "INTEGER" ? Number(m.value) : m.value,
  }));
  if (e.onlineAddress) attachment.push({ type: "Link", href: e.onlineAddress, mediaType: "text/html", name: "Website" });
  if (i.picture) attachment.push({ type: "Document", mediaType: i.picture.mediaType, url: i.picture.url, name: "Banner" });
  const a = i.address;
  const doc: Record<string, unknown> = {
    "@context": CONTEXT,
    id: e.url,
    type: "Event",
    url: e.url,
    name: e.title,
    content: e.description,
    mediaType: "text/html",
    summary: summaryLine(e, a),
    startTime: isoInZone(e.beginsOn, tz),
    endTime: e.endsOn ? isoInZone(e.endsOn, tz) : null,
    timezone: tz,
    actor: i.organizerUrl,
    attributedTo,
    organizers: [attributedTo],
    // FEP-1b12: the group an event belongs to (Lemmy, PieFed, NodeBB, PeerTube read it; Mobilizon ignores it).
    ...(i.groupUrl && { audience: i.groupUrl }),
    uuid: e.uuid,
    category: e.category ?? "MEETING",
    joinMode: JOIN_MODE[e.joinOptions],
    externalParticipationUrl: e.externalParticipationUrl,
    maximumAttendeeCapacity: cap > 0 ? cap : null,
    // What the organizer chose not to show here is not published elsewhere either.
    remainingAttendeeCapacity: cap > 0 && e.options.showRemainingAttendeeCapacity ? Math.max(0, cap - i.seated) : null,
    participantCount: e.options.hideNumberOfParticipants ? null : i.participantCount,
    anonymousParticipationEnabled: e.options.anonymousParticipation,
    repliesModerationOption: MODERATION[e.options.commentModeration],
    commentsEnabled: e.options.commentModeration === "ALLOW_ALL",
    status: e.status,
    "ical:status": e.status,
    eventStatus: e.status,
    draft: false,
    isOnline: e.options.isOnline,
    inLanguage: e.language ?? undefined,
    contacts: [],
    published: (e.publishAt ?? e.insertedAt).toISOString(),
    updated: e.updatedAt.toISOString(),
    tag: i.tags.map((t) => ({ type: "Hashtag", name: `#${t.title}`, href: urls.tag(t.slug) })),
    attachment,
    ...addressing(audienceOf(e), followersUrl),
  };
  if (a) {
    doc.location = {
      type: "Place",
      id: a.url ?? undefined,
      name: a.description ?? a.street ?? a.locality ?? "",
      address: {
        type: "PostalAddress",
        streetAddress: a.street ?? undefined,
        postalCode: a.postalCode ?? undefined,
        addressLocality: a.locality ?? undefined,
        addressRegion: a.region ?? undefined,
        addressCountry: a.country ?? undefined,
      },
      ...(a.latitude !== null && a.longitude !== null && { latitude: a.latitude, longitude: a.longitude }),
    };
  }
  return doc;
}
