import type { Selectable } from "kysely";
import { toDate, type Executor, type ParticipantsTable } from "../../db/index.ts";
import { emptyStats, GOING, SEATED, type Participant, type ParticipantRole, type ParticipantStats } from "./participation.types.ts";

const map = (r: Selectable<ParticipantsTable>): Participant => ({
  id: r.id,
  uuid: r.uuid,
  eventId: r.event_id,
  actorId: r.actor_id,
  role: r.role as ParticipantRole,
  email: r.email,
  message: r.message,
  locale: r.locale,
  timezone: r.timezone,
  url: r.url,
  insertedAt: toDate(r.inserted_at),
  updatedAt: toDate(r.updated_at),
});

const STAT_KEY: Record<ParticipantRole, keyof ParticipantStats> = {
  NOT_APPROVED: "notApproved",
  NOT_CONFIRMED: "notConfirmed",
  REJECTED: "rejected",
  PARTICIPANT: "participant",
  MODERATOR: "moderator",
  ADMINISTRATOR: "administrator",
  CREATOR: "creator",
};

/** Writes and reads of participations. */
export const participationRepository = {
  async insert(
    db: Executor,
    v: { uuid: string; eventId: number; actorId: number | null; role: ParticipantRole; email?: string | null; message?: string | null; locale?: string | null; timezone?: string | null; confirmationTokenHash?: string | null; cancellationTokenHash?: string | null; url?: string | null },
    now: Date,
  ): Promise<Participant> {
    const r = await db
      .insertInto("participants")
      .values({
        uuid: v.uuid,
        event_id: v.eventId,
        actor_id: v.actorId,
        role: v.role,
        email: v.email ?? null,
        message: v.message ?? null,
        locale: v.locale ?? null,
        timezone: v.timezone ?? null,
        confirmation_token_hash: v.confirmationTokenHash ?? null,
        cancellation_token_hash: v.cancellationTokenHash ?? null,
        url: v.url ?? null,
        inserted_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async findById(db: Executor, id: number): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByEventAndActor(db: Executor, eventId: number, actorId: number): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("event_id", "=", eventId).where("actor_id", "=", actorId).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByEventAndEmail(db: Executor, eventId: number, email: string): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("event_id", "=", eventId).where("email", "=", email).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByConfirmationToken(db: Executor, hash: string): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("confirmation_token_hash", "=", hash).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByCancellationToken(db: Executor, eventId: number, hash: string): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("event_id", "=", eventId).where("cancellation_token_hash", "=", hash).executeTakeFirst();
    return r ? map(r) : null;
  },
  async setRole(db: Executor, id: number, role: ParticipantRole, now: Date, clearConfirmation = false): Promise<Participant> {
    const r = await db
      .updateTable("participants")
      .set({ role, updated_at: now, ...(clearConfirmation && { confirmation_token_hash: null }) })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(r);
  },
  async findByUrl(db: Executor, url: string): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByUuid(db: Executor, uuid: string): Promise<Participant | null> {
    const r = await db.selectFrom("participants").selectAll().where("uuid", "=", uuid).executeTakeFirst();
    return r ? map(r) : null;
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("participants").where("id", "=", id).execute();
  },
  async countSeated(db: Executor, eventId: number): Promise<number> {
    const r = await db
      .selectFrom("participants")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_id", "=", eventId)
      .where("role", "in", [...SEATED])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async countByRole(db: Executor, eventId: number, role: ParticipantRole): Promise<number> {
    const r = await db
      .selectFrom("participants")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_id", "=", eventId)
      .where("role", "=", role)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async statsByEvents(db: Executor, eventIds: readonly number[]): Promise<Map<number, ParticipantStats>> {
    const out = new Map<number, ParticipantStats>(eventIds.map((id) => [id, emptyStats()]));
    if (eventIds.length === 0) return out;
    const rows = await db
      .selectFrom("participants")
      .select(["event_id", "role"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("event_id", "in", [...eventIds])
      .groupBy(["event_id", "role"])
      .execute();
    for (const r of rows) {
      const s = out.get(r.event_id)!;
      const role = r.role as ParticipantRole;
      s[STAT_KEY[role]] += Number(r.n);
      if (GOING.includes(role)) s.going += Number(r.n);
    }
    return out;
  },
  async listByEvent(db: Executor, eventId: number, roles: readonly ParticipantRole[] | null, page: number, limit: number) {
    let q = db.selectFrom("participants").where("event_id", "=", eventId);
    if (roles?.length) q = q.where("role", "in", [...roles]);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("inserted_at", "asc").orderBy("id", "asc").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(total), elements: rows.map(map) };
  },
  /** Every participation of the event with these roles, in pages (exports, notifications). */
  async *streamByEvent(db: Executor, eventId: number, roles: readonly ParticipantRole[], batch = 500): AsyncGenerator<Participant[]> {
    let after = 0;
    for (;;) {
      const rows = await db.selectFrom("participants").selectAll().where("event_id", "=", eventId).where("role", "in", [...roles]).where("id", ">", after).orderBy("id").limit(batch).execute();
      if (rows.length === 0) return;
      yield rows.map(map);
      after = rows[rows.length - 1].id;
    }
  },
  async listByActors(db: Executor, actorIds: readonly number[], opts: { eventId?: number | null; after?: Date | null; before?: Date | null; publicOnly?: boolean; page: number; limit: number }) {
    if (actorIds.length === 0) return { total: 0, elements: [] as Participant[] };
    let q = db
      .selectFrom("participants")
      .innerJoin("events", "events.id", "participants.event_id")
      .where("participants.actor_id", "in", [...actorIds]);
    // Lists of one's events leave out declined requests; asked about one event, the answer says it was declined
    // (Mobilizon's event page shows that state from Person.participations(eventId)).
    if (opts.eventId) q = q.where("participants.event_id", "=", opts.eventId);
    else q = q.where("participants.role", "!=", "REJECTED");
    if (opts.publicOnly) q = q.where("events.visibility", "=", "PUBLIC").where("events.draft", "=", false as never);
    if (opts.after) q = q.where("events.begins_on", ">=", opts.after);
    if (opts.before) q = q.where("events.begins_on", "<=", opts.before);
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll("participants")
      .orderBy("events.begins_on", opts.before && !opts.after ? "desc" : "asc")
      .orderBy("participants.id")
      .limit(opts.limit)
      .offset((opts.page - 1) * opts.limit)
      .execute();
    return { total: Number(total), elements: rows.map(map) };
  },
  /** The actor URLs of an event's participants who live on other servers (they hear of changes by federation). */
  async remoteActorUrls(db: Executor, eventId: number, roles: readonly ParticipantRole[]): Promise<string[]> {
    const rows = await db
      .selectFrom("participants")
      .innerJoin("actors", "actors.id", "participants.actor_id")
      .select("actors.url")
      .where("participants.event_id", "=", eventId)
      .where("participants.role", "in", [...roles])
      .where("actors.domain", "is not", null)
      .execute();
    return rows.map((r) => r.url);
  },
  async findByEventAndActors(db: Executor, eventId: number, actorIds: readonly number[]): Promise<Participant[]> {
    if (actorIds.length === 0) return [];
    return (await db.selectFrom("participants").selectAll().where("event_id", "=", eventId).where("actor_id", "in", [...actorIds]).execute()).map(map);
  },
};
