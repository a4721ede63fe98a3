import type { Db, Executor, Tx } from "../../db/index.ts";
import { FeedEvents, type FeedEvent } from "./feed.events.ts";
import { DAY, forbidden, newToken, notFound, type Clock, type Urls, type Bus } from "../../kernel/index.ts";
import type { Actor, ActorService } from "../actors/index.ts";
import { htmlToText } from "../content/index.ts";
import { formatAddress, type Event, type EventService } from "../events/index.ts";
import type { Post, PostService } from "../posts/index.ts";
import type { AtomEntry } from "./feed.atom.ts";
import { Principal } from "../users/index.ts";
import { mayReadTokens, requireOwnToken } from "./feed.policy.ts";
import { atomFeed } from "./feed.atom.ts";
import { calendar, type CalendarItem } from "./feed.ics.ts";
import { feedTokenRepository as repo, type FeedToken } from "./feed.repository.ts";

export type FeedFormat = "ics" | "atom";
export type FeedsDeps = {
  db: Db;
  clock: Clock;
  bus: Bus<Tx, FeedEvent>;
  events: EventService;
  actors: ActorService;
  /** A group's public posts go into its Atom feed. */
  posts: PostService;
  instanceName: string;
  instanceDescription?: string;
  urls: Urls;
  version: string;
};

const ICS_LIMIT = 500;
const ATOM_LIMIT = 500;

/** Calendars and Atom feeds: one event, an actor's public events, the instance's, and private "going" feeds. */
export class FeedService {
  private readonly d: FeedsDeps;
  constructor(d: FeedsDeps) {
    this.d = d;
  }

  private prodId() {
    return { company: this.d.instanceName, product: "Convene" };
  }

  /** Calendar entries for events, with their addresses, organizers and tags loaded in three batches. */
  async items(events: Event[], tx: Executor = this.d.db): Promise<CalendarItem[]> {
    const addressIds = events.map((e) => e.physicalAddressId).filter((x): x is number => x !== null);
    const addresses = await this.d.events.addresses(addressIds, tx);
    const organizers = await this.d.actors.findByIds([...new Set(events.flatMap((e) => [e.organizerActorId, ...(e.attributedToId ? [e.attributedToId] : [])]))], tx);
    const tags = await this.d.events.tagsOf(events.map((e) => e.id), tx);
    const addr = new Map(addresses.map((a) => [a.id, a]));
    const org = new Map(organizers.map((a) => [a.id, a]));
    return events.map((e) => {
      const a = e.physicalAddressId ? addr.get(e.physicalAddressId) : null;
      // A group's event whose organizer asked to stay hidden names the group.
      const o = org.get(e.attributedToId && e.options.hideOrganizerWhenGroupEvent ? e.attributedToId : e.organizerActorId);
      const location = a ? formatAddress(a) : e.onlineAddress;
      return {
        uid: `${e.uuid}@${this.d.urls.host}`,
        url: e.url,
        title: e.title,
        description: [htmlToText(e.description), e.onlineAddress ? `\n${e.onlineAddress}` : ""].join("").trim(),
        start: e.beginsOn,
        end: e.endsOn,
        timezone: e.options.timezone,
        location: location ?? null,
        geo: a?.latitude != null && a.longitude != null ? { lat: a.latitude, lon: a.longitude } : null,
        status: e.status,
        organizer: o ? o.name || `@${o.preferredUsername}` : null,
        categories: tags.filter((t) => t.eventId === e.id).map((t) => t.title),
        created: e.insertedAt,
        lastModified: e.updatedAt,
      };
    });
  }

  /** One event as an .ics file; only for events anyone with the link may see (public or unlisted). */
  async eventIcs(uuid: string): Promise<string> {
    const e = await this.d.events.getByUuid(Principal.anonymous, uuid);
    return this.icsOf(e);
  }

  /** The .ics of an event already checked by the caller (e-mail attachments); pass the caller's transaction. */
  async icsOf(e: Event, tx: Executor = this.d.db): Promise<string> {
    return calendar(e.title, this.prodId(), await this.items([e], tx));
  }

  private atom(title: string, link: string, events: Event[], items: CalendarItem[], tagSlugs: Map<string, string>, more: AtomEntry[] = []): string {
    return atomFeed({
      id: link,
      title,
      // The instance's own feed is subtitled with its description; a profile's, with the instance it lives on.
      subtitle: title === this.d.instanceName ? (this.d.instanceDescription ?? title) : `${title} — ${this.d.instanceName}`,
      link,
      self: `${link}/feed/atom`,
      generator: `Convene ${this.d.version}`,
      updated: [...events.map((e) => e.updatedAt), ...more.map((e) => e.updated)].reduce((m, d) => (d > m ? d : m), new Date(0)),
      entries: [...events.map((e, i) => {
        const it = items[i];
        return {
          id: e.url,
          url: e.url,
          title: e.title,
          summary: `${e.beginsOn.toISOString()}${it.location ? ` — ${it.location}` : ""}`,
          contentHtml: e.description,
          updated: e.updatedAt,
          published: e.insertedAt,
          categories: it.categories.map((c) => ({ term: tagSlugs.get(c) ?? c, label: c })),
          author: it.organizer,
        };
      }), ...more],
    });
  }

  private async render(format: FeedFormat, title: string, link: string, events: Event[], items: CalendarItem[], more: AtomEntry[] = []) {
    if (format === "ics") return calendar(title, this.prodId(), items);
    const tags = await this.d.events.tagsOf(events.map((e) => e.id));
    return this.atom(title, link, events, items, new Map(tags.map((t) => [t.title, t.slug])), more);
  }

  /** A group's published public posts as Atom entries. */
  private async postEntries(groupId: number): Promise<AtomEntry[]> {
    const { elements } = await this.d.posts.publicOfGroup(groupId, 50);
    const authors = new Map((await this.d.actors.findByIds([...new Set(elements.map((p) => p.authorId).filter((x): x is number => x !== null))])).map((a) => [a.id, a]));
    return elements.map((p: Post) => {
      const a = p.authorId ? authors.get(p.authorId) : null;
      const text = htmlToText(p.body);
      return {
        id: p.url,
        url: p.url,
        title: p.title,
        summary: text.length > 300 ? `${text.slice(0, 300)}…` : text,
        contentHtml: p.body,
        updated: p.updatedAt,
        published: p.publishAt ?? p.insertedAt,
        categories: [],
        author: a ? a.name || `@${a.preferredUsername}` : null,
      };
    });
  }

  /**
   * A person's public events, or a group's public upcoming events and public posts (/@name/feed/atom|ics); only for
   * profiles and groups anyone may find.
   */
  async actorFeed(username: string, format: FeedFormat): Promise<string> {
    const actor: Actor | null = await this.d.actors.findLocal(username);
    if (!actor || actor.suspended || actor.visibility !== "public") throw notFound("Profile");
    const limit = format === "ics" ? ICS_LIMIT : ATOM_LIMIT;
    const title = actor.name || `@${actor.preferredUsername}`;
    if (actor.type === "Group") {
      const from = new Date(this.d.clock.now().getTime() - DAY);
      const { elements } = await this.d.events.byGroup(Principal.anonymous, actor.id, { after: from, before: null, order: "BEGINS_ON", direction: "ASC", page: 1, limit });
      return this.render(format, title, actor.url, elements, await this.items(elements), format === "atom" ? await this.postEntries(actor.id) : []);
    }
    const { elements } = await this.d.events.organizedBy(Principal.anonymous, actor.id, 1, limit);
    const items = await this.items(elements);
    return this.render(format, title, actor.url, elements, items);
  }

  /** The instance's public upcoming events (/feed/instance/atom|ics). */
  async instanceFeed(format: FeedFormat): Promise<string> {
    const { elements } = await this.d.events.search({ from: new Date(this.d.clock.now().getTime() - DAY), sort: "START_TIME_ASC", page: 1, limit: format === "ics" ? ICS_LIMIT : ATOM_LIMIT });
    return this.render(format, this.d.instanceName, this.d.urls.base, elements, await this.items(elements));
  }

  /** The events a person takes part in, through an unguessable token (/events/going/:token/atom|ics). */
  async goingFeed(token: string, format: FeedFormat): Promise<string> {
    const t = await repo.find(this.d.db, token);
    if (!t) throw notFound("Feed");
    const actorIds = t.actorId ? [t.actorId] : (await this.d.actors.findByUsers([t.userId])).map((a) => a.id);
    const ids = await repo.goingEventIds(this.d.db, actorIds, new Date(this.d.clock.now().getTime() - 30 * DAY), format === "ics" ? ICS_LIMIT : ATOM_LIMIT);
    const events = (await this.d.events.findByIds(ids)).sort((a, b) => a.beginsOn.getTime() - b.beginsOn.getTime());
    return this.render(format, `${this.d.instanceName}`, this.d.urls.goingFeed(token), events, await this.items(events));
  }

  /** Creates a private feed token for the account or one of its identities (createFeedToken). */
  async createToken(caller: Principal, actorId: number | null): Promise<FeedToken> {
    const user = caller.requireUser();
    if (actorId !== null && !(await caller.actsAs(actorId))) throw forbidden("This profile is not yours");
    return this.d.db.transaction().execute(async (tx) => {
      const t = await repo.insert(tx, { token: newToken(24), userId: user.id, actorId }, this.d.clock.now());
      await this.d.bus.emit({ type: FeedEvents.TokenCreated, payload: { userId: user.id, actorId } }, tx);
      return t;
    });
  }

  /** Revokes a private feed token of the caller (deleteFeedToken). */
  async deleteToken(caller: Principal, token: string): Promise<FeedToken> {
    const user = caller.requireUser();
    const t = requireOwnToken(await repo.find(this.d.db, token), user.id);
    await this.d.db.transaction().execute(async (tx) => {
      await repo.delete(tx, token);
      await this.d.bus.emit({ type: FeedEvents.TokenDeleted, payload: { userId: t.userId, actorId: t.actorId } }, tx);
    });
    return t;
  }

  /** An account's private feed tokens, for the account itself only: not even the instance's staff read them. */
  async tokensOf(caller: Principal, userId: number, actorId?: number | null): Promise<FeedToken[]> {
    if (!mayReadTokens(caller.user, userId)) return [];
    return repo.byUser(this.d.db, userId, actorId);
  }
}
