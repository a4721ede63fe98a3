import type { Db, Executor, Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import { newUuid, type Bus, type JobQueue } from "../../kernel/index.ts";
import { audienceOf, EventEvents, type Event, type EventEvent } from "../../modules/events/index.ts";
import { CONTEXT, PUBLIC, embedded } from "../context.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";
import { addressing } from "../converters/event.converter.ts";
import type { Documents } from "../documents.ts";
import type { Outbox, Recipient } from "./outbox.ts";

export type EventJob = { eventId: number; verb: "Create" | "Update"; activityId: string };

/** Only published public and unlisted events of this instance federate; private ones never leave it. */
const federates = (e: Pick<Event, "local" | "draft" | "visibility">) => audienceOf(e) !== null;

/**
 * Turns the domain events of local events into activities (house rule 3): published → Create, changed → Update,
 * deleted → Delete of a Tombstone, for the instance's followers (instance follows), the organizer's followers and
 * the event's participants on other servers. Create and Update are built by a job after the change commits (the
 * document as committed), in order per event; the Delete's audience is read before the rows go.
 */
export class EventPublisher {
  private readonly s: Services;
  private readonly queue: JobQueue<Executor>;
  private readonly outbox: Outbox;
  private readonly documents: Documents;
  private readonly db: Db;
  constructor(d: { db: Db; services: Services; queue: JobQueue<Executor>; outbox: Outbox; documents: Documents }) {
    this.db = d.db;
    this.s = d.services;
    this.queue = d.queue;
    this.outbox = d.outbox;
    this.documents = d.documents;
  }

  listen(bus: Bus<Tx, EventEvent>): void {
    bus.on(EventEvents.Published, (e, tx) => this.later(tx, e.payload.eventId, "Create"));
    bus.on(EventEvents.Updated, (e, tx) => this.later(tx, e.payload.eventId, "Update"));
    // An event one of our groups' moderators elsewhere published in its name (it lives on their server): the group
    // shares it, and each change, with its followers and members elsewhere, who read it from its server.
    for (const type of [EventEvents.Published, EventEvents.Updated] as const)
      bus.on(type, async (e, tx) => {
        // Mobilizon repeats its Updates: only a change is shared again.
        if (e.type === EventEvents.Updated && JSON.stringify(e.payload.before) === JSON.stringify(e.payload.after)) return;
        const event = await this.s.events.findById(e.payload.eventId, tx);
        if (!event || event.local || !event.attributedToId || (event.visibility !== "PUBLIC" && event.visibility !== "UNLISTED")) return;
        const group = await this.s.actors.findById(event.attributedToId, tx);
        if (!group || group.type !== "Group" || group.domain !== null) return;
        const members = (await this.s.members.remoteMemberUrls(group.id, tx)).map((actor) => ({ actor }));
        // As the event is addressed: an unlisted one stays out of public timelines.
        const { to, cc } = addressing({ publicly: event.visibility === "UNLISTED" ? "cc" : "to" }, this.s.urls.followers(group.preferredUsername));
        const announce = { "@context": CONTEXT, id: `${group.url}/announces/${newUuid()}`, type: "Announce", actor: group.url, object: event.url, published: new Date().toISOString(), to, cc };
        await this.outbox.send(tx, announce, group.id, [{ followersOf: group.id }, ...members], event.url);
      });
    bus.on(EventEvents.Deleted, async (e, tx) => {
      if (!e.payload.local || e.payload.wasDraft) return;
      const event = await this.s.events.findById(e.payload.eventId, tx);
      if (!event || !federates(event)) return;
      const url = this.s.urls.event(event.uuid);
      const [organizer] = await this.s.actors.findByIds([event.organizerActorId], tx);
      if (!organizer) return;
      const recipients = await this.recipients(event, tx);
      const tombstone = embedded(toTombstone({ uri: url, formerType: "Event", deletedAt: new Date() }));
      const activity = { "@context": CONTEXT, id: this.s.urls.activity(url, "delete"), type: "Delete", actor: organizer.url, object: tombstone, to: [PUBLIC], cc: [this.s.urls.followers(organizer.preferredUsername)] };
      await this.outbox.send(tx, activity, organizer.id, recipients, url);
    });
  }

  private async later(tx: Tx, eventId: number, verb: "Create" | "Update") {
    const event = await this.s.events.findById(eventId, tx);
    if (!event || !federates(event)) return;
    // The activity's id is fixed now: a retried job sends the same one; each change gets its own (peers that drop
    // repeated ids, as Fedify's do, still apply every Update).
    const activityId = verb === "Create" ? this.s.urls.activity(event.url, "activity") : `${event.url}/updates/${newUuid()}`;
    await this.queue.enqueue(tx, "federation.event", { eventId, verb, activityId } satisfies EventJob, { queue: "federation", maxAttempts: 10, orderingKey: `event|${event.url}` });
  }

  private async recipients(event: Event, tx?: Executor): Promise<Recipient[]> {
    // Its participants elsewhere, and the people elsewhere who commented on it (a Mastodon reply's author sees the
    // event's edits and its deletion).
    const participants = await this.s.participations.remoteParticipantUrls(event.id, tx);
    const commenters = await this.s.comments.remoteAuthorUrls(event.id, tx);
    const [group] = event.attributedToId ? await this.s.actors.findByIds([event.attributedToId], tx) : [];
    return [
      { instanceFollowers: true },
      { followersOf: event.organizerActorId },
      // Our group's followers; a group elsewhere gets it in its inbox and shares it with its followers and members.
      ...(group ? [group.domain === null ? { followersOf: group.id } : { actor: group.url }] : []),
      ...[...new Set([...participants, ...commenters])].map((actor) => ({ actor })),
    ];
  }

  /** Job: builds the activity from the event as committed and hands it to the outbox. */
  async publish(job: EventJob): Promise<void> {
    const event = await this.s.events.findById(job.eventId);
    if (!event || !federates(event)) return;
    const [organizer] = await this.s.actors.findByIds([event.organizerActorId]);
    if (!organizer) return;
    const object = embedded(await this.documents.event(event));
    const activity = { "@context": CONTEXT, id: job.activityId, type: job.verb, actor: organizer.url, published: new Date().toISOString(), to: object.to, cc: object.cc, object };
    const recipients = await this.recipients(event);
    const [group] = event.attributedToId ? await this.s.actors.findByIds([event.attributedToId]) : [];
    await this.db.transaction().execute(async (tx) => {
      await this.outbox.send(tx, activity, organizer.id, recipients, event.url);
      // A group shares what is published in its name with its followers (Mastodon shows a followed account's
      // Announce; Mobilizon's groups do the same), once per event.
      if (group && group.domain === null && job.verb === "Create") {
        const announce = { "@context": CONTEXT, id: this.s.urls.activity(event.url, "announces/group"), type: "Announce", actor: group.url, object: event.url, published: activity.published, to: object.to, cc: object.cc };
        await this.outbox.send(tx, announce, group.id, [{ followersOf: group.id }], event.url);
      }
    });
  }
}
