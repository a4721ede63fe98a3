import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Config } from "../config/index.ts";

/**
 * Headers every answer carries. The Content-Security-Policy lets in map tiles from the server the admin configured,
 * if any: nothing else comes from outside.
 */
export function securityHeaders(config: Config): [string, string][] {
  const tileOrigin = config.mapTiles?.url.match(/^https?:\/\/[^/]+/)?.[0].replace("{s}", "*") ?? "";
  const csp = `default-src 'self'; img-src 'self' data: blob:${tileOrigin ? ` ${tileOrigin}` : ""}; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-src https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`;
  return [
    ["x-content-type-options", "nosniff"],
    ["referrer-policy", "same-origin"],
    ["x-frame-options", "DENY"],
    ["content-security-policy", csp],
  ];
}

/**
 * Serves the HTTP app on a Node server. The security headers are set on Node's response before the app runs: a route's
 * own value wins (the media route's stricter policy), and no route pays for building a web Headers object just to
 * carry them (bench/NOTES.md). The server (main) and the tests' real sockets both serve through here.
 */
export function serveHttp(app: Hono, config: Config, opts: { port: number; hostname: string }, onListen?: (info: { port: number }) => void) {
  const headers = securityHeaders(config);
  const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.hostname }, onListen);
  server.prependListener("request", (_req, res) => {
    for (const [name, value] of headers) (res as { setHeader(n: string, v: string): void }).setHeader(name, value);
  });
  return server;
}
