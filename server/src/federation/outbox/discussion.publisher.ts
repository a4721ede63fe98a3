import type { Tx } from "../../db/index.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";
import type { Services } from "../../graphql/context.ts";
import type { Bus } from "../../kernel/index.ts";
import { DiscussionEvents, type DiscussionEvent } from "../../modules/discussions/index.ts";
import { CONTEXT, embedded } from "../context.ts";
import { toDiscussionMessage } from "../converters/discussion.converter.ts";
import type { Outbox } from "./outbox.ts";

/**
 * A group's discussions as activities, members only (federation.md §2.3): in one of our groups, a message goes to the
 * group's members on other servers — `Create` of the Note by its author when the author is here, and the group's
 * `Announce` embedding it (what tells members elsewhere of a message written on a third server). In a group
 * elsewhere, a message written here goes to the group (`Create`), whose server shares it with its members.
 */
export class DiscussionPublisher {
  private readonly s: Services;
  private readonly outbox: Outbox;
  constructor(d: { services: Services; outbox: Outbox }) {
    this.s = d.services;
    this.outbox = d.outbox;
  }

  listen(bus: Bus<Tx, DiscussionEvent>): void {
    bus.on(DiscussionEvents.Created, (e, tx) => this.onMessage(tx, e.payload.discussionId, e.payload.commentId));
    bus.on(DiscussionEvents.Replied, (e, tx) => this.onMessage(tx, e.payload.discussionId, e.payload.commentId));
    bus.on(DiscussionEvents.MessageChanged, (e, tx) => this.onChange(tx, e.payload.discussionId, e.payload.authorId, { commentId: e.payload.commentId, how: e.payload.how }));
    bus.on(DiscussionEvents.Renamed, (e, tx) => this.onChange(tx, e.payload.discussionId, e.payload.authorId, { renamed: e.payload.title }));
    bus.on(DiscussionEvents.Deleted, (e, tx) => this.onChange(tx, e.payload.discussionId, e.payload.authorId, { deleted: true }));
  }

  /**
   * A message edited or deleted, a discussion renamed or deleted, by one of our people: to the group's members
   * elsewhere (our group) or to the group (a group elsewhere). Changes that came from elsewhere are not sent back.
   */
  private async onChange(tx: Tx, discussionId: number, byId: number | null, what: { commentId: number; how: "updated" | "deleted" } | { renamed: string } | { deleted: true }): Promise<void> {
    const disc = await this.s.discussions.findById(discussionId, tx);
    const by = byId ? await this.s.actors.findById(byId, tx) : null;
    const group = disc ? await this.s.actors.findById(disc.groupId, tx) : null;
    if (!disc || !by || !group) return;
    // A group elsewhere hears only what our people did; our group tells its members elsewhere of every change (in
    // the group's name when it came from one of them), except the one who made it.
    if (group.domain !== null && by.domain !== null) return;
    const recipients = group.domain !== null ? [{ actor: group.url }] : (await this.s.members.remoteMemberUrls(group.id, tx)).filter((url) => url !== by.url).map((actor) => ({ actor }));
    if (recipients.length === 0) return;
    const sender = by.domain === null ? by : group;
    const membersUrl = group.domain === null ? this.s.urls.collection(group.preferredUsername, "members") : (group.endpoints?.members ?? group.url);
    const send = (activity: Record<string, unknown>) => this.outbox.send(tx, { "@context": CONTEXT, ...activity, actor: sender.url, to: [membersUrl], cc: [] }, sender.id, recipients, disc.url);
    const stamp = Date.now();
    if ("renamed" in what)
      return void (await send({ id: `${disc.url}/updates/${stamp}`, type: "Update", object: { id: disc.url, type: "Note", name: what.renamed, context: disc.url, attributedTo: group.url, actor: by.url, to: [membersUrl] } }));
    if ("deleted" in what) return void (await send({ id: `${disc.url}/delete`, type: "Delete", object: embedded(toTombstone({ uri: disc.url, formerType: "Note", deletedAt: new Date() })) }));
    const [comment] = await this.s.comments.findByIds([what.commentId], tx);
    if (!comment) return;
    if (what.how === "deleted") return void (await send({ id: `${comment.url}/delete`, type: "Delete", object: embedded(toTombstone({ uri: comment.url, formerType: "Note", deletedAt: comment.deletedAt ?? new Date() })) }));
    const author = comment.actorId ? await this.s.actors.findById(comment.actorId, tx) : null;
    const note = embedded(toDiscussionMessage(comment, disc, { authorUrl: author?.url ?? by.url, groupUrl: group.url, membersUrl }));
    await send({ id: `${comment.url}/updates/${stamp}`, type: "Update", object: note });
  }

  private async onMessage(tx: Tx, discussionId: number, commentId: number): Promise<void> {
    const disc = await this.s.discussions.findById(discussionId, tx);
    const [comment] = await this.s.comments.findByIds([commentId], tx);
    if (!disc || !comment?.actorId) return;
    const [group, author] = await Promise.all([this.s.actors.findById(disc.groupId, tx), this.s.actors.findById(comment.actorId, tx)]);
    if (!group || !author) return;
    const membersUrl = group.domain === null ? this.s.urls.collection(group.preferredUsername, "members") : (group.endpoints?.members ?? group.url);
    const note = embedded(toDiscussionMessage(comment, disc, { authorUrl: author.url, groupUrl: group.url, membersUrl }));
    const create = { "@context": CONTEXT, id: `${comment.url}/activity`, type: "Create", actor: author.url, object: note, to: note.to, cc: [] };
    if (group.domain !== null) {
      // A message written here in a group elsewhere: to the group, which shares it.
      if (author.domain === null) await this.outbox.send(tx, create, author.id, [{ actor: group.url }], disc.url);
      return;
    }
    const members = (await this.s.members.remoteMemberUrls(group.id, tx)).filter((url) => url !== author.url).map((actor) => ({ actor }));
    if (members.length === 0) return;
    if (author.domain === null) await this.outbox.send(tx, create, author.id, members, disc.url);
    const announce = { "@context": CONTEXT, id: `${comment.url}/announces/group`, type: "Announce", actor: group.url, object: note, to: note.to, cc: [] };
    await this.outbox.send(tx, announce, group.id, members, disc.url);
  }
}
