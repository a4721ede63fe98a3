import type { Db, Executor } from "../../db/index.ts";
import type { Clock } from "../../kernel/index.ts";
import { peerRepository as repo } from "./peer.repository.ts";
import type { Peer } from "./peer.types.ts";

export type PeersDeps = { db: Db; clock: Clock };

/** How long a server's row read here is trusted (blocks made by another process apply within this time). */
const SEEN_FOR = 5_000;

/**
 * Other servers as this instance knows them. A blocked domain is refused both ways (its activities are not
 * accepted, nothing is delivered to it or fetched from it); a silenced one is not refused, but its content is not
 * listed (search, home page). Deliveries record whether a server answers.
 */
export class PeerService {
  private readonly d: PeersDeps;
  /** What each server's row said a moment ago: every delivery and every inbox POST asks. */
  private readonly recent = new Map<string, { at: number; peer: Promise<Peer | null> }>();
  private readonly blocked = new Map<string, { at: number; value: Promise<boolean> }>();
  constructor(d: PeersDeps) {
    this.d = d;
  }

  find(domain: string, tx: Executor = this.d.db): Promise<Peer | null> {
    return repo.find(tx, domain.toLowerCase());
  }

  /** A server's row as read at most SEEN_FOR ms ago (a block made in another process applies within that time). */
  private seen(domain: string): Promise<Peer | null> {
    const d = domain.toLowerCase();
    const now = Date.now();
    const hit = this.recent.get(d);
    if (hit && now - hit.at < SEEN_FOR) return hit.peer;
    if (this.recent.size > 10_000) this.recent.clear();
    const peer = repo.find(this.d.db, d);
    this.recent.set(d, { at: now, peer });
    peer.catch(() => this.recent.delete(d));
    return peer;
  }

  /**
   * Whether a server is blocked: its host with its port (as in actor URLs), the host on any port, or any domain it is
   * under (a block of example.org covers social.example.org).
   */
  async isBlocked(domain: string): Promise<boolean> {
    const d = domain.toLowerCase();
    const now = Date.now();
    const hit = this.blocked.get(d);
    if (hit && now - hit.at < SEEN_FOR) return hit.value;
    const host = d.replace(/:\d+$/, "");
    const candidates = new Set([d, host]);
    const labels = host.split(".");
    for (let i = 1; i < labels.length - 1; i++) candidates.add(labels.slice(i).join("."));
    const value = repo.anyBlocked(this.d.db, [...candidates]);
    if (this.blocked.size > 10_000) this.blocked.clear();
    this.blocked.set(d, { at: now, value });
    value.catch(() => this.blocked.delete(d));
    return value;
  }

  /** Blocks or unblocks, silences or unsilences a domain (administrators; the policy is the caller's). */
  async setPolicy(domain: string, patch: { blocked?: boolean; silenced?: boolean }): Promise<Peer> {
    const d = domain.toLowerCase();
    await repo.ensure(this.d.db, d, this.d.clock.now());
    await repo.update(this.d.db, d, patch, this.d.clock.now());
    this.recent.delete(d);
    this.blocked.clear();
    return (await repo.find(this.d.db, d))!;
  }

  /** Notes what a server runs (from its NodeInfo). */
  async noteSoftware(domain: string, info: { software: string | null; softwareVersion: string | null; nodeName: string | null }): Promise<void> {
    const d = domain.toLowerCase();
    await repo.ensure(this.d.db, d, this.d.clock.now());
    await repo.update(this.d.db, d, info, this.d.clock.now());
  }

  /** Records the outcome of a delivery: failures accumulate until one succeeds. */
  async deliveryOutcome(domain: string, failure: string | null): Promise<void> {
    const d = domain.toLowerCase();
    const now = this.d.clock.now();
    if (failure === null) {
      // Most deliveries go to servers that answer: nothing to clear.
      if (!(await this.seen(d))?.failingSince) return;
      this.recent.delete(d);
      return repo.deliverySucceeded(this.d.db, d, now);
    }
    this.recent.delete(d);
    await repo.ensure(this.d.db, d, now);
    await repo.deliveryFailed(this.d.db, d, failure, now);
  }

  /** Known servers, for administrators: by name, blocked or not, failing or not. */
  list(f: { filter?: string | null; blocked?: boolean | null; failing?: boolean | null; page: number; limit: number }) {
    return repo.list(this.d.db, { filter: (f.filter ?? "").trim().slice(0, 255), blocked: f.blocked ?? null, failing: f.failing ?? null, page: f.page, limit: f.limit });
  }
}
