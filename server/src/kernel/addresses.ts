import { isIP } from "node:net";

/**
 * The key rate limits count an address under. IPv6 users commonly get a whole /64 to themselves, so every address of
 * a /64 counts as one; IPv4 addresses count alone.
 */
export function addressKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
