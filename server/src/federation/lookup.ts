import type { Services } from "../graphql/context.ts";
import type { Logger, OutboundHttp } from "../kernel/index.ts";
import type { Actor, RemoteLookup } from "../modules/actors/index.ts";
import { asArray, httpUrl, isObject } from "./parse/json.ts";
import type { RemoteActors } from "./remote-actors.ts";

const FEP_2677 = "https://www.w3.org/ns/activitystreams#Application";

/**
 * Finds actors on other servers: WebFinger (`acct:user@host`, the `self` link typed application/activity+json or
 * ld+json), NodeInfo (the FEP-2677 instance actor link, and what the server runs), or an actor's URL. Every request
 * goes through the outbound guard; with ALLOW_PRIVATE_ADDRESSES a server is also tried over http.
 */
export class Lookup implements RemoteLookup {
  private readonly http: OutboundHttp;
  private readonly actors: RemoteActors;
  private readonly s: Services;
  private readonly logger: Logger;
  private readonly allowHttp: boolean;
  private readonly persist: (url: string) => Promise<unknown>;
  constructor(d: { http: OutboundHttp; actors: RemoteActors; services: Services; logger: Logger; allowHttp: boolean; persist: (url: string) => Promise<unknown> }) {
    this.persist = d.persist;
    this.http = d.http;
    this.actors = d.actors;
    this.s = d.services;
    this.logger = d.logger;
    this.allowHttp = d.allowHttp;
  }

  private async json(path: string, host: string): Promise<{ json: Record<string, unknown>; origin: string } | null> {
    for (const scheme of this.allowHttp ? ["https", "http"] : ["https"]) {
      const origin = `${scheme}://${host}`;
      try {
        const r = await this.http.request(`${origin}${path}`, { headers: { accept: "application/jrd+json, application/json" }, maxBytes: 200_000, timeoutMs: 8_000 });
        if (r.status !== 200) continue;
        const json = JSON.parse(r.body.toString("utf8"));
        if (isObject(json)) return { json, origin };
      } catch {
        /* the next scheme, or nothing */
      }
    }
    return null;
  }

  async instanceActor(domain: string): Promise<Actor | null> {
    const host = domain.toLowerCase();
    if (await this.s.peers.isBlocked(host)) return null;
    const ni = await this.json("/.well-known/nodeinfo", host);
    const links = ni ? asArray(ni.json.links).filter(isObject) : [];
    const app = links.find((l) => l.rel === FEP_2677);
    const doc = links.find((l) => String(l.rel).endsWith("/schema/2.1")) ?? links.find((l) => String(l.rel).endsWith("/schema/2.0"));
    const docUrl = doc ? httpUrl(doc.href) : null;
    if (docUrl && ni) {
      const info = await this.json(new URL(docUrl).pathname, host);
      const software = info && isObject(info.json.software) ? info.json.software : null;
      const meta = info && isObject(info.json.metadata) ? info.json.metadata : null;
      if (software)
        await this.s.peers.noteSoftware(host, {
          software: typeof software.name === "string" ? software.name.toLowerCase().slice(0, 100) : null,
          softwareVersion: typeof software.version === "string" ? software.version.slice(0, 100) : null,
          nodeName: meta && typeof meta.nodeName === "string" ? meta.nodeName.slice(0, 200) : null,
        });
    }
    const appUrl = app ? httpUrl(app.href) : null;
    if (appUrl) {
      const a = await this.actors.get(appUrl);
      if (a) return a;
    }
    // Mobilizon's fallback: the instance actor is relay@domain.
    return this.actor(`relay@${host}`);
  }

  async event(url: string): Promise<number | null> {
    if (this.s.urls.isLocal(url)) return (await this.s.remoteEvents.findByUrl(url))?.id ?? null;
    const known = await this.s.remoteEvents.findByUrl(url);
    if (known) return known.id;
    await this.persist(url);
    return (await this.s.remoteEvents.findByUrl(url))?.id ?? null;
  }

  async interactionUrl(account: string, uri: string): Promise<string | null> {
    const m = /^@?([^@\s/]+)@([a-z0-9.-]+(?::\d{1,5})?)$/i.exec(account.trim());
    if (!m) return null;
    const host = m[2].toLowerCase();
    if (host === this.s.urls.host || (await this.s.peers.isBlocked(host))) return null;
    const wf = await this.json(`/.well-known/webfinger?resource=${encodeURIComponent(`acct:${m[1]}@${host}`)}`, host);
    const link = wf ? asArray(wf.json.links).filter(isObject).find((l) => l.rel === "http://ostatus.org/schema/1.0/subscribe" && typeof l.template === "string") : null;
    if (!link) return null;
    const target = String(link.template).replace("{uri}", encodeURIComponent(uri));
    // Only a link to that account's own server: a WebFinger answer cannot send the visitor anywhere else.
    return httpUrl(target) && new URL(target).host.toLowerCase() === host ? target : null;
  }

  async actor(address: string): Promise<Actor | null> {
    const a = address.trim().replace(/^@/, "");
    if (/^https?:\/\//i.test(a)) return this.actors.get(a);
    const m = /^([^@\s/]+)@([a-z0-9.-]+(?::\d{1,5})?)$/i.exec(a);
    if (!m) return null;
    const host = m[2].toLowerCase();
    if (host === this.s.urls.host) return this.s.actors.findLocal(m[1]);
    if (await this.s.peers.isBlocked(host)) return null;
    const wf = await this.json(`/.well-known/webfinger?resource=${encodeURIComponent(`acct:${m[1]}@${host}`)}`, host);
    if (!wf) return null;
    const self = asArray(wf.json.links)
      .filter(isObject)
      .find((l) => l.rel === "self" && (l.type === "application/activity+json" || String(l.type ?? "").startsWith("application/ld+json")));
    const href = self ? httpUrl(self.href) : null;
    if (!href) {
      this.logger.info("WebFinger answer without an ActivityPub link", { address: a });
      return null;
    }
    return this.actors.get(href);
  }
}
