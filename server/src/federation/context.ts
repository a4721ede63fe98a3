/**
 * The JSON-LD context of every document we serve: ActivityStreams, the security vocabulary, and Mobilizon's terms
 * (so Mobilizon reads them as its own), without Mobilizon's redefinition of `location` (which hides `as:location`
 * from JSON-LD processors: federation.md §0.4), plus the FEP-8a8e event terms.
 */
export const AS = "https://www.w3.org/ns/activitystreams";
export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** A document as it goes inside an activity or a collection: without its own `@context`. */
export function embedded<T extends Record<string, unknown>>(doc: T): Omit<T, "@context"> {
  const { "@context": _, ...rest } = doc;
  void _;
  return rest;
}

export const CONTEXT = [
  AS,
  "https://w3id.org/security/v1",
  {
    "@language": "und",
    sc: "http://schema.org#",
    ical: "http://www.w3.org/2002/12/cal/ical#",
    pt: "https://joinpeertube.org/ns#",
    toot: "http://joinmastodon.org/ns#",
    mz: "https://joinmobilizon.org/ns#",
    fep8a8e: "https://w3id.org/fep/8a8e/",
    discoverable: "toot:discoverable",
    manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
    Hashtag: "as:Hashtag",
    category: "sc:category",
    uuid: "sc:identifier",
    maximumAttendeeCapacity: "sc:maximumAttendeeCapacity",
    remainingAttendeeCapacity: "sc:remainingAttendeeCapacity",
    PostalAddress: "sc:PostalAddress",
    address: { "@id": "sc:address", "@type": "sc:PostalAddress" },
    addressCountry: "sc:addressCountry",
    addressRegion: "sc:addressRegion",
    postalCode: "sc:postalCode",
    addressLocality: "sc:addressLocality",
    streetAddress: "sc:streetAddress",
    PropertyValue: "sc:PropertyValue",
    value: "sc:value",
    propertyID: "sc:propertyID",
    inLanguage: "sc:inLanguage",
    VirtualLocation: "sc:VirtualLocation",
    repliesModerationOption: { "@id": "mz:repliesModerationOption", "@type": "mz:repliesModerationOptionType" },
    joinMode: { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
    commentsEnabled: { "@id": "pt:commentsEnabled", "@type": "sc:Boolean" },
    anonymousParticipationEnabled: { "@id": "mz:anonymousParticipationEnabled", "@type": "sc:Boolean" },
    participationMessage: { "@id": "mz:participationMessage", "@type": "sc:Text" },
    participantCount: { "@id": "mz:participantCount", "@type": "sc:Integer" },
    memberCount: { "@id": "mz:memberCount", "@type": "sc:Integer" },
    isOnline: { "@id": "mz:isOnline", "@type": "sc:Boolean" },
    externalParticipationUrl: { "@id": "mz:externalParticipationUrl", "@type": "sc:Text" },
    timezone: { "@id": "mz:timezone", "@type": "sc:Text" },
    status: { "@id": "ical:status", "@type": "ical:status" },
    eventStatus: "fep8a8e:eventStatus",
    organizers: { "@id": "fep8a8e:organizers", "@type": "@id" },
    discussions: { "@id": "mz:discussions", "@type": "@id" },
    events: { "@id": "mz:events", "@type": "@id" },
    members: { "@id": "mz:members", "@type": "@id" },
    posts: { "@id": "mz:posts", "@type": "@id" },
    resources: { "@id": "mz:resources", "@type": "@id" },
    todos: { "@id": "mz:todos", "@type": "@id" },
    openness: { "@id": "mz:openness", "@type": "@id" },
  },
] as const;

/** The media type of our documents; `application/ld+json; profile=…` is accepted as well when asked for. */
export const AP_CONTENT_TYPE = "application/activity+json; charset=utf-8";

/** Whether a request asks for ActivityStreams rather than a page (servers ask for it; browsers prefer HTML). */
export function wantsActivityJson(accept: string | undefined | null): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((part) => {
    const [type, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return { type: type.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, params: params.join(";") };
  });
  const ap = types.filter((t) => t.type === "application/activity+json" || t.type === "application/ld+json" || t.type === "application/json");
  if (ap.length === 0) return false;
  const html = types.find((t) => t.type === "text/html" || t.type === "application/xhtml+xml");
  const best = Math.max(...ap.map((t) => t.q));
  if (best <= 0) return false;
  if (!html) return true;
  // Browsers list text/html first; a server asking for both with the same weight names ActivityStreams first.
  return best > html.q || (best === html.q && types.indexOf(ap[0]) < types.indexOf(html));
}
