import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/**
 * One request header. Reads Node's already-parsed headers when the request came through the Node server: asking
 * Hono builds a web `Headers` object from every raw header first, which costs more than a small API request's own
 * work (bench/NOTES.md).
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.headers) {
    const v = incoming.headers[name];
    return Array.isArray(v) ? v.join(", ") : v;
  }
  return c.req.header(name);
}
