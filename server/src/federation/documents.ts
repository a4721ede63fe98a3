import type { Services } from "../graphql/context.ts";
import type { Actor } from "../modules/actors/index.ts";
import type { Comment } from "../modules/comments/index.ts";
import { audienceOf, type Event } from "../modules/events/index.ts";
import type { Media } from "../modules/media/index.ts";
import { toActor, type Picture } from "./converters/actor.converter.ts";
import { toNote } from "./converters/comment.converter.ts";
import { toEvent } from "./converters/event.converter.ts";
import { toArticle } from "./converters/post.converter.ts";
import type { Post } from "../modules/posts/index.ts";

/**
 * Builds the ActivityStreams documents of local objects from the services (the dispatchers' half of federation):
 * the same documents are served at their URLs and carried in deliveries.
 */
export class Documents {
  private readonly s: Services;
  constructor(services: Services) {
    this.s = services;
  }

  private picture(m: Media | undefined | null): Picture | null {
    return m ? { url: this.s.media.url(m), mediaType: m.contentType, name: m.alt } : null;
  }

  /** The followers collection an object's audience names: its actor's (the relay's for the instance actor). */
  followersOf(actor: Pick<Actor, "preferredUsername"> & Partial<Pick<Actor, "domain" | "endpoints">>): string {
    // An actor elsewhere (a group whose moderator here publishes in its name): its own followers collection.
    if (actor.domain && actor.endpoints?.followers) return actor.endpoints.followers;
    return this.s.urls.followers(actor.preferredUsername);
  }

  async actor(a: Actor): Promise<Record<string, unknown>> {
    const key = await this.s.federatedActors.keyPairOf(a);
    const media = await this.s.media.findByIds([a.avatarId, a.bannerId].filter((x): x is number => x !== null));
    const byId = new Map(media.map((m) => [m.id, m]));
    return toActor(a, key, this.s.urls, { avatar: this.picture(a.avatarId ? byId.get(a.avatarId) : null), banner: this.picture(a.bannerId ? byId.get(a.bannerId) : null) });
  }

  async event(e: Event): Promise<Record<string, unknown>> {
    return (await this.events([e]))[0];
  }

  /** Several events' documents with one read per relation (an outbox page lists ten). */
  async events(list: readonly Event[]): Promise<Record<string, unknown>[]> {
    if (list.length === 0) return [];
    const ids = list.map((e) => e.id);
    const actorIds = [...new Set(list.flatMap((e) => [e.organizerActorId, ...(e.attributedToId ? [e.attributedToId] : [])]))];
    const [actors, addresses, tags, pictures, stats] = await Promise.all([
      this.s.actors.findByIds(actorIds),
      this.s.events.addresses(list.map((e) => e.physicalAddressId).filter((x): x is number => x !== null)),
      this.s.events.tagsOf(ids),
      this.s.media.findByIds(list.map((e) => e.pictureId).filter((x): x is number => x !== null)),
      this.s.participations.statsByEvents(ids),
    ]);
    const actorOf = new Map(actors.map((a) => [a.id, a]));
    const addressOf = new Map(addresses.map((a) => [a.id, a]));
    const pictureOf = new Map(pictures.map((m) => [m.id, m]));
    return list.map((e) => {
      const organizer = actorOf.get(e.organizerActorId);
      const group = e.attributedToId ? (actorOf.get(e.attributedToId) ?? null) : null;
      const address = e.physicalAddressId ? addressOf.get(e.physicalAddressId) : undefined;
      const st = stats.get(e.id);
      const owner = group ?? organizer;
      return toEvent(
        {
          event: e,
          organizerUrl: organizer?.url ?? this.s.urls.relay(),
          groupUrl: group?.url ?? null,
          address: address ? { ...address, url: address.url ?? `${this.s.urls.base}/address/${address.id}` } : null,
          tags: tags.filter((t) => t.eventId === e.id).map((t) => ({ title: t.title, slug: t.slug })),
          picture: this.picture(e.pictureId ? pictureOf.get(e.pictureId) : null),
          participantCount: st?.going ?? 0,
          seated: st ? st.participant + st.moderator + st.administrator : 0,
        },
        this.s.urls,
        owner ? this.followersOf(owner) : this.s.urls.followers("relay"),
      );
    });
  }

  async comment(c: Comment, e: Event): Promise<Record<string, unknown>> {
    const ids = [c.actorId, e.organizerActorId].filter((x): x is number => x !== null);
    const actors = new Map((await this.s.actors.findByIds(ids)).map((a) => [a.id, a]));
    const author = c.actorId ? actors.get(c.actorId) : null;
    const organizer = actors.get(e.organizerActorId);
    const parent = c.inReplyToCommentId ? (await this.s.comments.findByIds([c.inReplyToCommentId]))[0] : null;
    return toNote(c, {
      authorUrl: author?.url ?? this.s.urls.relay(),
      eventUrl: e.url,
      parentUrl: parent?.url ?? null,
      organizerUrl: organizer?.url ?? e.url,
      followersUrl: author ? this.followersOf(author) : this.s.urls.followers("relay"),
      unlisted: audienceOf(e)?.publicly === "cc" || (!e.local && e.visibility === "UNLISTED"),
    });
  }

  async post(p: Post): Promise<Record<string, unknown>> {
    return (await this.posts([p]))[0];
  }

  /** Several posts' documents with one read per relation (a posts collection page lists ten). */
  async posts(list: readonly Post[]): Promise<Record<string, unknown>[]> {
    if (list.length === 0) return [];
    const actorIds = [...new Set(list.flatMap((p) => [p.groupId, ...(p.authorId ? [p.authorId] : [])]))];
    const [actors, tags, pictures] = await Promise.all([
      this.s.actors.findByIds(actorIds),
      this.s.posts.tagsOf(list.map((p) => p.id)),
      this.s.media.findByIds(list.map((p) => p.pictureId).filter((x): x is number => x !== null)),
    ]);
    const actorOf = new Map(actors.map((a) => [a.id, a]));
    const pictureOf = new Map(pictures.map((m) => [m.id, m]));
    return list.map((p) => {
      const group = actorOf.get(p.groupId);
      const author = p.authorId ? actorOf.get(p.authorId) : null;
      const username = group?.preferredUsername ?? "relay";
      return toArticle(
        p,
        {
          authorUrl: author?.url ?? group?.url ?? this.s.urls.relay(),
          groupUrl: group?.url ?? this.s.urls.relay(),
          // A group elsewhere: its own collections (what our person writes there is addressed as its server would).
          followersUrl: group?.endpoints?.followers ?? this.s.urls.followers(username),
          membersUrl: group?.endpoints?.members ?? this.s.urls.collection(username, "members"),
          tags: tags.filter((t) => t.postId === p.id),
          picture: this.picture(p.pictureId ? pictureOf.get(p.pictureId) : null),
        },
        this.s.urls,
      );
    });
  }

}
