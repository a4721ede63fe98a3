import { sql, type Expression, type SelectQueryBuilder } from "kysely";
import { distanceKm, matchEvents, searchWords, withinCircle, type Circle, type Database, type DialectName, type Executor } from "../../db/index.ts";
import { mapEvent } from "./event.repository.ts";
import { tagSlug, type Event, type EventStatus } from "./event.types.ts";

export type SearchSort = "MATCH_DESC" | "START_TIME_ASC" | "START_TIME_DESC" | "CREATED_AT_DESC" | "CREATED_AT_ASC" | "PARTICIPANT_COUNT_DESC";

export type EventSearch = {
  term?: string | null;
  tags?: string[];
  categories?: string[];
  statuses?: EventStatus[];
  languages?: string[];
  type?: "IN_PERSON" | "ONLINE" | null;
  circle?: Circle | null;
  bbox?: { minLat: number; maxLat: number; minLon: number; maxLon: number } | null;
  from: Date;
  to?: Date | null;
  longEvents?: boolean | null;
  sort: SearchSort;
  page: number;
  limit: number;
};

const GOING = ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR", "CREATOR"];

type Q = SelectQueryBuilder<Database, "events", object>;

/** Read models for event lists and search (docs/adr/0008). Public lists show published, public events only. */
export const eventQueries = {
  async search(db: Executor, dialect: DialectName, s: EventSearch): Promise<{ total: number; elements: Event[] }> {
    const words = searchWords(s.term ?? "");
    let q: Q = db.selectFrom("events").where("events.visibility", "=", "PUBLIC").where("events.draft", "=", false as never);
    // Servers an administrator silenced or blocked are not listed (their events stay reachable by link).
    q = q.where((eb) =>
      eb.or([
        eb("events.local", "=", true as never),
        eb.not(
          eb.exists(
            eb
              .selectFrom("actors as o")
              .innerJoin("instances as i", "i.domain", "o.domain")
              .select("o.id")
              .whereRef("o.id", "=", "events.organizer_actor_id")
              .where((w) => w.or([w("i.silenced", "=", true as never), w("i.blocked", "=", true as never)])),
          ),
        ),
      ]),
    );
    let rank: Expression<number> | null = null;
    const matched = matchEvents(q, dialect, words, s.circle ?? null);
    if (matched) {
      q = matched.qb;
      if (words.length) rank = matched.rank;
    }
    q = q.where(sql<boolean>`coalesce(events.ends_on, events.begins_on) >= ${s.from}`);
    if (s.to) q = q.where("events.begins_on", "<=", s.to);
    if (s.tags?.length) {
      const slugs = s.tags.map((t) => tagSlug(t.replace(/^#/, ""))).filter(Boolean);
      // Tags that name nothing (only punctuation) match no event.
      if (slugs.length === 0) return { total: 0, elements: [] };
      q = q.where((eb) =>
        eb.exists(
          eb.selectFrom("event_tags").innerJoin("tags", "tags.id", "event_tags.tag_id").select(sql`1`.as("one")).whereRef("event_tags.event_id", "=", "events.id").where("tags.slug", "in", slugs),
        ),
      );
    }
    if (s.categories?.length) q = q.where("events.category", "in", s.categories);
    if (s.statuses?.length) q = q.where("events.status", "in", s.statuses);
    if (s.languages?.length) q = q.where("events.language", "in", s.languages);
    if (s.type === "ONLINE") q = q.where("events.is_online", "=", true as never);
    if (s.type === "IN_PERSON") q = q.where("events.is_online", "=", false as never);
    if (s.longEvents === true) q = q.where("events.long_event", "=", true as never);
    if (s.longEvents === false) q = q.where("events.long_event", "=", false as never);
    if (s.circle) q = q.where(withinCircle("events.latitude", "events.longitude", s.circle));
    if (s.bbox) {
      q = q.where("events.latitude", ">=", s.bbox.minLat).where("events.latitude", "<=", s.bbox.maxLat);
      q = q.where("events.longitude", ">=", s.bbox.minLon).where("events.longitude", "<=", s.bbox.maxLon);
    }

    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    let rows = q.selectAll("events");
    switch (s.sort) {
      case "MATCH_DESC":
        rows = rank ? rows.orderBy(rank, "desc").orderBy("events.begins_on", "asc") : s.circle ? rows.orderBy(distanceKm("events.latitude", "events.longitude", s.circle.latitude, s.circle.longitude), "asc") : rows.orderBy("events.begins_on", "asc");
        break;
      case "START_TIME_DESC":
        rows = rows.orderBy("events.begins_on", "desc");
        break;
      case "CREATED_AT_DESC":
        rows = rows.orderBy("events.inserted_at", "desc");
        break;
      case "CREATED_AT_ASC":
        rows = rows.orderBy("events.inserted_at", "asc");
        break;
      case "PARTICIPANT_COUNT_DESC":
        rows = rows.orderBy(
          (eb) => eb.selectFrom("participants").select((e) => e.fn.countAll<number>().as("n")).whereRef("participants.event_id", "=", "events.id").where("participants.role", "in", GOING),
          "desc",
        );
        break;
      default:
        rows = rows.orderBy("events.begins_on", "asc");
    }
    const list = await rows.orderBy("events.id", "asc").limit(s.limit).offset((s.page - 1) * s.limit).execute();
    return { total: Number(total), elements: list.map(mapEvent) };
  },

  /** Events organized by an actor: everything for its owner, published public ones for others. */
  async organizedBy(db: Executor, actorId: number, opts: { owner: boolean; page: number; limit: number }) {
    let q = db.selectFrom("events").where("organizer_actor_id", "=", actorId);
    if (!opts.owner) q = q.where("visibility", "=", "PUBLIC").where("draft", "=", false as never);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("begins_on", "desc").orderBy("id", "desc").limit(opts.limit).offset((opts.page - 1) * opts.limit).execute();
    return { total: Number(total), elements: rows.map(mapEvent) };
  },

  /** A group's events: published public ones for everyone, all published ones for members, drafts for moderators. */
  async byGroup(
    db: Executor,
    groupId: number,
    f: { after: Date | null; before: Date | null; order: "BEGINS_ON" | "INSERTED_AT" | "UPDATED_AT"; direction: "ASC" | "DESC"; members: boolean; moderators: boolean; page: number; limit: number },
  ) {
    let q = db.selectFrom("events").where("attributed_to_id", "=", groupId);
    if (!f.moderators) q = q.where("draft", "=", false as never);
    if (!f.members) q = q.where("visibility", "=", "PUBLIC");
    // An event still running counts as upcoming (Mobilizon compares with its end).
    if (f.after) q = q.where((eb) => eb.or([eb("begins_on", ">=", f.after!), eb("ends_on", ">=", f.after!)]));
    if (f.before) q = q.where("begins_on", "<=", f.before);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const col = f.order === "INSERTED_AT" ? "inserted_at" : f.order === "UPDATED_AT" ? "updated_at" : "begins_on";
    const dir = f.direction === "DESC" ? "desc" : "asc";
    const rows = await q.selectAll().orderBy(col, dir).orderBy("id", dir).limit(f.limit).offset((f.page - 1) * f.limit).execute();
    return { total: Number(total), elements: rows.map(mapEvent) };
  },

  /**
   * Upcoming published events of some groups: all of them for the groups in `memberOf`, public and unlisted ones for
   * the others, soonest first.
   */
  async ofGroups(db: Executor, groupIds: readonly number[], memberOf: readonly number[], after: Date, page: number, limit: number) {
    if (groupIds.length === 0) return { total: 0, elements: [] };
    let q = db
      .selectFrom("events")
      .where("attributed_to_id", "in", [...groupIds])
      .where("draft", "=", false as never)
      .where((eb) => eb.or([eb("begins_on", ">=", after), eb("ends_on", ">=", after)]));
    q = q.where((eb) => eb.or([eb("visibility", "in", ["PUBLIC", "UNLISTED"]), ...(memberOf.length ? [eb("attributed_to_id", "in", [...memberOf])] : [])]));
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("begins_on", "asc").orderBy("id", "asc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(total), elements: rows.map(mapEvent) };
  },

  /** Unpublished events of an account's identities. */
  async drafts(db: Executor, actorIds: readonly number[], page: number, limit: number) {
    if (actorIds.length === 0) return { total: 0, elements: [] };
    const q = db.selectFrom("events").where("organizer_actor_id", "in", [...actorIds]).where("draft", "=", true as never);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("updated_at", "desc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(total), elements: rows.map(mapEvent) };
  },

  /**
   * Tags whose slug contains the filter, most used first. Only uses by published public events count, and a tag no
   * such event carries is not listed: tags of private events and drafts would tell what they are about.
   */
  async tags(db: Executor, filter: string | null, page: number, limit: number) {
    let q = db
      .selectFrom("tags")
      .innerJoin("event_tags", "event_tags.tag_id", "tags.id")
      .innerJoin("events", "events.id", "event_tags.event_id")
      .where("events.visibility", "=", "PUBLIC")
      .where("events.draft", "=", false as never)
      .select(["tags.id", "tags.title", "tags.slug"])
      .select((eb) => eb.fn.count<number>("event_tags.event_id").as("uses"))
      .groupBy(["tags.id", "tags.title", "tags.slug"]);
    const f = filter ? tagSlug(filter).replace(/[%_\\]/g, "") : "";
    if (f) q = q.where("tags.slug", "like", `%${f}%`);
    const rows = await q.orderBy("uses", "desc").orderBy("tags.title").limit(limit).offset((page - 1) * limit).execute();
    return rows.map((r) => ({ id: r.id, title: r.title, slug: r.slug }));
  },

  /** Other public upcoming events sharing a tag or the category. */
  async related(db: Executor, e: Event, now: Date, limit: number): Promise<Event[]> {
    const rows = await db
      .selectFrom("events")
      .selectAll()
      .where("visibility", "=", "PUBLIC")
      .where("draft", "=", false as never)
      .where("id", "!=", e.id)
      .where(sql<boolean>`coalesce(ends_on, begins_on) >= ${now}`)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom("event_tags as mine")
              .innerJoin("event_tags as theirs", "theirs.tag_id", "mine.tag_id")
              .select(sql`1`.as("one"))
              .where("mine.event_id", "=", e.id)
              .whereRef("theirs.event_id", "=", "events.id"),
          ),
          ...(e.category ? [eb("category", "=", e.category)] : []),
        ]),
      )
      .orderBy("begins_on")
      .limit(limit)
      .execute();
    return rows.map(mapEvent);
  },

  /** Events that show a media: as their picture, or among `describedIn` (events whose description refers to it). */
  async showingMedia(db: Executor, mediaId: number, describedIn: readonly number[]): Promise<Event[]> {
    const rows = await db
      .selectFrom("events")
      .selectAll()
      .where((eb) => eb.or([eb("picture_id", "=", mediaId), ...(describedIn.length ? [eb("id", "in", [...describedIn])] : [])]))
      .limit(50)
      .execute();
    return rows.map(mapEvent);
  },

  /** Published events, and those of this instance (statistics). */
  async countPublished(db: Executor): Promise<{ all: number; local: number }> {
    const r = await db
      .selectFrom("events")
      .select((eb) => [eb.fn.countAll<number>().as("all"), eb.fn.sum<number>(eb.case().when("local", "=", true as never).then(1).else(0).end()).as("local")])
      .where("draft", "=", false as never)
      .executeTakeFirstOrThrow();
    return { all: Number(r.all), local: Number(r.local ?? 0) };
  },

  /** Upcoming public events by category, cancelled ones aside (categoryStatistics: the home page's categories). */
  async categoryStatistics(db: Executor, now: Date): Promise<{ key: string; number: number }[]> {
    const rows = await db
      .selectFrom("events")
      .select(["category"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("visibility", "=", "PUBLIC")
      .where("draft", "=", false as never)
      .where("status", "!=", "CANCELLED")
      .where("category", "is not", null)
      .where(sql<boolean>`coalesce(ends_on, begins_on) >= ${now}`)
      .groupBy("category")
      .execute();
    return rows.map((r) => ({ key: r.category!, number: Number(r.n) }));
  },

  /** Whether one of the actors takes part in the event (any role but rejected). */
  async isParticipant(db: Executor, eventId: number, actorIds: readonly number[]): Promise<boolean> {
    if (actorIds.length === 0) return false;
    const r = await db
      .selectFrom("participants")
      .select("id")
      .where("event_id", "=", eventId)
      .where("actor_id", "in", [...actorIds])
      .where("role", "!=", "REJECTED")
      .executeTakeFirst();
    return !!r;
  },
};
