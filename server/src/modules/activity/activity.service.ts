import type { Db, Executor, Tx } from "../../db/index.ts";
import { invalid, type Bus, type Clock } from "../../kernel/index.ts";
import type { Actor, ActorService } from "../actors/index.ts";
import { DiscussionEvents, type DiscussionEvent } from "../discussions/index.ts";
import { EventEvents, type EventEvent, type EventService } from "../events/index.ts";
import { GroupEvents, inGroup, moderates, type GroupEvent, type GroupService } from "../groups/index.ts";
import { PostEvents, type PostEvent } from "../posts/index.ts";
import { ResourceEvents, type ResourceEvent } from "../resources/index.ts";
import type { Principal } from "../users/index.ts";
import { activityRepository as repo } from "./activity.repository.ts";
import { ACTIVITY_TYPES, KEEP_AT_LEAST, KEEP_DAYS, type Activity, type ActivityType, type ObjectType } from "./activity.types.ts";

export type ActivityDeps = {
  db: Db;
  clock: Clock;
  bus: Bus<Tx, GroupEvent | PostEvent | DiscussionEvent | ResourceEvent | EventEvent>;
  actors: ActorService;
  groups: GroupService;
  events: EventService;
};

const handle = (a: Actor | null) => (a ? (a.domain ? `${a.preferredUsername}@${a.domain}` : a.preferredUsername) : "");

/**
 * A group's timeline: every change in the group is written down as it happens (in the change's transaction), in
 * Mobilizon's subjects and parameters; its members read it from the day they joined; entries older than a year go,
 * but each group keeps at least its last 100.
 */
export class ActivityService {
  private readonly d: ActivityDeps;
  constructor(d: ActivityDeps) {
    this.d = d;
    const b = d.bus;
    const add = (tx: Tx, groupId: number, type: ActivityType, subject: string, params: Record<string, string>, authorId: number | null, object: [ObjectType, number] | null) =>
      repo.insert(tx, { groupId, type, subject, params, authorId, objectType: object?.[0] ?? null, objectId: object?.[1] ?? null }, this.d.clock.now());
    const group = async (tx: Tx, id: number) => {
      const g = await this.d.actors.findById(id, tx);
      return { group_name: g?.name ?? g?.preferredUsername ?? "", group_federated_username: handle(g) };
    };
    const member = async (tx: Tx, actorId: number) => {
      const a = await this.d.actors.findById(actorId, tx);
      return { member_actor_federated_username: handle(a), member_actor_name: a?.name ?? a?.preferredUsername ?? "" };
    };

    // Mobilizon's client reads group_changes on every GROUP entry (it splits it): present, empty, on creation too.
    b.on(GroupEvents.Created, async (e, tx) => add(tx, e.payload.groupId, "GROUP", "group_created", { ...(await group(tx, e.payload.groupId)), group_changes: "" }, e.payload.authorId, ["group", e.payload.groupId]));
    b.on(GroupEvents.Updated, async (e, tx) => {
      if (e.payload.changes.length === 0) return;
      await add(tx, e.payload.groupId, "GROUP", "group_updated", { ...(await group(tx, e.payload.groupId)), group_changes: e.payload.changes.join(","), old_group_name: e.payload.oldName ?? "" }, e.payload.authorId, ["group", e.payload.groupId]);
    });
    const memberSubjects = [
      [GroupEvents.MemberRequested, "member_request"],
      [GroupEvents.MemberInvited, "member_invited"],
      [GroupEvents.InvitationAccepted, "member_accepted_invitation"],
      [GroupEvents.InvitationRejected, "member_rejected_invitation"],
      [GroupEvents.MemberJoined, "member_joined"],
      [GroupEvents.MemberApproved, "member_approved"],
      [GroupEvents.MemberRejected, "member_removed"],
      [GroupEvents.MemberRoleChanged, "member_updated"],
      [GroupEvents.MemberRemoved, "member_removed"],
      [GroupEvents.MemberLeft, "member_quit"],
    ] as const;
    for (const [type, subject] of memberSubjects)
      b.on(type, async (e, tx) => {
        const p = e.payload as { groupId: number; authorId: number; memberId: number; actorId: number; role: string; oldRole?: string };
        // A declined request shows as the removal of someone who was waiting (Mobilizon's client words it so).
        const oldRole = p.oldRole ?? (type === GroupEvents.MemberRejected ? "NOT_APPROVED" : undefined);
        await add(tx, p.groupId, "MEMBER", subject, { ...(await member(tx, p.actorId)), member_role: p.role, ...(oldRole && { old_role: oldRole }) }, p.authorId, ["member", p.memberId]);
      });

    b.on(PostEvents.Created, (e, tx) => (e.payload.draft ? Promise.resolve() : add(tx, e.payload.groupId, "POST", "post_created", { post_title: e.payload.title, post_slug: e.payload.slug }, e.payload.authorId, ["post", e.payload.postId])));
    b.on(PostEvents.Updated, (e, tx) =>
      e.payload.draft ? Promise.resolve() : add(tx, e.payload.groupId, "POST", e.payload.published ? "post_created" : "post_updated", { post_title: e.payload.title, post_slug: e.payload.slug }, e.payload.authorId, ["post", e.payload.postId]),
    );
    b.on(PostEvents.Deleted, (e, tx) => (e.payload.draft ? Promise.resolve() : add(tx, e.payload.groupId, "POST", "post_deleted", { post_title: e.payload.title, post_slug: e.payload.slug }, e.payload.authorId, null)));

    const disc = (p: { title: string; slug: string }) => ({ discussion_title: p.title, discussion_slug: p.slug });
    b.on(DiscussionEvents.Created, (e, tx) => add(tx, e.payload.groupId, "DISCUSSION", "discussion_created", disc(e.payload), e.payload.authorId, ["discussion", e.payload.discussionId]));
    b.on(DiscussionEvents.Replied, (e, tx) => add(tx, e.payload.groupId, "DISCUSSION", "discussion_replied", disc(e.payload), e.payload.authorId, ["discussion", e.payload.discussionId]));
    b.on(DiscussionEvents.Renamed, (e, tx) => add(tx, e.payload.groupId, "DISCUSSION", "discussion_renamed", { ...disc(e.payload), old_discussion_title: e.payload.oldTitle }, e.payload.authorId, ["discussion", e.payload.discussionId]));
    b.on(DiscussionEvents.Deleted, (e, tx) => add(tx, e.payload.groupId, "DISCUSSION", "discussion_deleted", disc(e.payload), e.payload.authorId, null));

    const res = (p: { title: string; path: string; type: string }) => ({ resource_title: p.title, resource_path: p.path, resource_type: p.type });
    b.on(ResourceEvents.Created, (e, tx) => add(tx, e.payload.groupId, "RESOURCE", "resource_created", res(e.payload), e.payload.authorId, ["resource", e.payload.resourceId]));
    b.on(ResourceEvents.Updated, (e, tx) => add(tx, e.payload.groupId, "RESOURCE", "resource_renamed", { ...res(e.payload), old_resource_title: e.payload.oldTitle }, e.payload.authorId, ["resource", e.payload.resourceId]));
    b.on(ResourceEvents.Moved, (e, tx) => add(tx, e.payload.groupId, "RESOURCE", "resource_moved", { ...res(e.payload), old_resource_path: e.payload.oldPath }, e.payload.authorId, ["resource", e.payload.resourceId]));
    b.on(ResourceEvents.Deleted, (e, tx) => add(tx, e.payload.groupId, "RESOURCE", "resource_deleted", res(e.payload), e.payload.authorId, null));

    // A group's events (published ones: drafts are no news).
    const ev = async (tx: Tx, eventId: number, subject: string) => {
      const event = await this.d.events.findById(eventId, tx);
      if (!event?.attributedToId || event.draft) return;
      await add(tx, event.attributedToId, "EVENT", subject, { event_title: event.title, event_uuid: event.uuid }, event.organizerActorId, subject === "event_deleted" ? null : ["event", event.id]);
    };
    b.on(EventEvents.Published, (e, tx) => ev(tx, e.payload.eventId, "event_created"));
    b.on(EventEvents.Updated, (e, tx) => ev(tx, e.payload.eventId, "event_updated"));
    b.on(EventEvents.Deleted, (e, tx) => (e.payload.wasDraft ? Promise.resolve() : ev(tx, e.payload.eventId, "event_deleted")));
  }

  /**
   * A group's timeline for one of its members (Group.activity): from the day they joined, of one kind, by them
   * (SELF) or by others (BY). Others get an empty page.
   */
  async ofGroup(caller: Principal, groupId: number, f: { type?: string | null; author?: string | null; page: number; limit: number }): Promise<{ total: number; elements: Activity[] }> {
    if (caller.kind === "anonymous") return { total: 0, elements: [] };
    const m = await this.d.groups.membershipOf(caller, groupId);
    if (!inGroup(m)) return { total: 0, elements: [] };
    if (f.type && !(ACTIVITY_TYPES as readonly string[]).includes(f.type)) throw invalid("type", "Unknown type of activity");
    const joined = new Date(m!.insertedAt);
    joined.setUTCHours(0, 0, 0, 0);
    const authors = f.author === "SELF" || f.author === "BY" ? { ids: await caller.actorIds(), mine: f.author === "SELF" } : null;
    // Requests to join and invitations are the moderators' business (a member does not see them in the member list).
    const hidden = moderates(m) ? [] : ["member_request", "member_invited", "member_rejected_invitation"];
    return repo.ofGroup(this.d.db, groupId, { since: joined, type: (f.type as ActivityType) ?? null, authors, hidden, page: f.page, limit: f.limit });
  }

  /** Task: forgets entries older than a year, keeping each group's last 100. */
  prune(tx: Executor = this.d.db): Promise<number> {
    return repo.prune(tx, new Date(this.d.clock.now().getTime() - KEEP_DAYS * 86_400_000), KEEP_AT_LEAST);
  }
}
