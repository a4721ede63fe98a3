import type { Db, Executor } from "../../db/index.ts";
import type { JobQueue, Logger } from "../../kernel/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { RemoteActors } from "../remote-actors.ts";

/**
 * Who an activity goes to: a remote actor (by URL), an inbox, the remote followers of a local actor, or the servers
 * following this instance (resolved by the fan-out job, outside the change's transaction).
 */
export type Recipient = { actor: string } | { inbox: string } | { followersOf: number } | { instanceFollowers: true };

export type FanoutPayload = { activity: Record<string, unknown>; senderActorId: number; recipients: Recipient[]; orderingKey: string };

/** Attempts of a delivery: with the queue's backoff (10 s doubling to 6 h), about 30 hours in all. */
export const DELIVERY_ATTEMPTS = 16;
const FOLLOWER_BATCH = 500;

/**
 * The transactional outbox (house rule 3): an activity is enqueued in the transaction of the change it reports, as
 * one fan-out job; the fan-out resolves recipients to inboxes (a server's shared inbox once for all its actors) and
 * enqueues one delivery per inbox, ordered per object and inbox. A delivery that fails never fails the change.
 */
export class Outbox {
  private readonly queue: JobQueue<Executor>;
  private readonly s: Services;
  private readonly logger: Logger;
  private readonly db: Db;
  constructor(db: Db, queue: JobQueue<Executor>, services: Services, logger: Logger) {
    this.db = db;
    this.queue = queue;
    this.s = services;
    this.logger = logger;
  }

  /** Enqueues an activity for its recipients, in the caller's transaction. `about` orders it with others on the same object. */
  async send(tx: Executor, activity: Record<string, unknown>, senderActorId: number, recipients: Recipient[], about: string): Promise<void> {
    if (recipients.length === 0) return;
    await this.queue.enqueue(tx, "federation.fanout", { activity, senderActorId, recipients, orderingKey: about } satisfies FanoutPayload, { queue: "federation", maxAttempts: 10, orderingKey: `fanout|${about}` });
  }

  /** Job: turns recipients into inboxes and enqueues one delivery each. */
  async fanout(p: FanoutPayload, actors: RemoteActors): Promise<number> {
    const inboxes = new Set<string>();
    const addActor = (a: { domain: string | null; endpoints: { inbox: string; sharedInbox: string | null } | null }) => {
      if (a.domain !== null && a.endpoints) inboxes.add(a.endpoints.sharedInbox ?? a.endpoints.inbox);
    };
    for (const r of p.recipients) {
      if ("inbox" in r) inboxes.add(r.inbox);
      else if ("actor" in r) {
        const a = await actors.get(r.actor);
        if (a) addActor(a);
      } else {
        const target = "followersOf" in r ? r.followersOf : (await this.s.federatedActors.instanceActor()).id;
        for (let after = 0; ; ) {
          const batch = await this.s.follows.approvedFollowerIds(target, after, FOLLOWER_BATCH);
          if (batch.length === 0) break;
          for (const a of await this.s.actors.findByIds(batch.map((b) => b.followerId))) addActor(a);
          after = batch[batch.length - 1].id;
        }
      }
    }
    const body = JSON.stringify(p.activity);
    const list = [...inboxes];
    // One transaction: a fan-out that is retried never enqueues a delivery twice.
    await this.db.transaction().execute(async (tx) => {
      for (const inbox of list)
        await this.queue.enqueue(tx, "federation.deliver", { inbox, activity: body, senderActorId: p.senderActorId }, { queue: "federation", maxAttempts: DELIVERY_ATTEMPTS, orderingKey: `${p.orderingKey}|${inbox}` });
    });
    if (list.length) this.logger.debug("activity fanned out", { type: p.activity.type, inboxes: list.length });
    return list.length;
  }
}
