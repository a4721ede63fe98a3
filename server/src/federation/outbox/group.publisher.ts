import type { Db, Executor, Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import { newUuid, type Bus, type JobQueue } from "../../kernel/index.ts";
import type { Actor } from "../../modules/actors/index.ts";
import { GroupEvents, type GroupEvent } from "../../modules/groups/index.ts";
import { CONTEXT, embedded } from "../context.ts";
import type { Outbox } from "./outbox.ts";

type MemberPayload = { groupId: number; authorId: number; memberId: number; url: string; actorId: number; role: string };

/**
 * Memberships of groups as activities, in Mobilizon's group protocol (federation.md §2.3): the side that acted tells
 * the other. A person here joining, leaving or answering an invitation of a group elsewhere sends Join, Leave,
 * Accept or Reject to the group; one of our groups answers a remote person's Join (Accept, from the group at once or
 * from the approving moderator), invites them (Invite), changes their role (Update of the Member), removes them
 * (Remove). Changes that came from the other server send nothing back.
 */
export class GroupPublisher {
  private readonly s: Services;
  private readonly outbox: Outbox;
  private readonly queue: JobQueue<Executor>;
  constructor(d: { services: Services; outbox: Outbox; queue: JobQueue<Executor> }) {
    this.s = d.services;
    this.outbox = d.outbox;
    this.queue = d.queue;
  }

  /** Once one of our people is in a group elsewhere, what members see of it is read (after its server took note). */
  private crawl(tx: Tx, groupId: number, memberActorId: number, delayMs: number) {
    return this.queue.enqueue(tx, "federation.group-crawl", { groupId, memberActorId }, { queue: "federation", maxAttempts: 3, runAt: new Date(Date.now() + delayMs), uniqueKey: `group-crawl:${groupId}:${memberActorId}` });
  }

  listen(bus: Bus<Tx, GroupEvent>): void {
    // A group's profile changed (name, description, pictures, openness): its followers and members elsewhere read it
    // again (the document is built after the change commits).
    bus.on(GroupEvents.Updated, (e, tx) => this.queue.enqueue(tx, "federation.group-update", { groupId: e.payload.groupId }, { queue: "federation", maxAttempts: 10, orderingKey: `group|${e.payload.groupId}` }).then(() => undefined));
    // One of our groups deleted: it tells its followers and members elsewhere that it is gone (Delete of itself, as
    // Mastodon and Mobilizon close an actor; its key stays to sign it, its URL answers 410).
    bus.on(GroupEvents.Deleted, async (e, tx) => {
      const group = await this.s.actors.findById(e.payload.groupId, tx);
      if (!group || group.type !== "Group" || group.domain !== null) return;
      const members = (await this.s.members.remoteMemberUrls(group.id, tx)).map((actor) => ({ actor }));
      const activity = { "@context": CONTEXT, id: `${group.url}/delete`, type: "Delete", actor: group.url, object: group.url, to: ["https://www.w3.org/ns/activitystreams#Public"], cc: [this.s.urls.followers(group.preferredUsername)] };
      await this.outbox.send(tx, activity, group.id, [{ followersOf: group.id }, ...members], group.url);
    });
    const on = (type: GroupEvent["type"]) => bus.on(type, (e, tx) => this.onChange(e, tx));
    for (const t of [GroupEvents.MemberRequested, GroupEvents.MemberJoined, GroupEvents.MemberApproved, GroupEvents.MemberRejected, GroupEvents.MemberInvited, GroupEvents.InvitationAccepted, GroupEvents.InvitationRejected, GroupEvents.MemberRoleChanged, GroupEvents.MemberRemoved, GroupEvents.MemberLeft] as const)
      on(t);
  }

  /** Job: sends the group's document as committed, as an Update by the group, to its followers and members elsewhere. */
  async sendUpdate(groupId: number, documentOf: (a: Actor) => Promise<Record<string, unknown>>, db: Db): Promise<void> {
    const group = await this.s.actors.findById(groupId);
    if (!group || group.type !== "Group" || group.domain !== null) return;
    const object = embedded(await documentOf(group));
    const members = (await this.s.members.remoteMemberUrls(group.id)).map((actor) => ({ actor }));
    const activity = { "@context": CONTEXT, id: `${group.url}/updates/${newUuid()}`, type: "Update", actor: group.url, object, to: ["https://www.w3.org/ns/activitystreams#Public"], cc: [this.s.urls.followers(group.preferredUsername)] };
    await db.transaction().execute((tx) => this.outbox.send(tx, activity, group.id, [{ followersOf: group.id }, ...members], group.url));
  }

  private async tellMembers(tx: Tx, e: GroupEvent, p: MemberPayload, person: Actor, group: Actor): Promise<void> {
    const role = e.type === GroupEvents.MemberRoleChanged ? p.role : "member";
    const others = (await this.s.members.remoteMemberUrls(group.id, tx)).filter((url) => url !== person.url).map((actor) => ({ actor }));
    if (others.length === 0) return;
    const send = (activity: Record<string, unknown>) => this.outbox.send(tx, { "@context": CONTEXT, ...activity, actor: group.url, to: [this.s.urls.collection(group.preferredUsername, "members")], cc: [] }, group.id, others, p.url);
    switch (e.type) {
      case GroupEvents.MemberJoined:
      case GroupEvents.MemberApproved:
      case GroupEvents.InvitationAccepted:
      case GroupEvents.MemberRoleChanged:
        // Ids of our own server (a membership's URL may be its member's server's: Mobilizon checks the id's origin).
        return send({ id: `${this.s.urls.base}/updates/member/${p.memberId}-${newUuid()}`, type: "Update", object: this.member(p, person, group, role) });
      case GroupEvents.MemberRemoved:
      case GroupEvents.MemberLeft:
        return send({ id: `${group.url}/remove/${newUuid()}`, type: "Remove", object: p.url, origin: group.url, target: group.url });
      default:
        return;
    }
  }

  private member(p: MemberPayload, person: Actor, group: Actor, role: string) {
    return { id: p.url, type: "Member", actor: person.url, object: group.url, role: role.toLowerCase() };
  }

  private async onChange(e: GroupEvent, tx: Tx): Promise<void> {
    const p = e.payload as MemberPayload;
    const actors = await this.s.actors.findByIds([...new Set([p.groupId, p.actorId, p.authorId])], tx);
    const byId = new Map(actors.map((a) => [a.id, a]));
    const group = byId.get(p.groupId);
    const person = byId.get(p.actorId);
    if (!group || !person || group.type !== "Group") return;
    const author = byId.get(p.authorId) ?? group;
    const send = (activity: Record<string, unknown>, sender: Actor, to: Actor) => this.outbox.send(tx, { "@context": CONTEXT, ...activity, to: [to.url], cc: [] }, sender.id, [{ actor: to.url }], p.url);
    const base = this.s.urls.base;

    // One of our people and a group elsewhere: we speak for the person.
    if (group.domain !== null && person.domain === null) {
      switch (e.type) {
        case GroupEvents.MemberRequested:
        case GroupEvents.MemberJoined:
          return send({ id: p.url, type: "Join", actor: person.url, object: group.url }, person, group);
        case GroupEvents.MemberLeft:
          return send({ id: `${p.url}/leave/${newUuid()}`, type: "Leave", actor: person.url, object: group.url, attributedTo: group.url }, person, group);
        case GroupEvents.InvitationAccepted:
          await send({ id: `${p.url}/accept`, type: "Accept", actor: person.url, object: this.member(p, person, group, "member"), attributedTo: group.url }, person, group);
          await this.crawl(tx, group.id, person.id, 5_000);
          return;
        case GroupEvents.MemberApproved:
          // The group's server accepted our person's Join.
          await this.crawl(tx, group.id, person.id, 0);
          return;
        case GroupEvents.InvitationRejected:
          return send({ id: `${p.url}/reject`, type: "Reject", actor: person.url, object: p.url, attributedTo: group.url }, person, group);
        default:
          return;
      }
    }
    // One of our groups: its members elsewhere hear who is in it and with which role (Mobilizon addresses membership
    // changes to the group's members), so that their servers know, say, who moderates it.
    if (group.domain === null) await this.tellMembers(tx, e, p, person, group);
    // One of our groups and a person elsewhere: we speak for the group (or the moderator who acted).
    if (group.domain === null && person.domain !== null) {
      const moderator = author.domain === null && author.type === "Person" ? author : group;
      switch (e.type) {
        case GroupEvents.MemberJoined:
          return send({ id: `${base}/accept/join/${p.memberId}`, type: "Accept", actor: group.url, object: this.member(p, person, group, "member") }, group, person);
        case GroupEvents.MemberApproved:
          return send({ id: `${base}/accept/member/${p.memberId}`, type: "Accept", actor: moderator.url, attributedTo: group.url, object: this.member(p, person, group, "member") }, moderator, person);
        case GroupEvents.MemberRejected:
          return send({ id: `${base}/reject/member/${p.memberId}`, type: "Reject", actor: moderator.url, attributedTo: group.url, object: p.url }, moderator, person);
        case GroupEvents.MemberInvited:
          return send({ id: p.url, type: "Invite", actor: moderator.url, attributedTo: group.url, object: group.url, target: person.url }, moderator, person);
        case GroupEvents.MemberRoleChanged:
          return send({ id: `${base}/updates/member/${p.memberId}-${newUuid()}`, type: "Update", actor: moderator.url, attributedTo: group.url, object: this.member(p, person, group, p.role) }, moderator, person);
        case GroupEvents.MemberRemoved:
          return send({ id: `${base}/remove/member/${p.memberId}-${newUuid()}`, type: "Remove", actor: moderator.url, object: p.url, origin: group.url, target: group.url }, moderator, person);
        default:
          return;
      }
    }
  }
}
