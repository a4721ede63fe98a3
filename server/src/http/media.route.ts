import { readFile } from "node:fs/promises";
import type { Hono } from "hono";
import type { MediaService } from "../modules/media/index.ts";

const TYPES: Record<string, string> = { jpg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp" };

/** GET /media/:file — uploaded pictures, immutable (a new upload gets a new name). */
export function mountMedia(app: Hono, media: MediaService) {
  app.get("/media/:file", async (c) => {
    const name = c.req.param("file");
    const file = media.fileFor(name);
    if (!file) return c.notFound();
    try {
      const body = await readFile(file);
      return c.body(body, 200, {
        "content-type": TYPES[name.split(".").pop()!]!,
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'",
      });
    } catch {
      return c.notFound();
    }
  });
}
