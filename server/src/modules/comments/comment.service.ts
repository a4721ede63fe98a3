import { rateLimits, type Db, type Executor, type Tx } from "../../db/index.ts";
import { DomainError, forbidden, invalid, newUuid, notFound, type Bus, type Clock, type JobQueue, type OutgoingEmail, type Urls } from "../../kernel/index.ts";
import type { ActorService } from "../actors/index.ts";
import type { MediaService } from "../media/index.ts";
import { htmlToText, sanitizeHtml, textToHtml } from "../content/index.ts";
import { EventEvents, type Event, type EventEvent, type EventRef, type EventService } from "../events/index.ts";
import type { ParticipationService } from "../participations/index.ts";
import type { Principal } from "../users/index.ts";
import { isHeld, requireAuthor, requireMayApprove, requireMayComment, requireMayDelete } from "./comment.policy.ts";
import { CommentEvents, type CommentEvent } from "./comment.events.ts";
import { announcementEmail } from "./comment.emails.ts";
import { commentRepository as repo } from "./comment.repository.ts";
import { MAX_COMMENT_LENGTH, type Comment, type CommentRef } from "./comment.types.ts";

const COMMENT_WINDOW = 10 * 60_000;
const COMMENTS_PER_WINDOW = 30;

export type CommentsDeps = {
  db: Db;
  clock: Clock;
  bus: Bus<Tx, CommentEvent | EventEvent>;
  queue: JobQueue<Executor>;
  urls: Urls;
  instanceName: string;
  events: EventService;
  actors: ActorService;
  participations: ParticipationService;
  media: MediaService;
};

/**
 * What the discussions module tells comments about a discussion's messages (plugged in by the composition root):
 * who may read them, who moderates them, and that one changed.
 */
export type DiscussionAccess = {
  mayRead(caller: Principal, discussionId: number, tx: Executor): Promise<boolean>;
  moderates(caller: Principal, discussionId: number, tx: Executor): Promise<boolean>;
  changed(tx: Tx, comment: Comment, how: "updated" | "deleted", byActorId: number | null): Promise<void>;
};

/**
 * Use cases of event comments: threads of replies, the organizer's pinned announcements e-mailed to participants,
 * moderation (allow all, moderated with approval, closed), edits by their authors, deletions that leave a tombstone.
 */
export class CommentService {
  private readonly d: CommentsDeps;
  constructor(d: CommentsDeps) {
    this.d = d;
    // An event's comments go with it: so do the media references of their texts.
    d.bus.on(EventEvents.Deleted, async (e, tx) => {
      for (const id of await repo.idsOfEvent(tx, e.payload.eventId)) await this.d.media.setReferences(tx, "comment", id, []);
    });
  }

  private now() {
    return this.d.clock.now();
  }

  private discussions: DiscussionAccess | null = null;

  /** Plugs in the rules of discussions' messages (their module sits above this one). */
  setDiscussionAccess(access: DiscussionAccess): void {
    this.discussions = access;
  }

  /** Writes a message in a discussion (the discussions module checked the caller may). */
  async addToDiscussion(tx: Tx, discussionId: number, actorId: number, text: string, remote: { url: string; publishedAt: Date | null } | null = null): Promise<Comment> {
    const html = this.clean(text);
    const uuid = newUuid();
    const c = await repo.insert(
      tx,
      {
        uuid,
        url: remote?.url ?? this.d.urls.comment(uuid),
        eventId: null,
        discussionId,
        actorId,
        inReplyToCommentId: null,
        originCommentId: null,
        text: html,
        isAnnouncement: false,
        visibility: "private",
        language: null,
        local: !remote,
        publishedAt: remote?.publishedAt ?? this.now(),
      },
      this.now(),
    );
    await this.d.media.setReferences(tx, "discussion-comment", c.id, [html]);
    return c;
  }

  /** A discussion's messages, oldest first (the discussions module checked the caller may read them). */
  ofDiscussion(discussionId: number, page: number, limit: number) {
    return repo.byDiscussion(this.d.db, discussionId, page, limit);
  }

  /** The first message still standing of each of these discussions (batched; the caller reached them as members). */
  firstOfDiscussions(discussionIds: readonly number[]) {
    return repo.firstOfDiscussions(this.d.db, discussionIds);
  }

  /** Forgets the media references of a discussion's messages (the discussion is going). */
  async forgetDiscussion(tx: Tx, discussionId: number): Promise<void> {
    await this.d.media.clearReferences(tx, "discussion-comment", await repo.idsOfDiscussion(tx, discussionId));
  }

  /** A discussion's message: its author edits it; its author or the group's moderators delete it. */
  private async changeInDiscussion(caller: Principal, c: Comment, text: string | null): Promise<Comment> {
    const access = this.discussions;
    if (!access || c.discussionId === null) throw notFound("Comment");
    const discussionId = c.discussionId;
    return this.d.db.transaction().execute(async (tx) => {
      if (c.deletedAt || !(await access.mayRead(caller, discussionId, tx))) throw notFound("Comment");
      const isAuthor = await caller.actsAs(c.actorId, tx);
      const me = isAuthor ? c.actorId : ((await caller.actorIds(tx))[0] ?? null);
      if (text !== null) {
        requireAuthor(isAuthor);
        const updated = await repo.update(tx, c.id, { text }, this.now());
        await this.d.media.setReferences(tx, "discussion-comment", c.id, [text]);
        await access.changed(tx, updated, "updated", me);
        return updated;
      }
      requireMayDelete(isAuthor, await access.moderates(caller, discussionId, tx), false);
      const deleted = await repo.softDelete(tx, c.id, this.now());
      await this.d.media.setReferences(tx, "discussion-comment", c.id, []);
      await access.changed(tx, deleted, "deleted", me);
      return deleted;
    });
  }

  private clean(text: string): string {
    if (text.length > MAX_COMMENT_LENGTH * 2) throw invalid("text", "The comment is too long");
    // Clients send HTML (Mobilizon's editor) or plain text (ours, and simple apps): plain text becomes paragraphs.
    const html = sanitizeHtml(text.includes("<") ? text : textToHtml(text), { mediaOrigin: this.d.urls.base });
    const plain = htmlToText(html);
    if (!plain) throw invalid("text", "The comment can't be empty");
    if (plain.length > MAX_COMMENT_LENGTH) throw invalid("text", `The comment is too long (at most ${MAX_COMMENT_LENGTH} characters)`);
    return html;
  }

  /** The identity the caller speaks as: their default one (a remote caller: itself). */
  private async author(caller: Principal, tx: Executor): Promise<number> {
    const own = await caller.actorIds(tx);
    const preferred = caller.user?.defaultActorId;
    const id = preferred && own.includes(preferred) ? preferred : own[0];
    if (!id) throw forbidden("Create a profile first");
    return id;
  }

  private find(ref: CommentRef, tx: Executor = this.d.db): Promise<Comment | null> {
    return "uuid" in ref ? repo.findByUuid(tx, ref.uuid) : repo.findById(tx, ref.id);
  }

  /**
   * A comment and its event, if the caller may see the event — as named: a comment's number alone does not reach an
   * unlisted event, its uuid (which the API gives for those) does. "Not found" otherwise, whether or not it exists.
   */
  private async reach(caller: Principal, ref: CommentRef, tx: Executor = this.d.db): Promise<{ comment: Comment; event: Event }> {
    const comment = await this.find(ref, tx);
    if (!comment || !comment.eventId) throw notFound("Comment");
    const event = await this.d.events.findById(comment.eventId, tx);
    if (!event) throw notFound("Comment");
    try {
      await this.d.events.requireVisible(caller, event, "uuid" in ref, tx);
    } catch {
      throw notFound("Comment");
    }
    return { comment, event };
  }

  /** Comments on an event or replies in a thread (createComment). */
  async create(
    caller: Principal,
    input: { event: EventRef; text: string; inReplyTo?: CommentRef | null; language?: string | null; isAnnouncement?: boolean | null },
    /** A remote author's comment keeps its own id and date (federation). */
    remote: { url: string; publishedAt: Date | null } | null = null,
  ): Promise<Comment> {
    if (caller.kind === "anonymous") caller.requireUser();
    if (remote) {
      const known = await repo.findByUrl(this.d.db, remote.url);
      if (known) return known;
    }
    const text = this.clean(input.text);
    // A lively discussion stays well under this; a flood of comments (a way to fill an event's page) does not.
    const who = caller.user ? `${caller.user.id}` : `remote:${caller.remote!.actorId}`;
    if ((await rateLimits.hit(this.d.db, `comments:${who}`, COMMENT_WINDOW, this.now())) > COMMENTS_PER_WINDOW)
      throw new DomainError("rate_limited", "You have posted many comments in a short time: please wait a few minutes");
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.d.events.getByRef(caller, input.event, tx);
      const actorId = await this.author(caller, tx);
      const organizer = await this.d.participations.canManage(caller, event, tx);
      // A remote event's comments follow its organizer's rules, applied on its server.
      const ours = event.local || !caller.remote;
      if (ours) requireMayComment(event, organizer, !!input.isAnnouncement && !caller.remote);
      let originId: number | null = null;
      let parentId: number | null = null;
      if (input.inReplyTo != null) {
        const parent = await this.find(input.inReplyTo, tx);
        if (!parent || parent.eventId !== event.id || parent.deletedAt || parent.visibility !== "public") throw notFound("Comment to reply to");
        parentId = parent.id;
        originId = parent.originCommentId ?? parent.id;
      }
      const held = ours && isHeld(event, organizer);
      const uuid = newUuid();
      const published = remote?.publishedAt && remote.publishedAt.getTime() < this.now().getTime() ? remote.publishedAt : this.now();
      const comment = await repo.insert(
        tx,
        {
          uuid,
          url: remote?.url ?? this.d.urls.comment(uuid),
          eventId: event.id,
          actorId,
          inReplyToCommentId: parentId,
          originCommentId: originId,
          text,
          isAnnouncement: !remote && !!input.isAnnouncement && originId === null,
          visibility: held ? "moderated" : "public",
          language: input.language && input.language !== "und" ? input.language.slice(0, 10) : null,
          local: !remote,
          publishedAt: held ? null : published,
        },
        this.now(),
      );
      await this.d.media.setReferences(tx, "comment", comment.id, [text]);
      if (comment.isAnnouncement) await this.announce(tx, event, actorId, text);
      await this.d.bus.emit({ type: CommentEvents.Created, payload: { commentId: comment.id, eventId: event.id, held } }, tx);
      return comment;
    });
  }

  private async announce(tx: Tx, event: Event, actorId: number, html: string) {
    const author = await this.d.actors.findById(actorId, tx);
    const name = author?.name || `@${author?.preferredUsername ?? "?"}`;
    for await (const r of this.d.participations.recipientsOf(tx, event)) {
      const email: OutgoingEmail = announcementEmail({ instanceName: this.d.instanceName }, r, { title: event.title, url: event.url }, name, html);
      await this.d.queue.enqueue(tx, "email.send", email as unknown as Record<string, unknown>, { queue: "mailers" });
    }
  }

  /**
   * Edits a comment; only its author may (updateComment). An edit follows the event's comment rules as a new comment
   * would: refused once comments are closed, held for approval again where they are moderated (organizers excepted).
   */
  async update(caller: Principal, ref: CommentRef, input: { text: string; isAnnouncement?: boolean | null; language?: string | null }): Promise<Comment> {
    if (caller.kind === "anonymous") caller.requireUser();
    const text = this.clean(input.text);
    const found = await this.find(ref);
    if (found?.discussionId != null) return this.changeInDiscussion(caller, found, text);
    return this.d.db.transaction().execute(async (tx) => {
      const { comment: c, event } = await this.reach(caller, ref, tx);
      if (c.deletedAt) throw notFound("Comment");
      requireAuthor(await caller.actsAs(c.actorId, tx));
      const organizer = await this.d.participations.canManage(caller, event, tx);
      const announcementChange = input.isAnnouncement != null && input.isAnnouncement !== c.isAnnouncement;
      requireMayComment(event, organizer, announcementChange);
      const isAnnouncement = announcementChange ? !!input.isAnnouncement && c.originCommentId === null : undefined;
      const held = isHeld(event, organizer);
      const updated = await repo.update(
        tx,
        c.id,
        { text, isAnnouncement, language: input.language && input.language !== "und" ? input.language : undefined, ...(held && { visibility: "moderated", publishedAt: null }) },
        this.now(),
      );
      await this.d.media.setReferences(tx, "comment", c.id, [text]);
      await this.d.bus.emit({ type: CommentEvents.Updated, payload: { commentId: c.id, eventId: event.id, held } }, tx);
      return updated;
    });
  }

  /** Deletes a comment: its author, the event's organizers or the instance's moderators (deleteComment). */
  async delete(caller: Principal, ref: CommentRef): Promise<Comment> {
    if (caller.kind === "anonymous") caller.requireUser();
    const found = await this.find(ref);
    if (found?.discussionId != null) return this.changeInDiscussion(caller, found, null);
    return this.d.db.transaction().execute(async (tx) => {
      const staff = caller.staff;
      // The instance's moderators reach any comment; others only those of events they may see.
      const c = staff ? await this.find(ref, tx) : (await this.reach(caller, ref, tx)).comment;
      if (!c || c.deletedAt) throw notFound("Comment");
      const isAuthor = await caller.actsAs(c.actorId, tx);
      const event = c.eventId ? await this.d.events.findById(c.eventId, tx) : null;
      const organizer = event ? await this.d.participations.canManage(caller, event, tx) : false;
      requireMayDelete(isAuthor, organizer, staff);
      const deleted = await repo.softDelete(tx, c.id, this.now());
      await this.d.media.setReferences(tx, "comment", c.id, []);
      await this.d.bus.emit({ type: CommentEvents.Deleted, payload: { commentId: c.id, eventId: c.eventId, url: c.url, actorId: c.actorId, byModerator: !isAuthor } }, tx);
      return deleted;
    });
  }

  /** Publishes a comment that waited for approval (approveComment); the event's organizers only. */
  async approve(caller: Principal, ref: CommentRef): Promise<Comment> {
    if (caller.kind === "anonymous") caller.requireUser();
    return this.d.db.transaction().execute(async (tx) => {
      const { comment: c, event } = await this.reach(caller, ref, tx);
      if (c.deletedAt) throw notFound("Comment");
      requireMayApprove(await this.d.participations.canManage(caller, event, tx));
      if (c.visibility === "public") return c;
      const approved = await repo.update(tx, c.id, { visibility: "public", publishedAt: this.now() }, this.now());
      await this.d.bus.emit({ type: CommentEvents.Approved, payload: { commentId: c.id, eventId: event.id } }, tx);
      return approved;
    });
  }

  /** The top-level comments of an event, as the viewer may see them (Event.comments). */
  async ofEvent(caller: Principal, event: Event): Promise<Comment[]> {
    const own = await caller.actorIds();
    const organizer = await this.d.participations.canManage(caller, event);
    return repo.topLevelByEvents(this.d.db, [event.id], { viewerActorIds: own, allPendingFor: organizer ? [event.id] : [] });
  }

  /** The replies of a comment, oldest first (thread, Comment.replies). */
  async thread(caller: Principal, ref: CommentRef): Promise<Comment[]> {
    const { comment: c, event } = await this.reach(caller, ref);
    const own = await caller.actorIds();
    const organizer = await this.d.participations.canManage(caller, event);
    return repo.repliesOf(this.d.db, [c.originCommentId ?? c.id], { viewerActorIds: own, allPendingFor: organizer ? [event.id] : [] });
  }

  /**
   * The replies of several top-level comments at once (Comment.replies, batched per request). The comments were reached
   * through events the viewer may see; organizers also see replies waiting for approval.
   */
  async repliesFor(caller: Principal, originIds: readonly number[]): Promise<Map<number, Comment[]>> {
    const origins = await repo.findByIds(this.d.db, originIds);
    const events = await this.d.events.findByIds([...new Set(origins.map((c) => c.eventId).filter((x): x is number => x !== null))]);
    const managed: number[] = [];
    for (const e of events) if (await this.d.participations.canManage(caller, e)) managed.push(e.id);
    const own = await caller.actorIds();
    const replies = await repo.repliesOf(this.d.db, originIds, { viewerActorIds: own, allPendingFor: managed });
    const out = new Map<number, Comment[]>(originIds.map((id) => [id, []]));
    for (const r of replies) out.get(r.originCommentId!)?.push(r);
    return out;
  }

  /** Whether one of these comments is one the viewer may see (its event, reached by number): who may see a media. */
  async showsMedia(caller: Principal, commentIds: readonly number[]): Promise<boolean> {
    for (const c of await repo.findByIds(this.d.db, commentIds)) {
      if (c.deletedAt || !c.eventId || c.visibility !== "public") continue;
      try {
        await this.d.events.getByRef(caller, { id: c.eventId });
        return true;
      } catch {
        /* not this one */
      }
    }
    return false;
  }

  /** A discussion message edited on another server (the caller checked who may say so). */
  async editRemoteMessage(url: string, text: string): Promise<Comment | null> {
    const html = this.clean(text);
    return this.d.db.transaction().execute(async (tx) => {
      const c = await repo.findByUrl(tx, url);
      if (!c || c.local || c.deletedAt || c.discussionId === null) return null;
      const updated = await repo.update(tx, c.id, { text: html }, this.now());
      await this.d.media.setReferences(tx, "discussion-comment", c.id, [html]);
      await this.discussions?.changed(tx, updated, "updated", c.actorId);
      return updated;
    });
  }

  /** Removes the copy of a remote comment once its server says it is gone (federation); a tombstone stays, as for ours. */
  async removeRemote(url: string): Promise<boolean> {
    return this.d.db.transaction().execute(async (tx) => {
      const c = await repo.findByUrl(tx, url);
      if (!c || c.local || c.deletedAt) return false;
      const deleted = await repo.softDelete(tx, c.id, this.now());
      await this.d.media.setReferences(tx, c.discussionId !== null ? "discussion-comment" : "comment", c.id, []);
      if (c.discussionId !== null) await this.discussions?.changed(tx, deleted, "deleted", c.actorId);
      await this.d.bus.emit({ type: CommentEvents.Deleted, payload: { commentId: c.id, eventId: c.eventId, url: c.url, actorId: c.actorId, byModerator: false } }, tx);
      return true;
    });
  }

  /** Where an event's changes go besides its participants: the people elsewhere who commented on it (Mobilizon's rule). */
  remoteAuthorUrls(eventId: number, tx: Executor = this.d.db): Promise<string[]> {
    return repo.remoteAuthorUrls(tx, eventId, 1000);
  }

  /** A comment by its ActivityPub id (federation), or null. */
  findByUrl(url: string, tx: Executor = this.d.db): Promise<Comment | null> {
    return repo.findByUrl(tx, url);
  }

  /** Published comments, all and local (statistics). */
  countPublished() {
    return repo.countPublished(this.d.db);
  }

  /** Counts of visible replies of several comments (DataLoader batch). */
  countReplies(ids: readonly number[]) {
    return repo.countReplies(this.d.db, ids);
  }

  /** Comments by ids (DataLoader batch), no visibility check: callers reach them through their event. */
  findByIds(ids: readonly number[], tx: Executor = this.d.db) {
    return repo.findByIds(tx, ids);
  }

  /** The event a comment belongs to, if the viewer may see it (permalinks). */
  async eventOf(caller: Principal, uuid: string): Promise<{ event: Event; comment: Comment }> {
    return this.reach(caller, { uuid });
  }
}
