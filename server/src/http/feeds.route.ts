import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import { DomainError } from "../kernel/index.ts";
import type { CommentService } from "../modules/comments/index.ts";
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
  app.get("/events/going/:token/:format", (c) => send(c, c.req.param("format"), (f) => feeds.goingFeed(c.req.param("token"), f), "going", "private, max-age=60"));
}

/** GET /comments/:uuid — a comment's permalink: the event page, scrolled to the comment. */
export function mountCommentLinks(app: Hono, comments: CommentService) {
  app.get("/comments/:uuid", async (c) => {
    const uuid = c.req.param("uuid");
    if (!/^[0-9a-f-]{36}$/i.test(uuid)) return c.notFound();
    try {
      const { event, comment } = await comments.eventOf(null, uuid.toLowerCase());
      return c.redirect(`/events/${event.uuid}#comment-${comment.uuid}`, 302);
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") return c.notFound();
      throw e;
    }
  });
}

const EXPORT_TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", ods: "application/vnd.oasis.opendocument.spreadsheet", pdf: "application/pdf" };

/** GET /exports/:format/:file — a participant export; the random file name is the capability, valid a day. */
export function mountExports(app: Hono, exportsDir: string) {
  app.get("/exports/:format/:file", async (c) => {
    const file = c.req.param("file");
    const format = c.req.param("format");
    if (!EXPORT_TYPES[format] || !new RegExp(`^[A-Za-z0-9_-]{20,}\\.${format}$`).test(file)) return c.notFound();
    try {
      const body = await readFile(join(exportsDir, file));
      return c.body(new Uint8Array(body), 200, { "content-type": EXPORT_TYPES[format], "content-disposition": `attachment; filename="participants.${format}"`, "cache-control": "private, no-store" });
    } catch {
      return c.notFound();
    }
  });
}
