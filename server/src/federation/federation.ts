import type { Hono } from "hono";
import type { Config } from "../config/index.ts";
import type { Db, Executor, Tx } from "../db/index.ts";
import type { Services } from "../graphql/context.ts";
import { OutboundHttp, type Bus, type Clock, type JobQueue, type Logger } from "../kernel/index.ts";
import { Documents } from "./documents.ts";
import { ApFetcher } from "./fetcher.ts";
import type { InboxContext } from "./inbox/context.ts";
import { fetchAndPersist, persistEvent } from "./inbox/event.handler.ts";
import { processActivity } from "./inbox/processor.ts";
import { hostOf, httpUrl, idOf, isObject } from "./parse/json.ts";
import { persistArticle } from "./inbox/post.handler.ts";
import { isMember, onListedMember } from "./inbox/group.handler.ts";
import { isResource, onResource, onTodoThing } from "./inbox/resource.handler.ts";
import { onDiscussionNote } from "./inbox/discussion.handler.ts";
import type { Actor } from "../modules/actors/index.ts";
import { receive, type InboxJob } from "./inbox/receive.ts";
import { receiptRepository } from "./inbox/receipt.repository.ts";
import { deliver, type DeliverPayload } from "./outbox/delivery.ts";
import { Outbox, type FanoutPayload } from "./outbox/outbox.ts";
import { EventPublisher, type EventJob } from "./outbox/event.publisher.ts";
import { FollowPublisher } from "./outbox/follow.publisher.ts";
import { ParticipationPublisher } from "./outbox/participation.publisher.ts";
import { CommentPublisher, type CommentJob } from "./outbox/comment.publisher.ts";
import { GroupPublisher } from "./outbox/group.publisher.ts";
import { DiscussionPublisher } from "./outbox/discussion.publisher.ts";
import { ResourcePublisher } from "./outbox/resource.publisher.ts";
import { mountGroupCollections } from "./routes/group-collections.route.ts";
import { PostPublisher, type PostJob } from "./outbox/post.publisher.ts";
import type { CommentEvent } from "../modules/comments/index.ts";
import type { GroupEvent } from "../modules/groups/index.ts";
import type { PostEvent } from "../modules/posts/index.ts";
import type { DiscussionEvent } from "../modules/discussions/index.ts";
import type { ResourceEvent } from "../modules/resources/index.ts";
import type { TodoEvent } from "../modules/todos/index.ts";
import type { ParticipationEvent } from "../modules/participations/index.ts";
import { Lookup } from "./lookup.ts";
import { crawlItems, crawlOutbox } from "./crawl.ts";
import { copyPicture, wantPicture, type PictureJob } from "./pictures.ts";
import type { FollowEvent } from "../modules/follows/index.ts";
import type { EventEvent } from "../modules/events/index.ts";
import { RemoteActors } from "./remote-actors.ts";
import { mountActors } from "./routes/actors.route.ts";
import { mountDiscovery } from "./routes/discovery.route.ts";
import { mountObjects } from "./routes/objects.route.ts";

/** Groups elsewhere are read again after a day; so many per hourly run at most. */
const GROUP_REFRESH_MS = 24 * 60 * 60_000;
const GROUPS_REFRESHED_PER_RUN = 50;

export type FederationDeps = { config: Config; db: Db; clock: Clock; queue: JobQueue<Executor>; services: Services; logger: Logger; version: string };

type Handler = (payload: Record<string, unknown>) => Promise<void>;

/** How long receipts of accepted activities are kept (retries come within hours). */
const RECEIPTS_KEPT_MS = 7 * 24 * 3600_000;

/**
 * ActivityPub (docs/adr/0013): discovery, the documents of local actors and objects, inboxes, and deliveries through
 * the job queue. With FEDERATION=false none of it is served (the well-known endpoints and inboxes answer 404) and
 * nothing is sent.
 */
export class Federation {
  readonly documents: Documents;
  readonly http: OutboundHttp;
  readonly fetcher: ApFetcher;
  readonly actors: RemoteActors;
  readonly outbox: Outbox;
  readonly lookup: Lookup;
  private readonly events: EventPublisher;
  private readonly follows: FollowPublisher;
  private readonly participations: ParticipationPublisher;
  private readonly comments: CommentPublisher;
  private readonly groups: GroupPublisher;
  private readonly posts: PostPublisher;
  private readonly discussions: DiscussionPublisher;
  private readonly resources: ResourcePublisher;
  private readonly d: FederationDeps;
  constructor(d: FederationDeps) {
    this.d = d;
    this.documents = new Documents(d.services);
    this.http = new OutboundHttp({ allowPrivate: d.config.allowPrivateAddresses, userAgent: `Convene/${d.version} (+${d.config.baseUrl})` });
    this.fetcher = new ApFetcher(this.http, d.services);
    this.actors = new RemoteActors(this.fetcher, d.services, d.clock, d.logger);
    this.actors.pictures = async (actor, urls) => {
      if (urls.avatar) await this.picture({ url: urls.avatar, kind: "avatar", actorId: actor.id }, actor.avatarId);
      if (urls.banner) await this.picture({ url: urls.banner, kind: "banner", actorId: actor.id }, actor.bannerId);
    };
    this.outbox = new Outbox(d.db, d.queue, d.services, d.logger);
    this.events = new EventPublisher({ db: d.db, services: d.services, queue: d.queue, outbox: this.outbox, documents: this.documents });
    this.follows = new FollowPublisher({ services: d.services, outbox: this.outbox, queue: d.queue });
    this.participations = new ParticipationPublisher({ services: d.services, outbox: this.outbox });
    this.comments = new CommentPublisher({ db: d.db, services: d.services, queue: d.queue, outbox: this.outbox, documents: this.documents });
    this.groups = new GroupPublisher({ services: d.services, outbox: this.outbox, queue: d.queue });
    this.discussions = new DiscussionPublisher({ services: d.services, outbox: this.outbox });
    this.resources = new ResourcePublisher({ services: d.services, outbox: this.outbox });
    this.posts = new PostPublisher({ db: d.db, services: d.services, queue: d.queue, outbox: this.outbox, documents: this.documents });
    this.lookup = new Lookup({
      http: this.http,
      actors: this.actors,
      services: d.services,
      logger: d.logger,
      allowHttp: d.config.allowPrivateAddresses,
      persist: async (url) => fetchAndPersist(this.context({ activity: {}, signerActorId: null }, await d.services.federatedActors.instanceActor()), url),
    });
  }

  /** Registers the listeners that turn domain events into activities (nothing is sent with FEDERATION=false). */
  listen(bus: Bus<Tx, EventEvent> & Bus<Tx, FollowEvent> & Bus<Tx, ParticipationEvent> & Bus<Tx, CommentEvent> & Bus<Tx, GroupEvent> & Bus<Tx, PostEvent> & Bus<Tx, DiscussionEvent> & Bus<Tx, ResourceEvent | TodoEvent>): void {
    if (!this.d.config.federation) return;
    this.events.listen(bus);
    this.follows.listen(bus);
    this.participations.listen(bus);
    this.comments.listen(bus);
    this.groups.listen(bus);
    this.posts.listen(bus);
    this.discussions.listen(bus);
    this.resources.listen(bus);
  }

  /** Adds the federation routes to the HTTP app, before the pages (they answer ActivityStreams requests only). */
  mount(app: Hono): void {
    const { config, services } = this.d;
    if (!config.federation) {
      for (const path of ["/.well-known/webfinger", "/.well-known/host-meta", "/.well-known/nodeinfo", "/.well-known/nodeinfo/*", "/relay", "/relay/inbox", "/inbox"])
        app.all(path, (c) => c.json({ error: "this instance does not federate" }, 404));
      app.post("/:handle{@[a-z0-9_]+}/inbox", (c) => c.json({ error: "this instance does not federate" }, 404));
      return;
    }
    mountDiscovery(app, {
      services,
      version: this.d.version,
      instanceName: config.instanceName,
      instanceDescription: config.instanceDescription,
      openRegistrations: () => config.registrations.open,
    });
    const inbox = { db: this.d.db, clock: this.d.clock, services, actors: this.actors, queue: this.d.queue, logger: this.d.logger };
    for (const path of ["/inbox", "/relay/inbox", "/:handle{@[a-z0-9_]+}/inbox"]) app.post(path, (c) => receive(c, inbox));
    mountActors(app, { db: this.d.db, services, documents: this.documents });
    mountGroupCollections(app, { db: this.d.db, clock: this.d.clock, services, documents: this.documents, actors: this.actors });
    mountObjects(app, { services, documents: this.documents });
  }

  /** The worker's federation jobs: process an accepted activity, fan an activity out, deliver it to one inbox. */
  jobHandlers(): Map<string, Handler> {
    return new Map<string, Handler>([
      ["federation.inbox", (p) => this.process(p as unknown as InboxJob)],
      ["federation.event", (p) => this.events.publish(p as unknown as EventJob)],
      ["federation.comment", (p) => this.comments.publish(p as unknown as CommentJob)],
      ["federation.post", (p) => this.posts.publish(p as unknown as PostJob)],
      ["federation.fanout", async (p) => void (await this.outbox.fanout(p as unknown as FanoutPayload, this.actors))],
      ["federation.deliver", (p) => deliver(p as unknown as DeliverPayload, { http: this.http, services: this.d.services, logger: this.d.logger })],
      ["federation.crawl", (p) => this.crawl(String(p.outbox))],
      ["federation.group-crawl", (p) => this.crawlGroup(Number(p.groupId), Number(p.memberActorId))],
      ["federation.groups-refresh", () => this.refreshGroups()],
      ["federation.group-update", (p) => this.groups.sendUpdate(Number(p.groupId), (a) => this.documents.actor(a), this.d.db)],
      ["federation.picture", (p) => copyPicture(p as unknown as PictureJob, { http: this.http, services: this.d.services, logger: this.d.logger })],
      ["federation.purge-receipts", async () => void (await receiptRepository.purge(this.d.db, new Date(this.d.clock.now().getTime() - RECEIPTS_KEPT_MS)))],
    ]);
  }

  /** Job: reads a newly followed actor's outbox and stores the events it lists, each read from its origin. */
  private async crawl(outbox: string): Promise<void> {
    const relay = await this.d.services.federatedActors.instanceActor();
    const ctx = this.context({ activity: {}, signerActorId: relay.id }, relay);
    for (const id of await crawlOutbox(this.fetcher, outbox, this.d.logger)) await fetchAndPersist(ctx, id);
  }

  /**
   * Job: once one of our people is in a group elsewhere, reads what members see of it from its collections, signed by
   * that person, in Mobilizon's order (members, resources, posts, todos, discussions, events; the first pages of each):
   * who is in it, its folders and links, its posts (members-only ones included), its todo lists and todos, its
   * discussions with their opening message and its public events. A collection that cannot be read is skipped.
   */
  private async crawlGroup(groupId: number, memberActorId: number): Promise<void> {
    const [group, member] = await Promise.all([this.d.services.actors.findById(groupId), this.d.services.actors.findById(memberActorId)]);
    if (!group || !member || group.type !== "Group" || group.domain === null || member.domain !== null) return;
    const doc = await this.fetcher.get(group.url, member);
    // Gone on its server (410): gone here, with what we kept of it.
    if (doc.kind === "gone") return void (await this.d.services.federatedActors.removeRemote(group.id));
    if (doc.kind !== "ok") return;
    // Its profile again (name, pictures, keys), then its collections.
    if (!(await this.actors.get(group.url, { refresh: true }))) return;
    const host = hostOf(group.url)!;
    const items = async (name: string, seen?: { complete: boolean }) => {
      const url = httpUrl(doc.json[name]) ?? httpUrl((isObject(doc.json.endpoints) ? doc.json.endpoints : {})[name]);
      return url && hostOf(url) === host ? crawlItems(this.fetcher, url, member, name === "members" || name === "events", seen) : [];
    };
    const ctx = this.context({ activity: {}, signerActorId: group.id }, group);
    const seen = { complete: false };
    const members = (await items("members", seen)).filter(isMember);
    for (const item of members) await onListedMember(ctx, group, item);
    // The whole list was read, as a member reads it (it names the member reading it: a server that did not take us for
    // one answers an empty list): people elsewhere it no longer names have left.
    const urls = members.map((m) => idOf(m)).filter((u): u is string => !!u);
    if (seen.complete && members.some((m) => idOf(m.actor) === member.url)) await this.d.services.members.pruneMirror(host, group.id, urls);
    for (const item of await items("resources")) if (isResource(item)) await onResource(ctx, item);
    for (const item of await items("posts")) if (item.type === "Article") await persistArticle(ctx, item, host);
    // Lists before their todos, whatever order the collection has them in.
    const todos = await items("todos");
    for (const item of [...todos.filter((t) => t.type === "TodoList"), ...todos.filter((t) => t.type === "Todo")]) await onTodoThing(ctx, item);
    // Oldest first, so that a discussion's messages keep their order here.
    for (const item of (await items("discussions")).reverse()) if (item.type === "Note") await onDiscussionNote(ctx, item, "announce");
    // The group's server's own events as it lists them; one its moderator elsewhere published, from where it lives.
    for (const item of await items("events"))
      if (item.type === "Event" && idOf(item.id)) await (hostOf(idOf(item.id)) === host ? persistEvent(ctx, item, host, group.url) : fetchAndPersist(ctx, idOf(item.id)!));
  }

  /**
   * Task: groups elsewhere that our people are in are read again once a day (Mobilizon refreshes the groups it knows):
   * their profile, who is in them and with which role, and their content — a few per run, as one of our members.
   */
  private async refreshGroups(): Promise<void> {
    const before = new Date(this.d.clock.now().getTime() - GROUP_REFRESH_MS);
    for (const g of await this.d.services.members.remoteGroupsToRefresh(before, GROUPS_REFRESHED_PER_RUN))
      await this.d.queue.enqueue(this.d.db, "federation.group-crawl", { groupId: g.groupId, memberActorId: g.actorId }, { queue: "federation", maxAttempts: 3, uniqueKey: `group-crawl:${g.groupId}:${g.actorId}` });
  }

  private async process(job: InboxJob): Promise<void> {
    if (job.signerActorId === null) {
      // Not trusted as sent: its object is read from its origin.
      const id = idOf(job.activity.object);
      const relay = await this.d.services.federatedActors.instanceActor();
      if (id) await fetchAndPersist(this.context(job, relay), id);
      return;
    }
    const [signer] = await this.d.services.actors.findByIds([job.signerActorId]);
    if (!signer || signer.suspended) return;
    if (await this.d.services.peers.isBlocked(signer.domain ?? "")) return;
    await processActivity(this.context(job, signer));
  }

  private context(job: InboxJob, signer: Actor): InboxContext {
    return {
      activity: job.activity,
      signer,
      db: this.d.db,
      clock: this.d.clock,
      urls: this.d.services.urls,
      services: this.d.services,
      actors: this.actors,
      fetcher: this.fetcher,
      outbox: this.outbox,
      documents: this.documents,
      logger: this.d.logger,
      picture: (job, current) => this.picture(job, current),
    };
  }

  private picture(job: PictureJob, current: number | null): Promise<void> {
    return wantPicture({ queue: this.d.queue, services: this.d.services, db: this.d.db }, job, current);
  }
}
