import type { Hono } from "hono";
import { cachedText, type Db } from "../db/index.ts";
import type { Services } from "../graphql/context.ts";
import { DomainError } from "../kernel/index.ts";
import { esc, excerpt, jsonForScript, PAGE_HEADERS, postalAddress } from "./page-meta.ts";
import { formatAddress } from "../modules/events/index.ts";
import { Principal } from "../modules/users/index.ts";


/**
 * GET /events/:uuid for browsers: the web app, with the event's title, description, OpenGraph and Twitter tags, a
 * canonical link and schema.org Event JSON-LD rendered on the server, so link previews and search engines see the event
 * without running JavaScript. Only events anyone with the link may see get them; unlisted ones are marked noindex.
 */
export function mountEventPages(app: Hono, deps: { db: Db; services: Services; indexHtml: () => string; instanceName: string }) {
  app.get("/events/:uuid", async (c, next) => {
    const uuid = c.req.param("uuid");
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) return next();
    // The page is the same for every visitor (it is rendered for a stranger) until something in the database changes:
    // kept under the row cache's version rule, a visit then costs no database read (db/row-cache.ts).
    const page = await cachedText(deps.db, `event-page:${uuid.toLowerCase()}`, async () => {
      const html = await render(uuid.toLowerCase());
      return html === null ? null : Buffer.from(html);
    });
    if (page === null) return c.html(deps.indexHtml(), 404, { "cache-control": "no-cache" });
    // Kept as bytes and answered with plain headers: no encoding and no web Headers object per visit.
    return new Response(page, { status: 200, headers: PAGE_HEADERS });
  });

  /** The page of an event anyone with the link may see, or null. */
  async function render(uuid: string): Promise<string | null> {
    let event;
    try {
      event = await deps.services.events.getByUuid(Principal.anonymous, uuid);
    } catch (e) {
      if (e instanceof DomainError) return null;
      throw e;
    }
    const [address] = event.physicalAddressId ? await deps.services.events.addresses([event.physicalAddressId]) : [];
    // A group's event whose organizer asked to stay hidden is shown as the group's.
    const hidden = event.attributedToId !== null && event.options.hideOrganizerWhenGroupEvent;
    const organizer = await deps.services.actors.findById(hidden ? event.attributedToId! : event.organizerActorId);
    const picture = event.pictureId ? await deps.services.media.findById(event.pictureId) : null;
    const description = excerpt(event.description);
    const image = picture ? deps.services.media.url(picture) : null;
    const place = address ? formatAddress(address) : null;
    const ld = {
      "@context": "https://schema.org",
      "@type": "Event",
      name: event.title,
      description,
      url: event.url,
      startDate: event.beginsOn.toISOString(),
      ...(event.endsOn && { endDate: event.endsOn.toISOString() }),
      eventStatus: `https://schema.org/Event${event.status === "CANCELLED" ? "Cancelled" : "Scheduled"}`,
      eventAttendanceMode: `https://schema.org/${event.options.isOnline ? "Online" : address && event.onlineAddress ? "Mixed" : "Offline"}EventAttendanceMode`,
      location: [
        ...(address ? [{ "@type": "Place", name: address.description ?? place, address: postalAddress(address), ...(address.latitude != null && { geo: { "@type": "GeoCoordinates", latitude: address.latitude, longitude: address.longitude } }) }] : []),
        ...(event.onlineAddress ? [{ "@type": "VirtualLocation", url: event.onlineAddress }] : []),
      ],
      ...(organizer && { organizer: { "@type": organizer.type === "Group" ? "Organization" : "Person", name: organizer.name || organizer.preferredUsername, url: organizer.url } }),
      ...(image && { image: [image] }),
    };
    const head = [
      `<title>${esc(event.title)} · ${esc(deps.instanceName)}</title>`,
      `<meta name="description" content="${esc(description)}">`,
      `<link rel="canonical" href="${esc(event.url)}">`,
      ...(event.visibility !== "PUBLIC" ? [`<meta name="robots" content="noindex">`] : []),
      `<meta property="og:type" content="event">`,
      `<meta property="og:title" content="${esc(event.title)}">`,
      `<meta property="og:description" content="${esc(description)}">`,
      `<meta property="og:url" content="${esc(event.url)}">`,
      `<meta property="og:site_name" content="${esc(deps.instanceName)}">`,
      ...(image ? [`<meta property="og:image" content="${esc(image)}">`] : []),
      `<meta name="twitter:card" content="${image ? "summary_large_image" : "summary"}">`,
      `<meta name="twitter:title" content="${esc(event.title)}">`,
      `<meta name="twitter:description" content="${esc(description)}">`,
      `<script type="application/ld+json">${jsonForScript(ld)}</script>`,
    ].join("\n    ");
    // A function replacement: a string one would read "$&", "$'" and the like in user text as patterns.
    return deps.indexHtml().replace(/<title>[^<]*<\/title>/, () => head);
  }
}
