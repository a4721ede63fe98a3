import { OutboundRefused, type OutboundHttp } from "../kernel/index.ts";
import type { Services } from "../graphql/context.ts";
import type { Actor } from "../modules/actors/index.ts";
import { hostOf, isObject, type Json } from "./parse/json.ts";
import { signCavage } from "./signatures.ts";

export type FetchResult = { kind: "ok"; json: Json; url: string } | { kind: "gone" } | { kind: "missing" } | { kind: "refused"; message: string } | { kind: "error"; message: string };

const ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

/**
 * Fetches ActivityStreams documents from other servers, signed by the instance actor (servers in "authorized fetch"
 * mode require it; Mobilizon ignores it), through the outbound guard (no internal addresses, 1 MB, 10 s, redirects
 * re-checked). Blocked domains are not asked.
 */
export class ApFetcher {
  private readonly http: OutboundHttp;
  private readonly s: Services;
  constructor(http: OutboundHttp, services: Services) {
    this.http = http;
    this.s = services;
  }

  /** A document, signed by the instance actor, or by `as` (one of our actors: a group's member reading what members see). */
  async get(url: string, as: Actor | null = null): Promise<FetchResult> {
    const host = hostOf(url);
    if (!host) return { kind: "refused", message: "not a URL" };
    if (this.s.urls.isLocal(url)) return { kind: "refused", message: "a local URL is not fetched" };
    if (await this.s.peers.isBlocked(host)) return { kind: "refused", message: `${host} is blocked` };
    const signer = as && as.domain === null ? as : await this.s.federatedActors.instanceActor();
    const key = await this.s.federatedActors.keyPairOf(signer);
    try {
      const res = await this.http.request(url, {
        headers: { accept: ACCEPT },
        signHop: (hop) => signCavage({ method: "GET", url: hop, headers: { accept: ACCEPT } }, { keyId: key.keyId, privateKeyPem: key.privateKeyPem! }),
        maxBytes: 1_000_000,
        timeoutMs: 10_000,
      });
      // A document is its own server's word: one reached through a redirect to another server is not taken.
      if (hostOf(res.url) !== host) return { kind: "refused", message: "redirected to another server" };
      if (res.status === 410) return { kind: "gone" };
      if (res.status === 404) return { kind: "missing" };
      if (res.status < 200 || res.status >= 300) return { kind: "error", message: `HTTP ${res.status}` };
      if (!/json/i.test(String(res.headers["content-type"] ?? ""))) return { kind: "error", message: "not JSON" };
      let json: unknown;
      try {
        json = JSON.parse(res.body.toString("utf8"));
      } catch {
        return { kind: "error", message: "invalid JSON" };
      }
      if (!isObject(json)) return { kind: "error", message: "not a JSON object" };
      return { kind: "ok", json, url: res.url };
    } catch (e) {
      if (e instanceof OutboundRefused) return { kind: "refused", message: e.message };
      return { kind: "error", message: e instanceof Error ? e.message : String(e) };
    }
  }
}
