import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type http from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * Every request the instance makes to a URL someone else chose (federation fetches and deliveries, later link
 * previews) goes through here: no loopback, private, link-local or otherwise internal address — checked on the
 * address actually connected to (a name that resolves to 10.0.0.1 is refused, whatever it resolved to a moment
 * before), on every redirect hop — and bounded in time and size. `allowPrivate` (ALLOW_PRIVATE_ADDRESSES) lifts the
 * address rule and admits plain http:// for tests and closed networks.
 */

const internal = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const)
  internal.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["2001:db8::", 32]] as const)
  internal.addSubnet(net, prefix, "ipv6");

/** Whether an IP address is one a public server never has (loopback, private, link-local, reserved…). */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return internal.check(mapped[1], "ipv4");
    return internal.check(address, "ipv6");
  }
  return true;
}

export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

export type OutboundResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; url: string };

export type OutboundOptions = {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Longest time for the whole exchange (connect, headers and body). */
  timeoutMs?: number;
  /** Largest response body read; beyond it the request fails. */
  maxBytes?: number;
  /** Redirects followed (GET only); each hop is checked as the first. */
  maxRedirects?: number;
  /** Headers to add for each hop (a signature covers the URL it goes to). */
  signHop?: (url: string) => Record<string, string>;
};

export class OutboundHttp {
  private readonly allowPrivate: boolean;
  private readonly userAgent: string;
  constructor(opts: { allowPrivate: boolean; userAgent: string }) {
    this.allowPrivate = opts.allowPrivate;
    this.userAgent = opts.userAgent;
  }

  /** Throws OutboundRefused when the URL may not be fetched at all (scheme, port, literal internal address). */
  check(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundRefused("not a URL");
    }
    if (url.protocol !== "https:" && !(this.allowPrivate && url.protocol === "http:")) throw new OutboundRefused(`scheme ${url.protocol} refused (https only)`);
    if (url.username || url.password) throw new OutboundRefused("URLs with credentials are refused");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (!this.allowPrivate && isIP(host) && isInternalAddress(host)) throw new OutboundRefused(`address ${host} is internal`);
    if (!this.allowPrivate && /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) throw new OutboundRefused(`host ${host} is internal`);
    return url;
  }

  private lookup = (hostname: string, options: object, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, "");
      const list = addresses as LookupAddress[];
      if (!this.allowPrivate) {
        const bad = list.find((a) => isInternalAddress(a.address));
        if (bad) return cb(Object.assign(new OutboundRefused(`${hostname} resolves to the internal address ${bad.address}`), { code: "EREFUSED" }), "");
      }
      if ((options as { all?: boolean }).all) return cb(null, list);
      return cb(null, list[0].address, list[0].family);
    });
  };

  /** One exchange with redirects followed for GET; throws OutboundRefused, or an Error on timeout, size or network failure. */
  async request(raw: string, opts: OutboundOptions = {}): Promise<OutboundResponse> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    let url = raw;
    for (let hop = 0; ; hop++) {
      const res = await this.once(url, opts, deadline);
      const location = res.headers.location;
      if ((opts.method ?? "GET") === "GET" && [301, 302, 303, 307, 308].includes(res.status) && location) {
        if (hop >= (opts.maxRedirects ?? 3)) throw new Error("too many redirects");
        url = new URL(location, url).href;
        continue;
      }
      return { ...res, url };
    }
  }

  private async once(raw: string, opts: OutboundOptions, deadline: number): Promise<Omit<OutboundResponse, "url">> {
    const url = this.check(raw);
    // Loaded on first use: an instance that never calls out does not carry the TLS client.
    const mod = url.protocol === "https:" ? await import("node:https") : await import("node:http");
    const maxBytes = opts.maxBytes ?? 1_000_000;
    const headers: Record<string, string> = { "user-agent": this.userAgent, ...opts.headers, ...opts.signHop?.(url.href) };
    if (opts.body !== undefined) headers["content-length"] = String(Buffer.byteLength(opts.body));
    return new Promise((resolve, reject) => {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return reject(new Error("timed out"));
      const req = mod.request(url, { method: opts.method ?? "GET", headers, lookup: this.lookup as never, timeout: remaining }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers["content-length"] ?? NaN);
        if (declared > maxBytes) {
          req.destroy();
          return reject(new Error(`response larger than ${maxBytes} bytes`));
        }
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new Error(`response larger than ${maxBytes} bytes`));
          } else chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      const timer = setTimeout(() => req.destroy(new Error("timed out")), remaining);
      req.on("close", () => clearTimeout(timer));
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", reject);
      req.end(opts.body);
    });
  }
}
