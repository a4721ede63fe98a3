import DataLoader from "dataloader";
import type { Config } from "../config/index.ts";
import { DomainError, type Logger, type Urls } from "../kernel/index.ts";
import type { Actor, ActorService, FederatedActorService } from "../modules/actors/index.ts";
import type { TombstoneService } from "../modules/tombstones/index.ts";
import type { FollowService } from "../modules/follows/index.ts";
import type { PeerService } from "../modules/peers/index.ts";
import type { RelayService } from "../modules/relays/index.ts";
import type { ReportService } from "../modules/reports/index.ts";
import type { Comment, CommentService } from "../modules/comments/index.ts";
import type { Address, Event, EventService, RemoteEventService } from "../modules/events/index.ts";
import type { FeedService } from "../modules/feeds/index.ts";
import type { GroupFollowerService, GroupService, Member, MemberService } from "../modules/groups/index.ts";
import type { Post, PostService } from "../modules/posts/index.ts";
import type { Discussion, DiscussionService } from "../modules/discussions/index.ts";
import type { Resource, ResourceService } from "../modules/resources/index.ts";
import type { TodoList, TodoService } from "../modules/todos/index.ts";
import type { ActivityService } from "../modules/activity/index.ts";
import type { GeocodingService } from "../modules/geocoding/index.ts";
import type { InstanceService } from "../modules/instance/index.ts";
import type { ParticipantStats, ParticipationService } from "../modules/participations/index.ts";
import type { Media, MediaService } from "../modules/media/index.ts";
import type { Principal, User, UserService } from "../modules/users/index.ts";

export type Services = {
  urls: Urls;
  users: UserService;
  actors: ActorService;
  federatedActors: FederatedActorService;
  tombstones: TombstoneService;
  follows: FollowService;
  peers: PeerService;
  relays: RelayService;
  reports: ReportService;
  media: MediaService;
  instance: InstanceService;
  events: EventService;
  remoteEvents: RemoteEventService;
  participations: ParticipationService;
  feeds: FeedService;
  comments: CommentService;
  geocoding: GeocodingService;
  groups: GroupService;
  members: MemberService;
  groupFollowers: GroupFollowerService;
  posts: PostService;
  discussions: DiscussionService;
  resources: ResourceService;
  todos: TodoService;
  activity: ActivityService;
};

export type Loaders = RequestLoaders;

export type GqlContext = {
  /** The caller's account (account-level fields); `principal` is who is asking, with their identities. */
  user: User | null;
  principal: Principal;
  ip: string | null;
  services: Services;
  config: Config;
  logger: Logger;
  loaders: Loaders;
  /** Once-per-request allowances already used (see `spendOnce`). */
  spent: Set<string>;
};

/**
 * Some work may happen once per request whatever the document asks (a call to an outside geocoder): aliases must not
 * multiply it. The second use in one request is refused.
 */
export function spendOnce(ctx: GqlContext, what: string, message: string): void {
  if (ctx.spent.has(what)) throw new DomainError("bad_request", message);
  ctx.spent.add(what);
}

const byId = <T extends { id: number }>(ids: readonly number[], rows: T[]) => {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
};

/** Each key's rows, in the keys' order (a key without rows gets an empty list). */
const grouped = <T>(keys: readonly number[], rows: T[], keyOf: (row: T) => number) => {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return keys.map((k) => m.get(k) ?? []);
};

/** Each key's value from a map, in the keys' order, or `fallback`. */
const inOrder = <V>(keys: readonly number[], m: Map<number, V>, fallback: V) => keys.map((k) => m.get(k) ?? fallback);

/**
 * Per-request batch loaders, so that a list of N items costs one query per relation, not N. Each is made on first
 * use: a small request (the caller's identity) uses none of them.
 */
export function createLoaders(s: Services, principal: Principal): RequestLoaders {
  return new RequestLoaders(s, principal);
}

export class RequestLoaders {
  private readonly s: Services;
  private readonly viewer: Principal;
  private made: Partial<Record<string, unknown>> = {};
  constructor(s: Services, principal: Principal) {
    this.s = s;
    this.viewer = principal;
  }

  private once<T>(key: string, make: () => T): T {
    return (this.made[key] ??= make()) as T;
  }

  get actor() {
    return this.once("actor", () => new DataLoader<number, Actor | null>(async (ids) => byId(ids, await this.s.actors.findByIds(ids))));
  }
  get media() {
    return this.once("media", () => new DataLoader<number, Media | null>(async (ids) => byId(ids, await this.s.media.findByIds(ids))));
  }
  get user() {
    return this.once("user", () => new DataLoader<number, User | null>(async (ids) => byId(ids, await this.s.users.findByIds(ids))));
  }
  get event() {
    return this.once("event", () => new DataLoader<number, Event | null>(async (ids) => byId(ids, await this.s.events.findByIds(ids))));
  }
  get address() {
    return this.once("address", () => new DataLoader<number, Address | null>(async (ids) => byId(ids, await this.s.events.addresses(ids))));
  }
  get tags() {
    return this.once(
      "tags",
      () =>
        new DataLoader<number, { id: number; title: string; slug: string }[]>(async (eventIds) =>
          grouped(eventIds, await this.s.events.tagsOf(eventIds), (t) => t.eventId),
        ),
    );
  }
  get stats() {
    return this.once(
      "stats",
      () =>
        new DataLoader<number, ParticipantStats>(async (eventIds) => {
          const m = await this.s.participations.statsByEvents(eventIds);
          return eventIds.map((id) => m.get(id)!);
        }),
    );
  }
  get comment() {
    return this.once("comment", () => new DataLoader<number, Comment | null>(async (ids) => byId(ids, await this.s.comments.findByIds(ids))));
  }
  /** Whether the viewer organizes an event, asked by several fields of the same event: once per event per request. */
  get canManage() {
    return this.once(
      "canManage",
      () => new DataLoader<Event, boolean, number>((events) => Promise.all(events.map((e) => this.s.participations.canManage(this.viewer, e))), { cacheKeyFn: (e) => e.id }),
    );
  }
  get replies() {
    return this.once(
      "replies",
      () =>
        new DataLoader<number, Comment[]>(async (ids) => inOrder(ids, await this.s.comments.repliesFor(this.viewer, ids), [])),
    );
  }
  get replyCount() {
    return this.once(
      "replyCount",
      () =>
        new DataLoader<number, number>(async (ids) => inOrder(ids, await this.s.comments.countReplies(ids), 0)),
    );
  }
  get postTags() {
    return this.once(
      "postTags",
      () => new DataLoader<number, { id: number; title: string; slug: string }[]>(async (ids) => grouped(ids, await this.s.posts.tagsOf(ids), (t) => t.postId)),
    );
  }
  /** Resources by id (a resource's folder), todo lists by id (a todo's list), for objects already reached by a member. */
  get resource() {
    return this.once("resource", () => new DataLoader<number, Resource | null>(async (ids) => byId(ids, await this.s.resources.findByIds(ids))));
  }
  get todoList() {
    return this.once("todoList", () => new DataLoader<number, TodoList | null>(async (ids) => byId(ids, await this.s.todos.findLists(ids))));
  }
  get post() {
    return this.once("post", () => new DataLoader<number, Post | null>(async (ids) => byId(ids, await this.s.posts.findByIds(ids))));
  }
  get discussion() {
    return this.once("discussion", () => new DataLoader<number, Discussion | null>(async (ids) => byId(ids, await this.s.discussions.findByIds(ids))));
  }
  get member() {
    return this.once("member", () => new DataLoader<number, Member | null>(async (ids) => byId(ids, await this.s.members.findByIds(ids))));
  }
  get followersCount() {
    return this.once("followersCount", () => new DataLoader<number, number>(async (ids) => inOrder(ids, await this.s.follows.countApproved(ids), 0)));
  }
  get membersCount() {
    return this.once("membersCount", () => new DataLoader<number, number>(async (ids) => inOrder(ids, await this.s.members.countMembers(ids), 0)));
  }
  get actorsByUser() {
    return this.once(
      "actorsByUser",
      () =>
        new DataLoader<number, Actor[]>(async (userIds) => grouped(userIds, await this.s.actors.findByUsers(userIds), (a) => a.userId!)),
    );
  }
}
