import type { Db, Executor, Tx } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import { newUuid, type Bus, type JobQueue } from "../../kernel/index.ts";
import { PostEvents, type Post, type PostEvent } from "../../modules/posts/index.ts";
import { CONTEXT, PUBLIC, embedded } from "../context.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";
import type { Documents } from "../documents.ts";
import type { Outbox, Recipient } from "./outbox.ts";
import type { Actor } from "../../modules/actors/index.ts";

export type PostJob = { postId: number; verb: "Create" | "Update"; activityId: string };

/**
 * A group's posts as activities (federation.md §2.3): published → Create, changed → Update, deleted → Delete of a
 * Tombstone, sent by the author; the group then Announces the post (what a Mastodon account following the group
 * sees). Public and unlisted posts go to the group's followers and its members elsewhere; members-only posts to its
 * members elsewhere only; drafts nowhere.
 */
export class PostPublisher {
  private readonly d: { db: Db; services: Services; queue: JobQueue<Executor>; outbox: Outbox; documents: Documents };
  constructor(d: PostPublisher["d"]) {
    this.d = d;
  }

  listen(bus: Bus<Tx, PostEvent>): void {
    // Post events are only emitted for this instance's own posts (copies of remote ones change silently).
    bus.on(PostEvents.Created, (e, tx) => (e.payload.draft ? Promise.resolve() : this.later(tx, e.payload.postId, e.payload.url, "Create")));
    bus.on(PostEvents.Updated, (e, tx) => (e.payload.draft ? Promise.resolve() : this.later(tx, e.payload.postId, e.payload.url, e.payload.published ? "Create" : "Update")));
    bus.on(PostEvents.Deleted, async (e, tx) => {
      const p = e.payload;
      if (p.draft) return;
      const [author, group] = await Promise.all([this.d.services.actors.findById(p.authorId, tx), this.d.services.actors.findById(p.groupId, tx)]);
      if (!group) return;
      const sender = this.sender(author, group);
      if (!sender) return;
      const tombstone = embedded(toTombstone({ uri: p.url, formerType: "Article", deletedAt: new Date() }));
      const activity = { "@context": CONTEXT, id: `${p.url}/delete`, type: "Delete", actor: sender.url, object: tombstone, to: [PUBLIC] };
      await this.d.outbox.send(tx, activity, sender.id, await this.recipients({ groupId: p.groupId, visibility: p.visibility as Post["visibility"] }, tx), p.url);
    });
  }

  private async later(tx: Tx, postId: number, url: string, verb: "Create" | "Update") {
    const activityId = verb === "Create" ? `${url}/activity` : `${url}/updates/${newUuid()}`;
    await this.d.queue.enqueue(tx, "federation.post", { postId, verb, activityId } satisfies PostJob, { queue: "federation", maxAttempts: 10, orderingKey: `post|${url}` });
  }

  /**
   * Who sends a post's activities: its author when they are ours; in our group, the group when its author is
   * elsewhere (a moderator elsewhere wrote or changed it: the group shares it); in a group elsewhere, only our person
   * (to the group, which shares it).
   */
  private sender(author: Actor | null | undefined, group: Actor): Actor | null {
    if (author && author.domain === null) return author;
    return group.domain === null ? group : null;
  }

  private async recipients(post: Pick<Post, "groupId" | "visibility">, tx?: Executor): Promise<Recipient[]> {
    const [group] = await this.d.services.actors.findByIds([post.groupId], tx);
    // A group elsewhere: its server shares what our person wrote there with its followers and members.
    if (group && group.domain !== null) return [{ actor: group.url }];
    const members = (await this.d.services.members.remoteMemberUrls(post.groupId, tx)).map((actor) => ({ actor }));
    return post.visibility === "PRIVATE" ? members : [{ followersOf: post.groupId }, ...members];
  }

  /** Job: builds the activity from the post as committed; the group announces it. */
  async publish(job: PostJob): Promise<void> {
    const post = await this.d.services.posts.findById(job.postId);
    if (!post || post.draft) return;
    const [group] = await this.d.services.actors.findByIds([post.groupId]);
    if (!group || (!post.local && group.domain !== null)) return;
    const [author] = post.authorId ? await this.d.services.actors.findByIds([post.authorId]) : [group];
    const sender = this.sender(author, group);
    if (!sender) return;
    const object = embedded(await this.d.documents.post(post));
    const published = new Date().toISOString();
    const recipients = await this.recipients(post);
    await this.d.db.transaction().execute(async (tx) => {
      await this.d.outbox.send(tx, { "@context": CONTEXT, id: post.local ? job.activityId : `${group.url}/shared/${newUuid()}`, type: job.verb, actor: sender.url, published, to: object.to, cc: object.cc, object }, sender.id, recipients, post.url);
      if (job.verb === "Create" && group.domain === null) {
        const announce = { "@context": CONTEXT, id: post.local ? `${post.url}/announces/group` : `${group.url}/announces/${post.uuid}`, type: "Announce", actor: group.url, object: post.visibility === "PRIVATE" ? object : post.url, published, to: object.to, cc: object.cc };
        await this.d.outbox.send(tx, announce, group.id, recipients, post.url);
      }
    });
  }
}
