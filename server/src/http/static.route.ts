import { existsSync, readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";
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

const COMPRESSIBLE = new Set([".js", ".css", ".html", ".svg", ".json", ".webmanifest", ".txt"]);

/**
 * Serves the built web app: hashed assets cached for a year and gzipped once (kept in memory: the build is a few
 * hundred KB), every client route falls back to index.html.
 */
/** The built web app's index.html (or a notice when the app was not built). */
export function loadIndexHtml(distDir: string): string {
  const indexFile = join(distDir, "index.html");
  return existsSync(indexFile)
    ? readFileSync(indexFile, "utf8")
    : `<!doctype html><html><head><meta charset="utf-8"><title>Convene</title></head><body><p>The web app is not built. Run <code>npm run build</code>.</p></body></html>`;
}

export function mountWebApp(app: Hono, distDir: string, indexHtml: string) {
  const gzipped = new Map<string, Buffer>();

  const root = distDir.endsWith(sep) ? distDir : distDir + sep;
  app.get("*", async (c, next) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text("Bad request: the path is not valid percent-encoded UTF-8", 400);
    }
    if (path.includes("\0")) return c.text("Bad request", 400);
    if (path.startsWith("/api") || path.startsWith("/media/") || path.startsWith("/.well-known/")) return next();
    const ext = extname(path);
    if (ext && ext !== ".html") {
      // Inside the build folder only: "web/dist-old" starts with "web/dist" too, hence the separator.
      const file = normalize(join(distDir, path));
      if (!file.startsWith(root)) return c.notFound();
      try {
        if ((await stat(file)).isFile()) {
          const immutable = path.startsWith("/assets/");
          const headers: Record<string, string> = {
            "content-type": TYPES[ext] ?? "application/octet-stream",
            "cache-control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600",
            vary: "accept-encoding",
          };
          if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) {
            let gz = gzipped.get(file);
            if (!gz) {
              gz = gzipSync(await readFile(file), { level: 9 });
              gzipped.set(file, gz);
            }
            return c.body(new Uint8Array(gz), 200, { ...headers, "content-encoding": "gzip" });
          }
          return c.body(new Uint8Array(await readFile(file)), 200, headers);
        }
      } catch {
        /* fall through */
      }
      return c.notFound();
    }
    return c.html(indexHtml, 200, { "cache-control": "no-cache" });
  });
}
