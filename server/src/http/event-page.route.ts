import type { Hono } from "hono";
import type { Services } from "../graphql/context.ts";
import { DomainError } from "../kernel/index.ts";
import { escapeHtml, htmlToText } from "../modules/content/index.ts";
import { formatAddress } from "../modules/events/index.ts";

const esc = escapeHtml;
// JSON inside <script> must not be able to close the tag.
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

/**
 * GET /events/:uuid for browsers: the web app, with the event's title, description, OpenGraph and Twitter tags, a
 * canonical link and schema.org Event JSON-LD rendered on the server, so link previews and search engines see the event
 * without running JavaScript. Only events anyone with the link may see get them; unlisted ones are marked noindex.
 */
export function mountEventPages(app: Hono, deps: { services: Services; indexHtml: () => string; instanceName: string }) {
  // Rendered heads, keyed by event and its last change: a visit costs one indexed read when nothing changed. An
  // entry also expires after a minute, for changes made elsewhere (the organizer's name, the picture).
  const cache = new Map<string, { updatedAt: number; at: number; html: string }>();
  const MAX = 2000;

  app.get("/events/:uuid", async (c, next) => {
    const uuid = c.req.param("uuid");
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) return next();
    let event;
    try {
      event = await deps.services.events.getByUuid(null, uuid.toLowerCase());
    } catch (e) {
      if (e instanceof DomainError) return c.html(deps.indexHtml(), 404, { "cache-control": "no-cache" });
      throw e;
    }
    const hit = cache.get(event.uuid);
    if (hit && hit.updatedAt === event.updatedAt.getTime() && Date.now() - hit.at < 60_000) return c.html(hit.html, 200, { "cache-control": "no-cache" });
    const [address] = event.physicalAddressId ? await deps.services.events.addresses([event.physicalAddressId]) : [];
    const organizer = await deps.services.actors.findById(event.organizerActorId);
    const picture = event.pictureId ? await deps.services.media.findById(event.pictureId) : null;
    const description = htmlToText(event.description).replace(/\s+/g, " ").slice(0, 300);
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
        ...(address ? [{ "@type": "Place", name: address.description ?? place, address: { "@type": "PostalAddress", streetAddress: address.street, addressLocality: address.locality, postalCode: address.postalCode, addressRegion: address.region, addressCountry: address.country }, ...(address.latitude != null && { geo: { "@type": "GeoCoordinates", latitude: address.latitude, longitude: address.longitude } }) }] : []),
        ...(event.onlineAddress ? [{ "@type": "VirtualLocation", url: event.onlineAddress }] : []),
      ],
      ...(organizer && { organizer: { "@type": "Person", name: organizer.name || organizer.preferredUsername, url: organizer.url } }),
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
    const html = deps.indexHtml().replace(/<title>[^<]*<\/title>/, () => head);
    if (cache.size >= MAX) cache.delete(cache.keys().next().value as string);
    cache.set(event.uuid, { updatedAt: event.updatedAt.getTime(), at: Date.now(), html });
    return c.html(html, 200, { "cache-control": "no-cache" });
  });
}
