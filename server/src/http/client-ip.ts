import { BlockList, isIP } from "node:net";
import type { Context } from "hono";
import { requestHeader } from "./request-header.ts";

/** Whether an address is one of the reverse proxies the admin trusts (TRUST_PROXY). */
export type TrustedProxies = ((address: string) => boolean) | null;

/** "::ffff:192.0.2.1" (an IPv4 peer on a dual-stack socket) → "192.0.2.1". */
const plain = (a: string) => (a.startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

/** The trusted proxies of the configuration (addresses or CIDR ranges), or null when none is trusted. */
export function trustedProxies(ranges: readonly string[]): TrustedProxies {
  if (ranges.length === 0) return null;
  const list = new BlockList();
  for (const r of ranges) {
    const [address, prefix] = r.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const a = plain(address);
    const family = isIP(a);
    return family !== 0 && list.check(a, family === 6 ? "ipv6" : "ipv4");
  };
}

/**
 * The caller's address. Without trusted proxies, the socket's peer. Behind trusted proxies, the address the outermost
 * trusted proxy saw: X-Forwarded-For read from the right, skipping the proxies' own addresses. The entries to the
 * left of that one were written by the client and prove nothing, so they are never taken.
 */
export function clientIp(c: Context, proxies: TrustedProxies): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress ? plain(incoming.socket.remoteAddress) : null;
  if (!proxies || !peer || !proxies(peer)) return peer;
  const hops = (requestHeader(c, "x-forwarded-for") ?? "").split(",").map((h) => plain(h.trim())).filter(Boolean);
  let last = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    if (isIP(hops[i]) === 0) return last; // a proxy never writes that: stop at the last address known good
    if (!proxies(hops[i])) return hops[i];
    last = hops[i];
  }
  return last;
}
