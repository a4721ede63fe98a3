import { rateLimits, type Db, type Executor, type Tx } from "../../db/index.ts";
import { MINUTE, type Bus, type Clock, type JobQueue, type OutgoingEmail } from "../../kernel/index.ts";
import type { ActorService } from "../actors/index.ts";
import { EventEvents, type EventEvent, type EventService } from "../events/index.ts";
import type { FollowService } from "../follows/index.ts";
import type { MemberService } from "../groups/index.ts";
import type { UserService } from "../users/index.ts";
import { groupEventEmail } from "./participation.emails.ts";
import type { ParticipationService } from "./participation.service.ts";

/** How long after a group's event is published its members and followers are told (an early fix is not re-sent). */
export const GROUP_EVENT_NOTICE_DELAY = 30 * MINUTE;
const BATCH = 500;
/** A group's event from elsewhere is news when it was published within this time (not one found in its past). */
const RECENT_MS = 24 * 60 * MINUTE;
const REMOTE_NOTICES_PER_DAY = 5;

/**
 * Tells a group's members, and its followers who asked for it, that the group published an event (Mobilizon's
 * event_group_follower_notification): once per event, a little after publication (or at once if it starts sooner).
 * Followers hear only of public and unlisted events; members of all. The organizer is not told of their own event.
 */
export class GroupEventNotices {
  private readonly d: {
    db: Db;
    clock: Clock;
    queue: JobQueue<Executor>;
    events: EventService;
    participations: ParticipationService;
    members: MemberService;
    follows: FollowService;
    actors: ActorService;
    users: UserService;
    instanceName: string;
  };
  constructor(d: GroupEventNotices["d"], bus: Bus<Tx, EventEvent>) {
    this.d = d;
    bus.on(EventEvents.Published, async (e, tx) => {
      const event = await d.events.findById(e.payload.eventId, tx);
      // A group's event from elsewhere too (its server shared it), when it is new: not one read from its past.
      if (!event?.attributedToId || (!event.local && d.clock.now().getTime() - (event.publishAt ?? event.insertedAt).getTime() > RECENT_MS)) return;
      // Another server's group is heard of a few events a day at most (its server could make up any number).
      if (!event.local && (await rateLimits.hit(tx, `group-event-notice:${event.attributedToId}`, 24 * 60 * MINUTE, d.clock.now())) > REMOTE_NOTICES_PER_DAY) return;
      const untilStart = event.beginsOn.getTime() - d.clock.now().getTime();
      const delay = Math.max(0, Math.min(GROUP_EVENT_NOTICE_DELAY, untilStart));
      await d.queue.enqueue(tx, "participations.notify-group-event", { eventId: event.id }, { runAt: new Date(d.clock.now().getTime() + delay), uniqueKey: `group-event:${event.id}`, maxAttempts: 5 });
    });
  }

  /** Job: e-mails the group's members and notified followers; returns how many were written to. */
  async send(eventId: number): Promise<number> {
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.d.events.findById(eventId, tx);
      if (!event?.attributedToId || event.draft) return 0;
      const [group] = await this.d.actors.findByIds([event.attributedToId], tx);
      if (!group) return 0;
      const forFollowers = event.visibility === "PUBLIC" || event.visibility === "UNLISTED";
      const organizer = await this.d.actors.findById(event.organizerActorId, tx);
      const told = new Set<number>(organizer?.userId ? [organizer.userId] : []);
      const mail = await this.d.participations.mailEvent(tx, event);
      const groupName = group.name ?? group.preferredUsername;
      let sent = 0;
      const tell = async (actorIds: number[]) => {
        const actors = await this.d.actors.findByIds(actorIds, tx);
        const userIds = [...new Set(actors.map((a) => a.userId).filter((u): u is number => u !== null && !told.has(u)))];
        if (userIds.length === 0) return;
        const zones = await this.d.users.timezonesOf(userIds, tx);
        for (const u of await this.d.users.findByIds(userIds, tx)) {
          if (told.has(u.id) || u.disabled) continue;
          told.add(u.id);
          const email: OutgoingEmail = groupEventEmail({ instanceName: this.d.instanceName }, { email: u.email, locale: u.locale, timezone: zones.get(u.id) ?? null }, groupName, mail);
          await this.d.queue.enqueue(tx, "email.send", email as unknown as Record<string, unknown>, { queue: "mailers" });
          sent++;
        }
      };
      for (let after = 0; ; ) {
        const batch = await this.d.members.memberActorIds(group.id, after, BATCH, tx);
        if (batch.length === 0) break;
        await tell(batch.map((b) => b.actorId));
        after = batch[batch.length - 1].id;
      }
      if (forFollowers)
        for (let after = 0; ; ) {
          const batch = await this.d.follows.notifiedFollowerIds(group.id, after, BATCH, tx);
          if (batch.length === 0) break;
          await tell(batch.map((b) => b.followerId));
          after = batch[batch.length - 1].id;
        }
      return sent;
    });
  }
}
