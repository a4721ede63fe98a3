import type { Db } from "../../db/index.ts";
import { DomainError, invalid, notFound } from "../../kernel/index.ts";
import type { Actor, ActorService, FederatedActorService, RemoteLookup } from "../actors/index.ts";
import type { Follow, FollowService } from "../follows/index.ts";
import type { PeerService } from "../peers/index.ts";
import type { Principal } from "../users/index.ts";
import { requireRelayAdmin } from "./relay.policy.ts";
import { relayQueries, type InstanceRow } from "./relay.queries.ts";

export type RelaysDeps = { db: Db; ownHost: string; actors: ActorService; federatedActors: FederatedActorService; follows: FollowService; peers: PeerService; lookup: () => RemoteLookup };

/** "relay@example.org", "example.org" or "https://example.org/…" → "example.org" (with its port). */
export function domainOf(address: string): string {
  const a = address.trim().toLowerCase();
  if (!a || a.length > 300) throw invalid("address", "An instance is named by its domain");
  try {
    if (/^https?:\/\//.test(a)) return new URL(a).host;
  } catch {
    throw invalid("address", "Not a domain or an address");
  }
  const host = a.includes("@") ? a.slice(a.lastIndexOf("@") + 1) : a;
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host) || !host.includes(".")) throw invalid("address", "Not a domain or an address");
  return host;
}

/**
 * Instance follows (Mobilizon's relays): an administrator follows another server's instance actor so that its public
 * events come here, and approves or refuses the servers that ask to follow this one. The activities (Follow, Accept,
 * Reject, Undo) follow from the follows' domain events.
 */
export class RelayService {
  private readonly d: RelaysDeps;
  constructor(d: RelaysDeps) {
    this.d = d;
  }

  /** Follows another server's instance actor (addInstance): it answers when its administrators decide. */
  async follow(caller: Principal, address: string): Promise<InstanceRow> {
    requireRelayAdmin(caller);
    const domain = domainOf(address);
    if (await this.d.peers.isBlocked(domain)) throw new DomainError("forbidden", "This instance is blocked", "domain");
    const target = await this.d.lookup().instanceActor(domain);
    if (!target) throw notFound("Instance (no instance actor found at this domain)");
    const relay = await this.d.federatedActors.instanceActor();
    await this.d.follows.request({ followerId: relay.id, targetId: target.id, approved: false });
    return this.instance(caller, domain);
  }

  private async followerFrom(domain: string): Promise<Follow> {
    const relay = await this.d.federatedActors.instanceActor();
    const f = await this.d.follows.withDomain("target", relay.id, domain);
    if (!f) throw notFound("Relay follower");
    return f;
  }

  /** Approves another server's follow of this one (acceptRelay). */
  async accept(caller: Principal, address: string): Promise<Follow> {
    requireRelayAdmin(caller);
    return this.d.follows.approve(await this.followerFrom(domainOf(address)));
  }

  /** Refuses (or ends) another server's follow of this one (rejectRelay). */
  async reject(caller: Principal, address: string): Promise<Follow> {
    requireRelayAdmin(caller);
    const f = await this.followerFrom(domainOf(address));
    await this.d.follows.remove(f, "rejected");
    return f;
  }

  /** Stops following another server (removeRelay). */
  async unfollow(caller: Principal, address: string): Promise<Follow> {
    requireRelayAdmin(caller);
    const relay = await this.d.federatedActors.instanceActor();
    const f = await this.d.follows.withDomain("follower", relay.id, domainOf(address));
    if (!f) throw notFound("Relay following");
    await this.d.follows.remove(f, "removed");
    return f;
  }

  /** Servers following this one, waiting or approved (relayFollowers). */
  async followers(caller: Principal, page: number, limit: number) {
    requireRelayAdmin(caller);
    const relay = await this.d.federatedActors.instanceActor();
    return this.d.follows.followersOf(relay.id, { approved: null, page, limit });
  }

  /** Servers this one follows (relayFollowings). */
  async followings(caller: Principal, page: number, limit: number) {
    requireRelayAdmin(caller);
    const relay = await this.d.federatedActors.instanceActor();
    return this.d.follows.followingOf(relay.id, { approved: null, page, limit });
  }

  /** Known servers with their follow state and counts (instances). */
  async instances(caller: Principal, f: { filter: string | null; follow: "ALL" | "FOLLOWING" | "FOLLOWED"; suspended: boolean; page: number; limit: number }) {
    requireRelayAdmin(caller);
    const relay = await this.d.federatedActors.instanceActor();
    return relayQueries.instances(this.d.db, relay.id, f);
  }

  /** One server (instance). */
  async instance(caller: Principal, domain: string): Promise<InstanceRow> {
    requireRelayAdmin(caller);
    const relay = await this.d.federatedActors.instanceActor();
    const row = await relayQueries.instance(this.d.db, relay.id, domainOf(domain));
    if (!row) throw notFound("Instance");
    return row;
  }

  /**
   * Blocks or silences a server, or lifts it (updateInstancePolicy). Blocked: nothing comes from it or goes to it
   * (and following it stops); silenced: its events are not listed here, though they stay reachable by link.
   */
  async setPolicy(caller: Principal, domain: string, patch: { blocked?: boolean | null; silenced?: boolean | null }): Promise<InstanceRow> {
    requireRelayAdmin(caller);
    const d = domainOf(domain);
    if (d === this.d.ownHost) throw invalid("domain", "This is this instance's own domain");
    await this.d.peers.setPolicy(d, { blocked: patch.blocked ?? undefined, silenced: patch.silenced ?? undefined });
    if (patch.blocked) {
      const relay = await this.d.federatedActors.instanceActor();
      for (const side of ["follower", "target"] as const) {
        const f = await this.d.follows.withDomain(side, relay.id, d);
        if (f) await this.d.follows.remove(f, side === "follower" ? "removed" : "rejected");
      }
    }
    return this.instance(caller, d);
  }

  /** The actors of follows, for lists (batched by the API's loaders). */
  actorsOf(ids: readonly number[]): Promise<Actor[]> {
    return this.d.actors.findByIds(ids);
  }
}
