import type { Db, Executor, Tx } from "../../db/index.ts";
import { DomainError, invalid, newUuid, notFound, notPermitted, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import type { Comment, CommentService } from "../comments/index.ts";
import { slugify } from "../content/index.ts";
import { GroupEvents, inGroup, moderates, type GroupEvent, type GroupService, type Member } from "../groups/index.ts";
import type { Principal } from "../users/index.ts";
import { DiscussionEvents, type DiscussionEvent } from "./discussion.events.ts";
import { discussionRepository as repo } from "./discussion.repository.ts";
import { checkDiscussionTitle, type Discussion } from "./discussion.types.ts";

export type DiscussionsDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, DiscussionEvent | GroupEvent>; groups: GroupService; comments: CommentService };

/**
 * Use cases of a group's discussions: members-only threads. Its members open them, reply, rename them; their creator
 * and the group's moderators delete them; messages are edited by their author and deleted by their author or a
 * moderator (through updateComment and deleteComment). Everyone else gets "not found", never a glimpse.
 */
export class DiscussionService {
  private readonly d: DiscussionsDeps;
  constructor(d: DiscussionsDeps) {
    this.d = d;
    d.comments.setDiscussionAccess({
      mayRead: async (caller, id, tx) => !!(await this.reachable(caller, id, tx)),
      moderates: async (caller, id, tx) => moderates((await this.reachable(caller, id, tx))?.member),
      changed: async (tx, c, how, by) => {
        const disc = await repo.findById(tx, c.discussionId!);
        if (!disc) return;
        await repo.update(tx, disc.id, {}, this.now());
        await this.d.bus.emit({ type: DiscussionEvents.MessageChanged, payload: { ...this.payload(disc, by), commentId: c.id, how } }, tx);
      },
    });
    d.bus.on(GroupEvents.Deleted, async (e, tx) => {
      for (const id of await repo.idsByGroup(tx, e.payload.groupId)) await this.remove(tx, id);
    });
  }

  private now() {
    return this.d.clock.now();
  }

  private payload(disc: Discussion, authorId: number | null) {
    return { discussionId: disc.id, groupId: disc.groupId, authorId, title: disc.title, slug: disc.slug };
  }

  /** A discussion and the caller's membership of its group, if they are in it (null otherwise). */
  private async reachable(caller: Principal, id: number, tx?: Executor): Promise<{ disc: Discussion; member: Member } | null> {
    if (caller.kind === "anonymous") return null;
    const disc = await repo.findById(tx ?? this.d.db, id);
    if (!disc) return null;
    const member = await this.d.groups.membershipOf(caller, disc.groupId, tx);
    return inGroup(member) ? { disc, member: member! } : null;
  }

  private async require(caller: Principal, ref: { id: number } | { slug: string }, tx?: Executor): Promise<{ disc: Discussion; member: Member }> {
    caller.requireUser();
    const found = "id" in ref ? await repo.findById(tx ?? this.d.db, ref.id) : await repo.findBySlug(tx ?? this.d.db, ref.slug);
    const r = found ? await this.reachable(caller, found.id, tx) : null;
    // Mobilizon's words: its client shows its "not found" page on this message.
    if (!r) throw new DomainError("not_found", "No such discussion", "id" in ref ? "discussionId" : "slug");
    return r;
  }

  private async remove(tx: Tx, id: number): Promise<void> {
    await this.d.comments.forgetDiscussion(tx, id);
    // Its messages go with it (foreign key).
    await repo.delete(tx, id);
  }

  /** Opens a discussion in a group with its first message, as the caller's identity in the group (createDiscussion). */
  async create(caller: Principal, groupId: number, title: string, text: string): Promise<Discussion> {
    caller.requireUser();
    const t = checkDiscussionTitle(title);
    const group = await this.d.groups.findGroup(groupId);
    const member = group ? await this.d.groups.membershipOf(caller, group.id) : null;
    if (!group || !inGroup(member)) throw notFound("Group");
    return this.d.db.transaction().execute(async (tx) => {
      const uuid = newUuid();
      const slug = `${slugify(t) || "discussion"}-${uuid.slice(0, 8)}`;
      // A discussion of a group elsewhere is named here until its server shares it (its id is ours, as Mobilizon's members' are).
      const url = group.domain === null ? `${this.d.urls.actor(group.preferredUsername)}/c/${slug}` : `${this.d.urls.base}/discussions/${uuid}`;
      const disc = await repo.insert(tx, { uuid, slug, url, title: t, groupId: group.id, creatorId: member!.actorId }, this.now());
      const c = await this.d.comments.addToDiscussion(tx, disc.id, member!.actorId, text);
      const withLast = await repo.update(tx, disc.id, { lastCommentId: c.id }, this.now());
      await this.d.bus.emit({ type: DiscussionEvents.Created, payload: { ...this.payload(withLast, member!.actorId), commentId: c.id } }, tx);
      return withLast;
    });
  }

  /** Replies in a discussion (replyToDiscussion). */
  async reply(caller: Principal, id: number, text: string): Promise<Discussion> {
    const { disc, member } = await this.require(caller, { id });
    return this.d.db.transaction().execute(async (tx) => {
      const c = await this.d.comments.addToDiscussion(tx, disc.id, member.actorId, text);
      const updated = await repo.update(tx, disc.id, { lastCommentId: c.id }, this.now());
      await this.d.bus.emit({ type: DiscussionEvents.Replied, payload: { ...this.payload(updated, member.actorId), commentId: c.id } }, tx);
      return updated;
    });
  }

  /** Renames a discussion: any member of its group (updateDiscussion). */
  async rename(caller: Principal, id: number, title: string): Promise<Discussion> {
    const t = checkDiscussionTitle(title);
    const { disc, member } = await this.require(caller, { id });
    if (t === disc.title) return disc;
    return this.d.db.transaction().execute(async (tx) => {
      const updated = await repo.update(tx, disc.id, { title: t }, this.now());
      await this.d.bus.emit({ type: DiscussionEvents.Renamed, payload: { ...this.payload(updated, member.actorId), oldTitle: disc.title } }, tx);
      return updated;
    });
  }

  /** Deletes a discussion with its messages: its creator or the group's moderators (deleteDiscussion). */
  async delete(caller: Principal, id: number): Promise<Discussion> {
    const { disc, member } = await this.require(caller, { id });
    const creator = disc.creatorId !== null && (await caller.actsAs(disc.creatorId));
    if (!creator && !moderates(member)) throw notPermitted("Only the discussion's creator and the group's moderators delete it");
    return this.d.db.transaction().execute(async (tx) => {
      await this.d.bus.emit({ type: DiscussionEvents.Deleted, payload: this.payload(disc, member.actorId) }, tx);
      await this.remove(tx, disc.id);
      return disc;
    });
  }

  /** A discussion by id or slug, for the members of its group (discussion). */
  async get(caller: Principal, ref: { id: number } | { slug: string }): Promise<Discussion> {
    if (!("id" in ref) && !ref.slug) throw invalid("slug", "Give the discussion's slug or id");
    return (await this.require(caller, ref)).disc;
  }

  /** A group's discussions for its members; others get an empty page (Group.discussions, which Mobilizon's client asks for anyway). */
  async byGroup(caller: Principal, groupId: number, page: number, limit: number): Promise<{ total: number; elements: Discussion[] }> {
    if (caller.kind === "anonymous" || !inGroup(await this.d.groups.membershipOf(caller, groupId))) return { total: 0, elements: [] };
    return repo.byGroup(this.d.db, groupId, page, limit);
  }

  // ---------------------------------------------------------------- from other servers (federation)

  /**
   * A group's discussions with their opening message, for its discussions collection (read by one of its members'
   * servers; the caller checked who reads). A discussion whose every message is deleted comes without one.
   */
  async forFederation(groupId: number, page: number, limit: number): Promise<{ total: number; elements: { discussion: Discussion; first: Comment | null }[] }> {
    const r = await repo.byGroup(this.d.db, groupId, page, limit);
    const firsts = new Map((await this.d.comments.firstOfDiscussions(r.elements.map((x) => x.id))).map((c) => [c.discussionId, c]));
    return { total: r.total, elements: r.elements.map((discussion) => ({ discussion, first: firsts.get(discussion.id) ?? null })) };
  }

  /**
   * A discussion's message from another server (a Note): a member elsewhere writing in one of our groups, or the server
   * of a group elsewhere sharing what its members wrote. The caller (the federation adapter) checked who may send it.
   * A message whose discussion is not known opens it when it carries a title. Known messages are not stored twice.
   */
  async receive(v: { groupId: number; discussionUrl: string; title: string | null; message: { url: string; text: string; authorId: number; publishedAt: Date | null } }): Promise<Discussion | null> {
    const group = await this.d.groups.findGroup(v.groupId);
    if (!group) return null;
    return this.d.db.transaction().execute(async (tx) => {
      if (await this.d.comments.findByUrl(v.message.url, tx)) return null;
      let disc = await repo.findByUrl(tx, v.discussionUrl);
      if (disc && disc.groupId !== group.id) return null;
      let created = false;
      if (!disc) {
        if (!v.title) return null;
        const uuid = newUuid();
        const title = checkDiscussionTitle(v.title.slice(0, 1000));
        disc = await repo.insert(tx, { uuid, slug: `${slugify(title) || "discussion"}-${uuid.slice(0, 8)}`, url: v.discussionUrl, title, groupId: group.id, creatorId: v.message.authorId }, this.now());
        created = true;
      }
      const c = await this.d.comments.addToDiscussion(tx, disc.id, v.message.authorId, v.message.text, { url: v.message.url, publishedAt: v.message.publishedAt });
      const updated = await repo.update(tx, disc.id, { lastCommentId: c.id }, this.now());
      await this.d.bus.emit({ type: created ? DiscussionEvents.Created : DiscussionEvents.Replied, payload: { ...this.payload(updated, v.message.authorId), commentId: c.id } }, tx);
      return updated;
    });
  }

  /** Discussions by ids (batched), without checks: callers reached them as members. */
  findByIds(ids: readonly number[]): Promise<Discussion[]> {
    return repo.findByIds(this.d.db, ids);
  }

  /** A discussion renamed on another server (the caller checked it may say so). */
  async renameFromRemote(url: string, title: string, byActorId: number): Promise<Discussion | null> {
    const disc = await repo.findByUrl(this.d.db, url);
    if (!disc) return null;
    const t = checkDiscussionTitle(title.slice(0, 1000));
    if (t === disc.title) return disc;
    return this.d.db.transaction().execute(async (tx) => {
      const updated = await repo.update(tx, disc.id, { title: t }, this.now());
      await this.d.bus.emit({ type: DiscussionEvents.Renamed, payload: { ...this.payload(updated, byActorId), oldTitle: disc.title } }, tx);
      return updated;
    });
  }

  /** A discussion deleted on another server, with its messages (the caller checked it may say so). */
  async removeFromRemote(url: string, byActorId: number): Promise<boolean> {
    const disc = await repo.findByUrl(this.d.db, url);
    if (!disc) return false;
    await this.d.db.transaction().execute(async (tx) => {
      await this.d.bus.emit({ type: DiscussionEvents.Deleted, payload: this.payload(disc, byActorId) }, tx);
      await this.remove(tx, disc.id);
    });
    return true;
  }

  /** A discussion by its ActivityPub id (federation). */
  findByUrl(url: string): Promise<Discussion | null> {
    return repo.findByUrl(this.d.db, url);
  }

  /** A discussion by id, without checks (a member's timeline names it); pass the transaction when inside one. */
  findById(id: number, tx: Executor = this.d.db): Promise<Discussion | null> {
    return repo.findById(tx, id);
  }

  /** A discussion's messages, oldest first; the discussion was reached by a member. */
  comments(disc: Discussion, page: number, limit: number): Promise<{ total: number; elements: Comment[] }> {
    return this.d.comments.ofDiscussion(disc.id, page, limit);
  }

  /** Whether one of these messages is in a discussion the viewer may read (who may see a media). */
  async showsMedia(caller: Principal, commentIds: readonly number[]): Promise<boolean> {
    for (const c of await this.d.comments.findByIds(commentIds)) if (c.discussionId !== null && (await this.reachable(caller, c.discussionId))) return true;
    return false;
  }
}
