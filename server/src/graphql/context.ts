import DataLoader from "dataloader";
import type { Config } from "../config/index.ts";
import type { Logger } from "../kernel/index.ts";
import type { Actor, ActorService } from "../modules/actors/index.ts";
import type { Comment, CommentService } from "../modules/comments/index.ts";
import type { Address, Event, EventService } from "../modules/events/index.ts";
import type { FeedService } from "../modules/feeds/index.ts";
import type { GeocodingService } from "../modules/geocoding/index.ts";
import type { InstanceService } from "../modules/instance/index.ts";
import type { ParticipantStats, ParticipationService } from "../modules/participations/index.ts";
import type { Media, MediaService } from "../modules/media/index.ts";
import type { User, UserService } from "../modules/users/index.ts";

export type Services = {
  users: UserService;
  actors: ActorService;
  media: MediaService;
  instance: InstanceService;
  events: EventService;
  participations: ParticipationService;
  feeds: FeedService;
  comments: CommentService;
  geocoding: GeocodingService;
};

export type Loaders = ReturnType<typeof createLoaders>;

export type GqlContext = {
  user: User | null;
  ip: string | null;
  services: Services;
  config: Config;
  logger: Logger;
  loaders: Loaders;
};

const byId = <T extends { id: number }>(ids: readonly number[], rows: T[]) => {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
};

/** Per-request batch loaders, so that a list of N items costs one query per relation, not N. */
export function createLoaders(s: Services, user: User | null) {
  return {
    actor: new DataLoader<number, Actor | null>(async (ids) => byId(ids, await s.actors.findByIds(ids))),
    media: new DataLoader<number, Media | null>(async (ids) => byId(ids, await s.media.findByIds(ids))),
    user: new DataLoader<number, User | null>(async (ids) => byId(ids, await s.users.findByIds(ids))),
    event: new DataLoader<number, Event | null>(async (ids) => byId(ids, await s.events.findByIds(ids))),
    address: new DataLoader<number, Address | null>(async (ids) => byId(ids, await s.events.addresses(ids))),
    tags: new DataLoader<number, { id: number; title: string; slug: string }[]>(async (eventIds) => {
      const all = await s.events.tagsOf(eventIds);
      return eventIds.map((id) => all.filter((t) => t.eventId === id));
    }),
    stats: new DataLoader<number, ParticipantStats>(async (eventIds) => {
      const m = await s.participations.statsByEvents(eventIds);
      return eventIds.map((id) => m.get(id)!);
    }),
    comment: new DataLoader<number, Comment | null>(async (ids) => byId(ids, await s.comments.findByIds(ids))),
    // Whether the viewer organizes an event, asked by several fields of the same event: once per event per request.
    canManage: new DataLoader<Event, boolean, number>((events) => Promise.all(events.map((e) => s.participations.canManage(user, e))), { cacheKeyFn: (e) => e.id }),
    replies: new DataLoader<number, Comment[]>(async (ids) => {
      const m = await s.comments.repliesFor(user, ids);
      return ids.map((id) => m.get(id) ?? []);
    }),
    replyCount: new DataLoader<number, number>(async (ids) => {
      const m = await s.comments.countReplies(ids);
      return ids.map((id) => m.get(id) ?? 0);
    }),
    actorsByUser: new DataLoader<number, Actor[]>(async (userIds) => {
      const all = await s.actors.findByUsers(userIds);
      return userIds.map((id) => all.filter((a) => a.userId === id));
    }),
  };
}
