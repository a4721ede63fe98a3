import type { Selectable } from "kysely";
import { indexEvent, toBool, toDate, unindexEvent, type DialectName, type EventsTable, type Executor } from "../../db/index.ts";
import { ensureTagIds, uniqueBySlug } from "./tag.repository.ts";
import { DEFAULT_OPTIONS, isLongEvent, tagSlug, type Event, type EventJoinOptions, type EventStatus, type EventVisibility } from "./event.types.ts";

export const mapEvent = (r: Selectable<EventsTable>): Event => ({
  id: r.id,
  uuid: r.uuid,
  url: r.url,
  local: toBool(r.local),
  organizerActorId: r.organizer_actor_id,
  attributedToId: r.attributed_to_id,
  title: r.title,
  description: r.description,
  beginsOn: toDate(r.begins_on),
  endsOn: toDate(r.ends_on),
  publishAt: toDate(r.publish_at),
  status: r.status as EventStatus,
  visibility: r.visibility as EventVisibility,
  joinOptions: r.join_options as EventJoinOptions,
  externalParticipationUrl: r.external_participation_url,
  draft: toBool(r.draft),
  pictureId: r.picture_id,
  physicalAddressId: r.physical_address_id,
  latitude: r.latitude,
  longitude: r.longitude,
  onlineAddress: r.online_address,
  phoneAddress: r.phone_address,
  category: r.category,
  language: r.language,
  options: { ...DEFAULT_OPTIONS, ...JSON.parse(r.options) },
  metadata: JSON.parse(r.metadata),
  insertedAt: toDate(r.inserted_at),
  updatedAt: toDate(r.updated_at),
});


export type EventRow = Omit<Event, "id" | "insertedAt" | "updatedAt">;

const toRow = (e: Partial<EventRow>) => ({
  ...(e.uuid !== undefined && { uuid: e.uuid }),
  ...(e.url !== undefined && { url: e.url }),
  ...(e.local !== undefined && { local: e.local }),
  ...(e.organizerActorId !== undefined && { organizer_actor_id: e.organizerActorId }),
  ...(e.attributedToId !== undefined && { attributed_to_id: e.attributedToId }),
  ...(e.title !== undefined && { title: e.title }),
  ...(e.description !== undefined && { description: e.description }),
  ...(e.beginsOn !== undefined && { begins_on: e.beginsOn }),
  ...(e.endsOn !== undefined && { ends_on: e.endsOn }),
  ...(e.publishAt !== undefined && { publish_at: e.publishAt }),
  ...(e.status !== undefined && { status: e.status }),
  ...(e.visibility !== undefined && { visibility: e.visibility }),
  ...(e.joinOptions !== undefined && { join_options: e.joinOptions }),
  ...(e.externalParticipationUrl !== undefined && { external_participation_url: e.externalParticipationUrl }),
  ...(e.draft !== undefined && { draft: e.draft }),
  ...(e.pictureId !== undefined && { picture_id: e.pictureId }),
  ...(e.physicalAddressId !== undefined && { physical_address_id: e.physicalAddressId }),
  ...(e.latitude !== undefined && { latitude: e.latitude }),
  ...(e.longitude !== undefined && { longitude: e.longitude }),
  ...(e.onlineAddress !== undefined && { online_address: e.onlineAddress }),
  ...(e.phoneAddress !== undefined && { phone_address: e.phoneAddress }),
  ...(e.category !== undefined && { category: e.category }),
  ...(e.beginsOn !== undefined && e.endsOn !== undefined && { long_event: isLongEvent({ beginsOn: e.beginsOn, endsOn: e.endsOn }) }),
  ...(e.language !== undefined && { language: e.language }),
  ...(e.options !== undefined && { options: JSON.stringify(e.options), is_online: e.options.isOnline }),
  ...(e.metadata !== undefined && { metadata: JSON.stringify(e.metadata) }),
});

/** Writes and reads of the event aggregate: the event, its address and its tags, and its search entry. */
export const eventRepository = {
  async insert(db: Executor, e: EventRow, now: Date): Promise<Event> {
    const r = await db
      .insertInto("events")
      .values({ ...(toRow(e) as Required<ReturnType<typeof toRow>>), inserted_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return mapEvent(r);
  },

  async update(db: Executor, id: number, patch: Partial<EventRow>, now: Date): Promise<Event> {
    const r = await db
      .updateTable("events")
      .set({ ...toRow(patch), updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return mapEvent(r);
  },

  async delete(db: Executor, dialect: DialectName, id: number): Promise<void> {
    const e = await db.selectFrom("events").select("physical_address_id").where("id", "=", id).executeTakeFirst();
    await unindexEvent(db, dialect, id);
    await db.deleteFrom("events").where("id", "=", id).execute();
    if (e?.physical_address_id) await db.deleteFrom("addresses").where("id", "=", e.physical_address_id).execute();
  },

  async findById(db: Executor, id: number): Promise<Event | null> {
    const r = await db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? mapEvent(r) : null;
  },

  /** The event row locked for the rest of the transaction (PostgreSQL); SQLite's writer lock already serialises. */
  async lockById(db: Executor, dialect: DialectName, id: number): Promise<Event | null> {
    const r = await db
      .selectFrom("events")
      .selectAll()
      .where("id", "=", id)
      .$if(dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    return r ? mapEvent(r) : null;
  },

  async findByUuid(db: Executor, uuid: string): Promise<Event | null> {
    const r = await db.selectFrom("events").selectAll().where("uuid", "=", uuid).executeTakeFirst();
    return r ? mapEvent(r) : null;
  },

  async remoteIdsByOrganizer(db: Executor, actorId: number): Promise<number[]> {
    return (await db.selectFrom("events").select("id").where("organizer_actor_id", "=", actorId).where("local", "=", false as never).execute()).map((r) => r.id);
  },
  async findByUrl(db: Executor, url: string): Promise<Event | null> {
    const r = await db.selectFrom("events").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? mapEvent(r) : null;
  },
  /** Every event a group publishes (its deletion takes them along). */
  async attributedTo(db: Executor, groupId: number): Promise<Event[]> {
    return (await db.selectFrom("events").selectAll().where("attributed_to_id", "=", groupId).orderBy("id").execute()).map(mapEvent);
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Event[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("events").selectAll().where("id", "in", [...ids]).execute()).map(mapEvent);
  },

  // --- addresses ---



  // --- tags ---

  async setTags(db: Executor, eventId: number, titles: string[]): Promise<void> {
    await db.deleteFrom("event_tags").where("event_id", "=", eventId).execute();
    const ids = await ensureTagIds(db, uniqueBySlug(titles.map((title) => ({ title, slug: tagSlug(title) }))));
    if (ids.length > 0) await db.insertInto("event_tags").values(ids.map((tag_id) => ({ event_id: eventId, tag_id }))).onConflict((oc) => oc.columns(["event_id", "tag_id"]).doNothing()).execute();
  },

  async tagsByEvents(db: Executor, eventIds: readonly number[]): Promise<{ eventId: number; id: number; title: string; slug: string }[]> {
    if (eventIds.length === 0) return [];
    const rows = await db
      .selectFrom("event_tags")
      .innerJoin("tags", "tags.id", "event_tags.tag_id")
      .select(["event_tags.event_id", "tags.id", "tags.title", "tags.slug"])
      .where("event_tags.event_id", "in", [...eventIds])
      .orderBy("tags.title")
      .execute();
    return rows.map((r) => ({ eventId: r.event_id, id: r.id, title: r.title, slug: r.slug }));
  },

  async reindex(db: Executor, dialect: DialectName, id: number, doc: { title: string; text: string; tags: string[]; latitude: number | null; longitude: number | null }) {
    await indexEvent(db, dialect, id, doc);
  },
};
