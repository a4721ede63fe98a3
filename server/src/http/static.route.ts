import { existsSync, readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import type { Hono } from "hono";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves the built web app: hashed assets cached for a year, every client route falls back to index.html. */
export function mountWebApp(app: Hono, distDir: string) {
  const indexFile = join(distDir, "index.html");
  const indexHtml = existsSync(indexFile)
    ? readFileSync(indexFile, "utf8")
    : `<!doctype html><html><head><meta charset="utf-8"><title>Convene</title></head><body><p>The web app is not built. Run <code>npm run build</code>.</p></body></html>`;

  app.get("*", async (c, next) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path.startsWith("/api") || path.startsWith("/media/") || path.startsWith("/.well-known/")) return next();
    const ext = extname(path);
    if (ext && ext !== ".html") {
      const file = normalize(join(distDir, path));
      if (!file.startsWith(distDir)) return c.notFound();
      try {
        if ((await stat(file)).isFile()) {
          const body = await readFile(file);
          const immutable = path.startsWith("/assets/");
          return c.body(body, 200, {
            "content-type": TYPES[ext] ?? "application/octet-stream",
            "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600",
          });
        }
      } catch {
        /* fall through */
      }
      return c.notFound();
    }
    return c.html(indexHtml, 200, { "cache-control": "no-cache" });
  });
}
