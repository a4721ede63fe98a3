import type { Context, Hono } from "hono";
import { DomainError } from "../kernel/index.ts";
import type { FeedFormat, FeedService } from "../modules/feeds/index.ts";

const TYPES: Record<FeedFormat, string> = { ics: "text/calendar; charset=utf-8", atom: "application/atom+xml; charset=utf-8" };

/** Mobilizon's feed routes: one event's .ics, a profile's feeds, the instance's, and private "going" feeds. */
export function mountFeeds(app: Hono, feeds: FeedService) {
  const send = async (c: Context, format: string, make: (f: FeedFormat) => Promise<string>, filename: string, cache = "public, max-age=300") => {
    if (format !== "ics" && format !== "atom") return c.json({ error: "Unknown format: use ics or atom" }, 400);
    try {
      const body = await make(format);
      return c.body(body, 200, {
        "content-type": TYPES[format],
        "cache-control": cache,
        ...(format === "ics" ? { "content-disposition": `inline; filename="${filename}.ics"` } : {}),
      });
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") return c.json({ error: "Not found" }, 404);
      throw e;
    }
  };

  app.get("/events/:uuid/export/:format", (c) => {
    const uuid = c.req.param("uuid");
    if (!/^[0-9a-f-]{36}$/i.test(uuid)) return c.json({ error: "Not found" }, 404);
    return c.req.param("format") === "ics" ? send(c, "ics", () => feeds.eventIcs(uuid.toLowerCase()), "event") : c.json({ error: "Unknown format: use ics" }, 400);
  });
  app.get("/:handle{@[A-Za-z0-9_]+}/feed/:format", (c) => {
    const name = (c.req.param("handle") ?? "").slice(1);
    return send(c, c.req.param("format") ?? "", (f) => feeds.actorFeed(name, f), name);
  });
  app.get("/feed/instance/:format", (c) => send(c, c.req.param("format"), (f) => feeds.instanceFeed(f), "instance"));
  // Private: never cached by shared caches.
  app.get("/events/going/:token/:format", (c) => {
    // Tokens are base64url (kernel newToken): anything else names no feed, and never reaches the database.
    const token = c.req.param("token");
    if (!/^[A-Za-z0-9_-]{16,100}$/.test(token)) return c.json({ error: "Not found" }, 404);
    return send(c, c.req.param("format"), (f) => feeds.goingFeed(token, f), "going", "private, max-age=60");
  });
}
