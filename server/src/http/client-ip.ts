import type { Context } from "hono";
import { requestHeader } from "./request-header.ts";

/** The caller's address: the socket's, or the first X-Forwarded-For hop when the instance sits behind a proxy. */
export function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const fwd = requestHeader(c, "x-forwarded-for");
    if (fwd) return fwd.split(",")[0].trim() || null;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}
