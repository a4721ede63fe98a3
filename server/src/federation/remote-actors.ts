import type { Services } from "../graphql/context.ts";
import { HOUR, type Clock, type Logger } from "../kernel/index.ts";
import type { Actor } from "../modules/actors/index.ts";
import type { ApFetcher } from "./fetcher.ts";
import { parseActor } from "./parse/actor.parser.ts";
import { hostOf } from "./parse/json.ts";
import { pictureUrl } from "./pictures.ts";

/** A remote actor read longer ago than this is read again when it is needed (Mobilizon's 48 hours). */
export const STALE_AFTER = 48 * HOUR;
/** How long an actor whose key could not be read is not asked again. */
const MISS_KEPT_MS = 5 * 60_000;

/** Remote actors: found in the database, or fetched from their server and stored; refreshed when stale. */
export class RemoteActors {
  private readonly fetcher: ApFetcher;
  private readonly s: Services;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly pending = new Map<string, Promise<Actor | null>>();
  private readonly misses = new Map<string, number>();
  /** Asks for copies of an actor's pictures (set by the federation: it owns the job queue). */
  pictures: ((actor: Actor, urls: { avatar: string | null; banner: string | null }) => Promise<void>) | null = null;
  constructor(fetcher: ApFetcher, services: Services, clock: Clock, logger: Logger) {
    this.fetcher = fetcher;
    this.s = services;
    this.clock = clock;
    this.logger = logger;
  }

  /** The actor at a URL: a local one as it is, a remote one stored (fetched when unknown, stale or `refresh`). */
  async get(url: string, opts: { refresh?: boolean } = {}): Promise<Actor | null> {
    const known = await this.s.federatedActors.findByUrl(url);
    if (known && known.domain === null) return known.deletedAt ? null : known;
    const fresh = known?.lastRefreshedAt && this.clock.now().getTime() - known.lastRefreshedAt.getTime() < STALE_AFTER;
    if (known && fresh && !opts.refresh) return known.deletedAt || known.suspended ? null : known;
    if (this.s.urls.isLocal(url)) return null;
    let p = this.pending.get(url);
    if (!p) {
      p = this.fetch(url, known).finally(() => this.pending.delete(url));
      this.pending.set(url, p);
    }
    return p;
  }

  private async fetch(url: string, known: Actor | null): Promise<Actor | null> {
    const r = await this.fetcher.get(url);
    if (r.kind !== "ok") {
      if (r.kind !== "gone") this.logger.info("remote actor not fetched", { url, result: r.kind, message: "message" in r ? r.message : undefined });
      // A server that is down does not make its actors disappear; one that says they are gone does.
      return r.kind === "gone" || r.kind === "refused" ? null : known && !known.deletedAt && !known.suspended ? known : null;
    }
    const parsed = parseActor(r.json, r.url, this.s.urls.base);
    if (typeof parsed === "string") {
      this.logger.info("remote actor refused", { url, reason: parsed });
      return null;
    }
    // Asked for one URL, answered with another actor (an alias on the same server is fine; another server is not).
    if (hostOf(parsed.url) !== hostOf(url)) return null;
    if (parsed.url !== url) {
      const other = await this.s.federatedActors.findByUrl(parsed.url);
      if (other?.domain === null) return null;
    }
    const actor = await this.s.federatedActors.persistRemote(parsed);
    if (this.pictures && !actor.suspended) await this.pictures(actor, { avatar: pictureUrl(r.json.icon), banner: pictureUrl(r.json.image) });
    return actor.suspended ? null : actor;
  }

  /**
   * The public key a signature names, with its actor: the stored one, or the actor fetched (the keyId is the actor's
   * URL with a fragment, or `…/publickey` for Mobilizon's old form). `refresh` re-reads the actor (a rotated key).
   */
  async keyFor(keyId: string, opts: { refresh?: boolean } = {}): Promise<{ actor: Actor; pem: string; stored: boolean } | null> {
    if (!opts.refresh) {
      const key = await this.s.federatedActors.keyById(keyId);
      if (key) {
        const [actor] = await this.s.actors.findByIds([key.actorId]);
        if (actor && !actor.suspended) return { actor, pem: key.publicKeyPem, stored: true };
      }
    }
    const actorUrl = keyId.replace(/#.*$/, "").replace(/\/publickey$/i, "");
    // A key that could not be found a moment ago is not looked for again at once (each look-up is a request).
    const failed = this.misses.get(actorUrl);
    if (failed && this.clock.now().getTime() - failed < MISS_KEPT_MS) return null;
    const actor = await this.get(actorUrl, { refresh: true });
    const key = actor ? await this.s.federatedActors.keyById(keyId) : null;
    if (!actor || !key || key.actorId !== actor.id) {
      if (this.misses.size > 10_000) this.misses.clear();
      this.misses.set(actorUrl, this.clock.now().getTime());
      return null;
    }
    this.misses.delete(actorUrl);
    return { actor, pem: key.publicKeyPem, stored: false };
  }
}
