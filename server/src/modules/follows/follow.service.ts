import type { Db, Executor, Tx } from "../../db/index.ts";
import { newUuid, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import { FollowEvents, type FollowEvent } from "./follow.events.ts";
import { followRepository as repo } from "./follow.repository.ts";
import type { Follow } from "./follow.types.ts";

export type FollowsDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, FollowEvent> };

/**
 * Follows between actors (instances now; groups when they land). Who may follow whom, and whether it needs an
 * approval, is the caller's decision (the relay always waits for an administrator; a person cannot be followed).
 */
export class FollowService {
  private readonly d: FollowsDeps;
  constructor(d: FollowsDeps) {
    this.d = d;
  }

  private payload(f: Follow) {
    return { followId: f.id, url: f.url, followerId: f.followerId, targetId: f.targetId };
  }

  /**
   * Records a follow request (a local actor's, with an id of ours; a remote one's, with the id of its Follow).
   * An existing follow between the two is returned as it is.
   */
  async request(v: { followerId: number; targetId: number; url?: string; approved: boolean; notify?: boolean }): Promise<{ follow: Follow; created: boolean }> {
    return this.d.db.transaction().execute(async (tx) => {
      const existing = await repo.find(tx, v.followerId, v.targetId);
      if (existing) return { follow: existing, created: false };
      const follow = await repo.insert(tx, { url: v.url ?? `${this.d.urls.base}/follow/${newUuid()}`, followerId: v.followerId, targetId: v.targetId, approved: v.approved, notify: v.notify }, this.d.clock.now());
      await this.d.bus.emit({ type: FollowEvents.Requested, payload: { ...this.payload(follow), approved: v.approved } }, tx);
      return { follow, created: true };
    });
  }

  /** Approves a waiting follow (by the followed side: an administrator, or the remote side's Accept). */
  async approve(f: Follow): Promise<Follow> {
    if (f.approved) return f;
    return this.d.db.transaction().execute(async (tx) => {
      await repo.approve(tx, f.id, this.d.clock.now());
      await this.d.bus.emit({ type: FollowEvents.Approved, payload: this.payload(f) }, tx);
      return { ...f, approved: true };
    });
  }

  /** Ends a follow: refused (a Reject) or undone (an Undo, an unfollow). */
  async remove(f: Follow, how: "rejected" | "removed"): Promise<void> {
    await this.d.db.transaction().execute(async (tx) => {
      await repo.delete(tx, f.id);
      await this.d.bus.emit({ type: how === "rejected" ? FollowEvents.Rejected : FollowEvents.Removed, payload: this.payload(f) }, tx);
    });
  }

  /** Whether the follower wants to hear of new events (the caller checked it is their follow). */
  setNotify(f: Follow, notify: boolean): Promise<Follow> {
    return repo.setNotify(this.d.db, f.id, notify, this.d.clock.now());
  }
  findById(id: number, tx: Executor = this.d.db): Promise<Follow | null> {
    return repo.findById(tx, id);
  }
  /** Follows by any of several actors of any of several targets. */
  ofTargets(followerIds: readonly number[], targetIds: readonly number[], tx: Executor = this.d.db): Promise<Follow[]> {
    return repo.ofTargets(tx, followerIds, targetIds);
  }
  find(followerId: number, targetId: number, tx: Executor = this.d.db): Promise<Follow | null> {
    return repo.find(tx, followerId, targetId);
  }
  findByUrl(url: string, tx: Executor = this.d.db): Promise<Follow | null> {
    return repo.findByUrl(tx, url);
  }
  /** The follow of `localId` by an actor of `domain` (side "target"), or of an actor of `domain` by `localId` (side "follower"). */
  withDomain(side: "follower" | "target", localId: number, domain: string, tx: Executor = this.d.db): Promise<Follow | null> {
    return repo.withDomain(tx, side, localId, domain);
  }
  /** Followers of an actor (approved, waiting, or both), newest first. */
  /** How many approved followers each of these actors has (a group's followersCount, batched). */
  countApproved(targetIds: readonly number[]): Promise<Map<number, number>> {
    return repo.countApproved(this.d.db, targetIds);
  }
  followersOf(targetId: number, opts: { approved: boolean | null; page: number; limit: number }) {
    return repo.followersOf(this.d.db, targetId, opts);
  }
  /** What an actor follows, newest first. */
  followingOf(followerId: number, opts: { approved: boolean | null; page: number; limit: number }) {
    return repo.followingOf(this.d.db, followerId, opts);
  }
  /** What some actors follow (approved follows), at most 1,000 pairs. */
  targetsOf(followerIds: readonly number[], tx: Executor = this.d.db) {
    return repo.targetsOf(tx, followerIds, 1000);
  }
  /** The approved followers who asked to hear of new events, a batch at a time (notices). */
  notifiedFollowerIds(targetId: number, afterId: number, limit: number, tx: Executor = this.d.db) {
    return repo.notifiedFollowerIds(tx, targetId, afterId, limit);
  }
  /** The approved followers of an actor, a batch at a time (deliveries). */
  approvedFollowerIds(targetId: number, afterId: number, limit: number, tx: Executor = this.d.db) {
    return repo.approvedFollowerIds(tx, targetId, afterId, limit);
  }
}
