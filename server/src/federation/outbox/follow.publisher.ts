import type { Executor, Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Bus, JobQueue } from "../../kernel/index.ts";
import { FollowEvents, type FollowEvent } from "../../modules/follows/index.ts";
import { CONTEXT, PUBLIC } from "../context.ts";
import type { Outbox } from "./outbox.ts";
import { answerId } from "../inbox/follow.handler.ts";

/**
 * Follows as activities, sent by the side that acted here: a local actor's follow request → Follow; a remote
 * follower approved or refused here → Accept or Reject; a local actor's follow ended → Undo. Changes that came from
 * the other server (its Accept, its Undo) send nothing back. On our follow's approval, the followed actor's outbox
 * is read, so that what it published before shows here too (Mobilizon's crawl).
 */
export class FollowPublisher {
  private readonly s: Services;
  private readonly outbox: Outbox;
  private readonly queue: JobQueue<Executor>;
  constructor(d: { services: Services; outbox: Outbox; queue: JobQueue<Executor> }) {
    this.s = d.services;
    this.outbox = d.outbox;
    this.queue = d.queue;
  }

  listen(bus: Bus<Tx, FollowEvent>): void {
    for (const type of Object.values(FollowEvents)) bus.on(type, (e, tx) => this.onChange(e, tx));
  }

  private async onChange(e: FollowEvent, tx: Tx) {
    const p = e.payload;
    const [follower, target] = await Promise.all([this.s.actors.findByIds([p.followerId], tx), this.s.actors.findByIds([p.targetId], tx)]).then(([a, b]) => [a[0], b[0]]);
    if (!follower || !target) return;
    const follow = { id: p.url, type: "Follow", actor: follower.url, object: target.url };
    const localFollower = follower.domain === null;
    const localTarget = target.domain === null;
    if (e.type === FollowEvents.Requested && localFollower && !localTarget)
      await this.outbox.send(tx, { "@context": CONTEXT, ...follow, to: [target.url], cc: [PUBLIC] }, follower.id, [{ actor: target.url }], p.url);
    else if ((e.type === FollowEvents.Approved || e.type === FollowEvents.Rejected) && localTarget && !localFollower) {
      const verb = e.type === FollowEvents.Approved ? "Accept" : "Reject";
      // Our answer's id is ours (the Follow's id is the follower's server's): the same for a repeated answer.
      await this.outbox.send(tx, { "@context": CONTEXT, id: answerId(this.s.urls.base, verb === "Accept" ? "accept" : "reject", p.url), type: verb, actor: target.url, object: follow, to: [follower.url] }, target.id, [{ actor: follower.url }], p.url);
    } else if (e.type === FollowEvents.Removed && localFollower && !localTarget)
      await this.outbox.send(tx, { "@context": CONTEXT, id: `${p.url}/undo`, type: "Undo", actor: follower.url, object: follow, to: [target.url] }, follower.id, [{ actor: target.url }], p.url);
    else if (e.type === FollowEvents.Approved && localFollower && !localTarget && target.endpoints?.outbox)
      await this.queue.enqueue(tx, "federation.crawl", { outbox: target.endpoints.outbox }, { queue: "federation", maxAttempts: 5 });
  }
}
