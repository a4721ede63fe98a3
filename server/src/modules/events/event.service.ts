import type { Db, DialectName, Executor, Tx } from "../../db/index.ts";
import { DomainError, invalid, MINUTE, notPermitted, newUuid, notFound, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import type { ActorService } from "../actors/index.ts";
import { htmlToText, sanitizeHtml } from "../content/index.ts";
import { EVENT_CATEGORIES } from "../instance/index.ts";
import type { MediaService, PictureInput, ReadyPicture } from "../media/index.ts";
import { accountAccess, type Principal, type User } from "../users/index.ts";
import type { FollowService } from "../follows/index.ts";
import { GroupEvents, type GroupEvent, type GroupService, type MemberService } from "../groups/index.ts";
import { addresses, checkAddress, formatAddress, type AddressArg } from "../addresses/index.ts";
import { EventEvents, type EventEvent, type EventSnapshot } from "./event.events.ts";
import { ANONYMOUS, canView, isOrganizer, requireCanDelete, requireOrganizer, type Viewer } from "./event.policy.ts";
import { eventQueries, type EventSearch } from "./event.queries.ts";
import { eventRepository as repo, type EventRow } from "./event.repository.ts";
import {
  checkDates,
  checkMetadata,
  checkTags,
  checkTitle,
  checkUrl,
  DEFAULT_OPTIONS,
  JOIN_OPTIONS,
  MAX_DESCRIPTION,
  mergeOptions,
  STATUSES,
  viaLink,
  VISIBILITIES,
  type Address,
  type AddressInput,
  type Event,
  type EventJoinOptions,
  type EventMetadata,
  type EventOptions,
  type EventRef,
  type EventStatus,
  type EventVisibility,
} from "./event.types.ts";

export type EventsDeps = {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  bus: Bus<Tx, EventEvent | GroupEvent>;
  urls: Urls;
  actors: ActorService;
  media: MediaService;
  timezoneAt: (latitude: number, longitude: number) => string | null;
  features: { externalParticipation: boolean };
  groups: GroupService;
  members: MemberService;
  follows: FollowService;
};

export type { AddressArg };

export type EventInput = {
  title?: string | null;
  description?: string | null;
  beginsOn?: Date | null;
  endsOn?: Date | null;
  status?: EventStatus | null;
  visibility?: EventVisibility | null;
  joinOptions?: EventJoinOptions | null;
  externalParticipationUrl?: string | null;
  tags?: string[] | null;
  picture?: PictureInput;
  onlineAddress?: string | null;
  phoneAddress?: string | null;
  organizerActorId?: number | null;
  /** The group the event is published by (a group event); null to detach it. */
  attributedToId?: number | null;
  category?: string | null;
  physicalAddress?: AddressArg | null;
  options?: Partial<Record<keyof EventOptions, unknown>> | null;
  metadata?: { key: string; title?: string | null; value: string; type?: "STRING" | "INTEGER" | "BOOLEAN" | null }[] | null;
  draft?: boolean | null;
  language?: string | null;
};

const oneOf = <T extends string>(values: readonly T[], v: unknown, field: string): T => {
  if (!values.includes(v as T)) throw invalid(field, `Unknown value ${String(v)}`);
  return v as T;
};

const clean = (s: string | null | undefined, max: number, field: string) => {
  if (s == null) return null;
  const v = s.trim();
  if (v.length > max) throw invalid(field, `Too long (at most ${max} characters)`);
  return v || null;
};

/** Use cases of events: publish, edit, cancel, delete, see, find. */
export class EventService {
  private readonly d: EventsDeps;
  constructor(d: EventsDeps) {
    this.d = d;
    // A group's events go with it (its participants are told, as for any deleted event).
    d.bus.on(GroupEvents.Deleted, async (e, tx) => {
      for (const ev of await repo.attributedTo(tx, e.payload.groupId)) await this.remove(tx, ev);
    });
  }

  private now() {
    return this.d.clock.now();
  }

  /** Who is asking: their identities and whether they are staff. */
  async viewer(caller: Principal, tx: Executor = this.d.db): Promise<Viewer> {
    if (caller.kind === "anonymous") return ANONYMOUS;
    const groups = await this.d.members.callerGroups(caller, tx);
    return { userId: caller.user?.id ?? null, actorIds: await caller.actorIds(tx), staff: caller.staff, memberOf: groups.memberOf, moderates: groups.moderates };
  }

  /**
   * The group an event is published by: the organizer identity must moderate or administer it (its members and
   * strangers cannot publish in its name). A group elsewhere too: the event lives here, and the group's server shares
   * it (federation sends it there).
   */
  private async checkGroup(groupId: number | null | undefined, organizerActorId: number, tx: Executor = this.d.db): Promise<number | null | undefined> {
    if (groupId == null) return groupId;
    const group = await this.d.groups.findGroup(groupId, tx);
    if (!group) throw new DomainError("not_found", "Group not found", "attributedToId");
    const roles = await this.d.members.groupsOf([organizerActorId], tx);
    if (!roles.moderates.includes(groupId)) throw notPermitted("Only the group's moderators and administrators publish its events", "attributedToId");
    return groupId;
  }

  private cleanAddress(a: AddressArg): AddressInput {
    return checkAddress(a, this.d.timezoneAt);
  }


  private async pictureId(caller: Principal, organizerActorId: number, pic: ReadyPicture, tx: Tx): Promise<number | null | undefined> {
    return this.d.media.resolvePicture(pic, "picture", organizerActorId, await caller.actorIds(tx), tx);
  }

  private validate(input: EventInput, base: Event | null) {
    const title = input.title !== undefined && input.title !== null ? checkTitle(input.title) : base?.title;
    if (!title) throw invalid("title", "The title can't be empty");
    let description = base?.description ?? "";
    if (input.description != null) {
      if (input.description.length > MAX_DESCRIPTION) throw invalid("description", "The description is too long");
      description = sanitizeHtml(input.description, { mediaOrigin: this.d.urls.base });
    }
    const beginsOn = input.beginsOn ?? base?.beginsOn;
    if (!beginsOn) throw invalid("beginsOn", "An event needs a start date");
    const endsOn = input.endsOn !== undefined ? input.endsOn : (base?.endsOn ?? null);
    checkDates(beginsOn, endsOn);
    const joinOptions = input.joinOptions != null ? oneOf(JOIN_OPTIONS, input.joinOptions, "joinOptions") : (base?.joinOptions ?? "FREE");
    const externalParticipationUrl =
      input.externalParticipationUrl !== undefined ? checkUrl(input.externalParticipationUrl, "externalParticipationUrl") : (base?.externalParticipationUrl ?? null);
    if (joinOptions === "EXTERNAL") {
      if (!this.d.features.externalParticipation) throw invalid("joinOptions", "External registration is disabled on this instance");
      if (!externalParticipationUrl) throw invalid("externalParticipationUrl", "External registration needs a link");
    }
    const category = input.category !== undefined ? (input.category === null ? null : oneOf(EVENT_CATEGORIES.map((c) => c.id), input.category, "category")) : (base?.category ?? null);
    if (input.language && !/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(input.language)) throw invalid("language", "Invalid language code");
    const language = input.language !== undefined ? input.language || null : (base?.language ?? null);
    const options = mergeOptions(base?.options ?? DEFAULT_OPTIONS, input.options);
    // The programme and the conditions' texts are rich text, shown as HTML by Mobilizon's clients: cleaned like the
    // description.
    if (input.options?.program != null && options.program) options.program = sanitizeHtml(options.program, { mediaOrigin: this.d.urls.base }) || null;
    if (input.options?.participationConditions != null)
      options.participationConditions = options.participationConditions.map((c) => ({ ...c, content: c.content ? sanitizeHtml(c.content, { mediaOrigin: this.d.urls.base }) || null : null }));
    const metadata: EventMetadata[] = input.metadata !== undefined && input.metadata !== null ? checkMetadata(input.metadata) : (base?.metadata ?? []);
    return {
      title,
      description,
      beginsOn,
      endsOn,
      status: input.status != null ? oneOf(STATUSES, input.status, "status") : (base?.status ?? "CONFIRMED"),
      visibility: input.visibility != null ? oneOf(VISIBILITIES, input.visibility, "visibility") : (base?.visibility ?? "PUBLIC"),
      joinOptions,
      externalParticipationUrl,
      onlineAddress: input.onlineAddress !== undefined ? checkUrl(input.onlineAddress, "onlineAddress") : (base?.onlineAddress ?? null),
      phoneAddress: input.phoneAddress !== undefined ? clean(input.phoneAddress, 50, "phoneAddress") : (base?.phoneAddress ?? null),
      category,
      language,
      options,
      metadata,
    };
  }

  private async snapshot(tx: Executor, e: Event): Promise<EventSnapshot> {
    const address = e.physicalAddressId ? (await addresses.byIds(tx, [e.physicalAddressId]))[0] : null;
    return {
      title: e.title,
      beginsOn: e.beginsOn.toISOString(),
      endsOn: e.endsOn?.toISOString() ?? null,
      status: e.status,
      address: address ? formatAddress(address) : null,
      onlineAddress: e.onlineAddress,
    };
  }

  private async reindex(tx: Executor, e: Event, tags: string[]) {
    await repo.reindex(tx, this.d.dialect, e.id, { title: e.title, text: htmlToText(e.description), tags, latitude: e.latitude, longitude: e.longitude });
  }

  /** Publishes (or saves as draft) an event organized by one of the caller's identities (createEvent). */
  async create(caller: Principal, input: EventInput): Promise<Event> {
    caller.requireUser();
    const v = await this.viewer(caller);
    if (input.organizerActorId == null || !v.actorIds.includes(input.organizerActorId))
      throw new DomainError("forbidden", "The organizer must be one of your profiles", "organizerActorId");
    const fields = this.validate(input, null);
    const tags = checkTags(input.tags);
    const address = input.physicalAddress ? this.cleanAddress(input.physicalAddress) : null;
    if (!fields.options.timezone) fields.options.timezone = address?.timezone ?? null;
    const organizerActorId = input.organizerActorId;
    const attributedToId = (await this.checkGroup(input.attributedToId, organizerActorId)) ?? null;
    // The picture is processed and written before the transaction opens: image work never holds the writer's lock.
    const picture = await this.d.media.prepare(input.picture, "picture");
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const saved = address ? await addresses.save(tx, null, address, now) : null;
      const pictureId = await this.pictureId(caller, organizerActorId, picture, tx);
      const uuid = newUuid();
      const row: EventRow = {
        ...fields,
        uuid,
        url: this.d.urls.event(uuid),
        local: true,
        organizerActorId,
        attributedToId,
        publishAt: input.draft ? null : now,
        draft: !!input.draft,
        pictureId: pictureId ?? null,
        physicalAddressId: saved?.id ?? null,
        latitude: saved?.latitude ?? null,
        longitude: saved?.longitude ?? null,
      };
      const event = await repo.insert(tx, row, now);
      await this.d.media.setReferences(tx, "event", event.id, eventTexts(event));
      await repo.setTags(tx, event.id, tags);
      await this.reindex(tx, event, tags);
      await this.d.bus.emit({ type: EventEvents.Created, payload: { eventId: event.id, organizerActorId } }, tx);
      if (!event.draft) await this.d.bus.emit({ type: EventEvents.Published, payload: { eventId: event.id } }, tx);
      return event;
    });
  }

  /** Changes an event; participants hear of important changes (updateEvent). */
  async update(caller: Principal, ref: EventRef, input: EventInput): Promise<Event> {
    caller.requireUser();
    const v = await this.viewer(caller);
    const current = requireOrganizer(await this.findByRef(ref), v);
    const eventId = current.id;
    // A group's moderator editing its event keeps the organizer as it is (Mobilizon's client sends it back).
    if (input.organizerActorId != null && input.organizerActorId !== current.organizerActorId && !v.actorIds.includes(input.organizerActorId))
      throw new DomainError("forbidden", "The organizer must be one of your profiles", "organizerActorId");
    const organizer = input.organizerActorId ?? current.organizerActorId;
    const attributedToId = input.attributedToId === undefined || input.attributedToId === current.attributedToId ? undefined : await this.checkGroup(input.attributedToId, organizer);
    if (input.draft === true && !current.draft) throw invalid("draft", "A published event can't go back to draft");
    const fields = this.validate(input, current);
    const tags = input.tags != null ? checkTags(input.tags) : null;
    const address = input.physicalAddress ? this.cleanAddress(input.physicalAddress) : input.physicalAddress === null ? null : undefined;
    if (address?.timezone && !(input.options && "timezone" in input.options)) fields.options.timezone = address.timezone;
    const picture = await this.d.media.prepare(input.picture, "picture");
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const fresh = requireOrganizer(await repo.lockById(tx, this.d.dialect, eventId), v);
      const before = await this.snapshot(tx, fresh);
      let addressPatch: Partial<EventRow> = {};
      if (address) {
        const saved = await addresses.save(tx, fresh.physicalAddressId, address, now);
        addressPatch = { physicalAddressId: saved.id, latitude: saved.latitude, longitude: saved.longitude };
      } else if (address === null && fresh.physicalAddressId) {
        addressPatch = { physicalAddressId: null, latitude: null, longitude: null };
      }
      const pictureId = await this.pictureId(caller, input.organizerActorId ?? fresh.organizerActorId, picture, tx);
      const publishing = fresh.draft && input.draft === false;
      const updated = await repo.update(
        tx,
        eventId,
        {
          ...fields,
          ...addressPatch,
          ...(input.organizerActorId != null && { organizerActorId: input.organizerActorId }),
          ...(attributedToId !== undefined && { attributedToId }),
          ...(pictureId !== undefined && { pictureId }),
          ...(publishing && { draft: false, publishAt: now }),
        },
        now,
      );
      if (address === null && fresh.physicalAddressId) await addresses.remove(tx, fresh.physicalAddressId);
      if (input.description != null || input.options?.program != null || input.options?.participationConditions != null)
        await this.d.media.setReferences(tx, "event", eventId, eventTexts(updated));
      if (tags) await repo.setTags(tx, eventId, tags);
      const currentTags = tags ?? (await repo.tagsByEvents(tx, [eventId])).map((t) => t.title);
      await this.reindex(tx, updated, currentTags);
      const after = await this.snapshot(tx, updated);
      if (publishing) await this.d.bus.emit({ type: EventEvents.Published, payload: { eventId } }, tx);
      else if (!updated.draft) await this.d.bus.emit({ type: EventEvents.Updated, payload: { eventId, before, after, published: true } }, tx);
      return updated;
    });
  }

  /** Deletes an event; its participants are told if it had not happened yet (deleteEvent). */
  async delete(caller: Principal, ref: EventRef): Promise<Event> {
    caller.requireUser();
    const v = await this.viewer(caller);
    return this.d.db.transaction().execute(async (tx) => {
      const e = requireCanDelete(await this.lockByRef(tx, ref), v);
      await this.remove(tx, e);
      return e;
    });
  }

  private async remove(tx: Tx, e: Event): Promise<void> {
    const eventId = e.id;
    const snapshot = await this.snapshot(tx, e);
    // Listeners (participations) read the participants before the rows go.
    await this.d.bus.emit({ type: EventEvents.Deleted, payload: { eventId, snapshot, uuid: e.uuid, wasDraft: e.draft, organizerActorId: e.organizerActorId, local: e.local } }, tx);
    await this.d.media.setReferences(tx, "event", eventId, []);
    await repo.delete(tx, this.d.dialect, eventId);
  }

  /** An event the viewer may see, by uuid (its link); "not found" otherwise (event). */
  async getByUuid(caller: Principal, uuid: string): Promise<Event> {
    return this.getByRef(caller, { uuid });
  }

  /** An event the viewer may see, named by number or by link; "not found" otherwise. */
  async getByRef(caller: Principal, ref: EventRef, tx: Executor = this.d.db): Promise<Event> {
    const e = await this.findByRef(ref, tx);
    if (!e) throw notFound("Event");
    await this.requireVisible(caller, e, viaLink(ref), tx);
    return e;
  }

  /** An event by number or uuid, without visibility checks: callers check. */
  findByRef(ref: EventRef, tx: Executor = this.d.db): Promise<Event | null> {
    return "uuid" in ref ? repo.findByUuid(tx, ref.uuid) : repo.findById(tx, ref.id);
  }

  /** The event row, named by number or uuid, locked until the transaction ends (capacity checks). */
  async lockByRef(tx: Executor, ref: EventRef): Promise<Event | null> {
    const id = "uuid" in ref ? (await repo.findByUuid(tx, ref.uuid))?.id : ref.id;
    return id === undefined ? null : repo.lockById(tx, this.d.dialect, id);
  }

  /** Throws "not found" unless the viewer may see the event; `viaLink` when they named it by its uuid. */
  async requireVisible(caller: Principal, e: Event, viaLink: boolean, tx: Executor = this.d.db): Promise<Viewer> {
    const v = await this.viewer(caller, tx);
    if (canView(e, v, false, viaLink)) return v;
    if (!e.draft && (await eventQueries.isParticipant(tx, e.id, v.actorIds))) return v;
    throw notFound("Event");
  }

  /**
   * Whether the viewer may see a media because an event they may see shows it, as its picture or in its description
   * (who may see a media). Events are reached here by number: an unlisted event's picture needs its link.
   */
  async showsMedia(caller: Principal, mediaId: number, describedIn: readonly number[]): Promise<boolean> {
    const events = await eventQueries.showingMedia(this.d.db, mediaId, describedIn);
    for (const e of events) {
      try {
        await this.requireVisible(caller, e, false);
        return true;
      } catch {
        /* not this one */
      }
    }
    return false;
  }

  /** Whether the viewer runs the event: its organizer, or a moderator of its group; pass the transaction when inside one. */
  async isOrganizer(caller: Principal, e: Event, tx?: Executor): Promise<boolean> {
    return isOrganizer(e, await this.viewer(caller, tx));
  }

  /**
   * A group's events as the viewer may see them (Group.organizedEvents): its members see all published ones, its
   * moderators drafts too, everyone else its public events. Between two dates, in the asked order.
   */
  async byGroup(caller: Principal, groupId: number, f: { after: Date | null; before: Date | null; order: "BEGINS_ON" | "INSERTED_AT" | "UPDATED_AT"; direction: "ASC" | "DESC"; page: number; limit: number }) {
    const v = await this.viewer(caller);
    return eventQueries.byGroup(this.d.db, groupId, { ...f, members: v.memberOf.includes(groupId) || v.staff, moderators: v.moderates.includes(groupId) });
  }

  /** Public published events matching the filters (searchEvents, events). */
  search(s: EventSearch) {
    return eventQueries.search(this.d.db, this.d.dialect, s);
  }

  /** Events organized by an actor, as the viewer may see them (Person.organizedEvents). */
  async organizedBy(caller: Principal, actorId: number, page: number, limit: number) {
    const v = await this.viewer(caller);
    return eventQueries.organizedBy(this.d.db, actorId, { owner: v.actorIds.includes(actorId), page, limit });
  }

  /**
   * The upcoming events of the groups an account's identities follow or are in (User.followedGroupEvents, the home
   * page's "from your groups"), for the account itself only; each with the identity that follows and the group.
   */
  async followedGroupEvents(caller: Principal, account: User, after: Date | null, page: number, limit: number) {
    if (accountAccess(caller.user, account) !== "owner") return { total: 0, elements: [] };
    const own = await caller.actorIds();
    const memberships = await this.d.members.membershipsOf(own);
    const follows = await this.d.follows.targetsOf(own);
    const profileOf = new Map<number, number>();
    for (const f of follows) profileOf.set(f.targetId, f.followerId);
    for (const m of memberships) profileOf.set(m.groupId, m.actorId);
    const memberOf = memberships.map((m) => m.groupId);
    const r = await eventQueries.ofGroups(this.d.db, [...profileOf.keys()], memberOf, after ?? this.now(), page, limit);
    return { total: r.total, elements: r.elements.map((event) => ({ event, groupId: event.attributedToId!, profileId: profileOf.get(event.attributedToId!)! })) };
  }

  /** An account's unpublished events, for the account itself only (User.drafts): null for anyone else. */
  async drafts(caller: Principal, account: User, page: number, limit: number) {
    if (accountAccess(caller.user, account) !== "owner") return null;
    return eventQueries.drafts(this.d.db, await caller.actorIds(), page, limit);
  }

  /** Published events, all and local (statistics). */
  countPublished() {
    return eventQueries.countPublished(this.d.db);
  }

  /** Upcoming public events by category (categoryStatistics), counted at most once a minute. */
  categoryStatistics() {
    const now = this.now().getTime();
    if (!this.categories || now - this.categories.at > MINUTE) {
      const value = eventQueries.categoryStatistics(this.d.db, this.now());
      this.categories = { at: now, value };
      value.catch(() => (this.categories = null));
    }
    return this.categories.value;
  }

  private categories: { at: number; value: Promise<{ key: string; number: number }[]> } | null = null;

  /** Tags for autocompletion (tags). */
  tags(filter: string | null, page: number, limit: number) {
    return eventQueries.tags(this.d.db, filter, page, limit);
  }

  /** Other upcoming public events like this one (Event.relatedEvents). */
  related(e: Event, limit = 3) {
    return eventQueries.related(this.d.db, e, this.now(), limit);
  }

  /** Events by ids (DataLoader batch), without visibility checks: callers check. */
  findByIds(ids: readonly number[]) {
    return repo.findByIds(this.d.db, ids);
  }

  /** An event by id for internal use (jobs, other modules), without visibility checks. */
  findById(id: number, tx: Executor = this.d.db) {
    return repo.findById(tx, id);
  }

  /** Locks the event row until the transaction ends (capacity checks). */
  lock(tx: Executor, id: number) {
    return repo.lockById(tx, this.d.dialect, id);
  }

  /** Addresses by ids (DataLoader batch); pass the caller's transaction when inside one. */
  addresses(ids: readonly number[], tx: Executor = this.d.db): Promise<Address[]> {
    return addresses.byIds(tx, ids);
  }

  /** Tags of several events (DataLoader batch). */
  tagsOf(eventIds: readonly number[], tx: Executor = this.d.db) {
    return repo.tagsByEvents(tx, eventIds);
  }
}

/** The rich texts of an event, where its pictures may be shown. */
const eventTexts = (e: Event): string[] => [e.description, e.options.program ?? "", ...e.options.participationConditions.map((c) => c.content ?? "")];

