import type { Db, Executor, Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import { newUuid, type Bus, type JobQueue } from "../../kernel/index.ts";
import { CommentEvents, type CommentEvent } from "../../modules/comments/index.ts";
import { readableByLink } from "../../modules/events/index.ts";
import { CONTEXT, PUBLIC } from "../context.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";
import type { Documents } from "../documents.ts";
import type { Outbox, Recipient } from "./outbox.ts";

export type CommentJob = { commentId: number; verb: "Create" | "Update" | "Delete"; activityId: string };

/**
 * Comments written here as activities: Create when published (at once, or when an organizer approves a held one),
 * Update when edited, Delete of a Tombstone when deleted. Comments of public and unlisted events only, to the
 * event's organizer and participants on other servers, the author of the comment answered, and the servers that
 * follow this instance; built after the change commits, in order per comment.
 */
export class CommentPublisher {
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

  listen(bus: Bus<Tx, CommentEvent>): void {
    bus.on(CommentEvents.Created, (e, tx) => (e.payload.held ? Promise.resolve() : this.later(tx, e.payload.commentId, "Create")));
    bus.on(CommentEvents.Approved, (e, tx) => this.later(tx, e.payload.commentId, "Create"));
    bus.on(CommentEvents.Updated, (e, tx) => (e.payload.held ? Promise.resolve() : this.later(tx, e.payload.commentId, "Update")));
    bus.on(CommentEvents.Deleted, (e, tx) => this.later(tx, e.payload.commentId, "Delete"));
  }

  private async later(tx: Tx, commentId: number, verb: CommentJob["verb"]) {
    const [c] = await this.s.comments.findByIds([commentId], tx);
    if (!c || !c.local) return;
    const activityId = verb === "Create" ? this.s.urls.activity(c.url, "activity") : verb === "Delete" ? this.s.urls.activity(c.url, "delete") : `${c.url}/updates/${newUuid()}`;
    await this.queue.enqueue(tx, "federation.comment", { commentId, verb, activityId } satisfies CommentJob, { queue: "federation", maxAttempts: 10, orderingKey: `comment|${c.url}` });
  }

  /** Job: builds the activity from the comment as committed and hands it to the outbox. */
  async publish(job: CommentJob): Promise<void> {
    const [c] = await this.s.comments.findByIds([job.commentId]);
    if (!c || !c.local || c.eventId === null || c.actorId === null) return;
    if (job.verb !== "Delete" && (c.deletedAt || c.visibility !== "public")) return;
    const [event] = await this.s.events.findByIds([c.eventId]);
    // A comment goes where its event may go (a remote event, stored here only when public or unlisted, included).
    if (!event || !readableByLink(event)) return;
    const [author] = await this.s.actors.findByIds([c.actorId]);
    if (!author) return;
    let object: Record<string, unknown>;
    if (job.verb === "Delete") object = toTombstone({ uri: c.url, formerType: "Note", deletedAt: c.deletedAt ?? new Date() });
    else object = await this.documents.comment(c, event);
    delete object["@context"];
    const recipients: Recipient[] = [{ instanceFollowers: true }, ...(await this.s.participations.remoteParticipantUrls(event.id)).map((actor) => ({ actor }))];
    const [organizer] = await this.s.actors.findByIds([event.organizerActorId]);
    if (organizer?.domain) recipients.push({ actor: organizer.url });
    if (c.inReplyToCommentId) {
      const [parent] = await this.s.comments.findByIds([c.inReplyToCommentId]);
      const [parentAuthor] = parent?.actorId ? await this.s.actors.findByIds([parent.actorId]) : [];
      if (parentAuthor?.domain) recipients.push({ actor: parentAuthor.url });
    }
    const activity = { "@context": CONTEXT, id: job.activityId, type: job.verb, actor: author.url, published: new Date().toISOString(), to: object.to ?? [PUBLIC], cc: object.cc ?? [], object };
    await this.db.transaction().execute((tx) => this.outbox.send(tx, activity, author.id, recipients, c.url));
  }
}
