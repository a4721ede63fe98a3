import type { Db, DialectName, Executor, Tx } from "../../db/index.ts";
import { newUuid, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import { ActorEvents, spendLookup, type ActorEvent, type RemoteLookup } from "../actors/index.ts";
import type { Principal } from "../users/index.ts";
import type { EventService } from "./event.service.ts";
import { htmlToText } from "../content/index.ts";
import { EventEvents, type EventEvent, type EventSnapshot } from "./event.events.ts";
import { eventRepository as repo, type EventRow } from "./event.repository.ts";
import { addresses, formatAddress } from "../addresses/index.ts";
import { checkTags, DEFAULT_OPTIONS, type AddressInput, type Event, type EventOptions } from "./event.types.ts";

/** An event of another server, as its document describes it (parsed and cleaned by the federation adapter). */
export type RemoteEventInput = Omit<EventRow, "local" | "draft" | "pictureId" | "physicalAddressId" | "latitude" | "longitude" | "uuid" | "options" | "publishAt" | "phoneAddress"> & {
  uuid: string | null;
  options: Partial<EventOptions>;
  tags: string[];
  address: AddressInput | null;
  publishedAt: Date | null;
};

export type RemoteEventsDeps = {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  urls: Urls;
  bus: Bus<Tx, EventEvent | ActorEvent>;
  events: EventService;
  /** Finding objects on other servers (set by the composition root when the instance federates). */
  lookup: () => RemoteLookup;
  /** Whether something was deleted at a URL of ours (its address is never given to anything else). */
  isTombstoned: (uri: string, tx: Executor) => Promise<boolean>;
};


/**
 * Copies of other servers' events: stored when they arrive (a Create, an Announce, a look-up), changed by their
 * Updates, removed by their Deletes. Local participants hear of changes and cancellations as for local events (the
 * domain events are the same); nothing about them is federated back from here (only local events are).
 */
export class RemoteEventService {
  private readonly d: RemoteEventsDeps;
  constructor(d: RemoteEventsDeps) {
    this.d = d;
    // An actor closed on its server takes its events with it.
    d.bus.on(ActorEvents.Deleted, async (e, tx) => {
      if (!e.payload.remote) return;
      for (const id of await repo.remoteIdsByOrganizer(tx, e.payload.actorId)) {
        const ev = await repo.findById(tx, id);
        if (ev) await this.removeIn(tx, ev);
      }
    });
  }

  /**
   * The event a URL names, as the caller may see it (interact, a URL pasted in the search): one of ours by its
   * address, or one of another server's, read from there and kept. Null when there is none to show.
   */
  async byUri(caller: Principal, uri: string, ip: string | null): Promise<Event | null> {
    const u = uri.trim().slice(0, 2048);
    if (!/^https?:\/\//i.test(u)) return null;
    let id: number | null;
    if (this.d.urls.isLocal(u)) {
      const uuid = /\/events\/([0-9a-f-]{36})(?:[/?#]|$)/i.exec(new URL(u).pathname)?.[1];
      id = uuid ? ((await repo.findByUuid(this.d.db, uuid.toLowerCase()))?.id ?? null) : null;
    } else {
      await spendLookup(this.d.db, this.d.clock.now(), caller, ip);
      id = await this.d.lookup().event(u);
    }
    if (id === null) return null;
    const e = await repo.findById(this.d.db, id);
    if (!e) return null;
    try {
      return await this.d.events.getByRef(caller, { uuid: e.uuid });
    } catch {
      return null;
    }
  }

  /** The stored copy of an event by its ActivityPub id (local events too), or null. */
  findByUrl(url: string, tx: Executor = this.d.db): Promise<Event | null> {
    return repo.findByUrl(tx, url);
  }

  private async snapshot(tx: Executor, e: Event): Promise<EventSnapshot> {
    const address = e.physicalAddressId ? (await addresses.byIds(tx, [e.physicalAddressId]))[0] : null;
    return { title: e.title, beginsOn: e.beginsOn.toISOString(), endsOn: e.endsOn?.toISOString() ?? null, status: e.status, address: address ? formatAddress(address) : null, onlineAddress: e.onlineAddress };
  }

  /** Stores or updates the copy of a remote event; never touches a local one. */
  async upsert(input: RemoteEventInput): Promise<{ event: Event; created: boolean } | null> {
    const tags = checkTags(input.tags.slice(0, 10).map((t) => t.slice(0, 40)));
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.d.clock.now();
      const existing = await repo.findByUrl(tx, input.url);
      if (existing?.local) return null;
      const options: EventOptions = { ...DEFAULT_OPTIONS, ...(existing?.options ?? {}), ...input.options, anonymousParticipation: false };
      const fields: Partial<EventRow> = {
        url: input.url,
        organizerActorId: input.organizerActorId,
        attributedToId: input.attributedToId,
        title: input.title,
        description: input.description,
        beginsOn: input.beginsOn,
        endsOn: input.endsOn,
        status: input.status,
        visibility: input.visibility,
        joinOptions: input.joinOptions,
        externalParticipationUrl: input.externalParticipationUrl,
        onlineAddress: input.onlineAddress,
        category: input.category,
        language: input.language,
        options,
        metadata: input.metadata,
      };
      let event: Event;
      if (existing) {
        const before = await this.snapshot(tx, existing);
        let addressPatch: Partial<EventRow> = {};
        if (input.address) {
          const saved = await addresses.save(tx, existing.physicalAddressId, input.address, now);
          addressPatch = { physicalAddressId: saved.id, latitude: saved.latitude, longitude: saved.longitude };
        } else if (existing.physicalAddressId) addressPatch = { physicalAddressId: null, latitude: null, longitude: null };
        event = await repo.update(tx, existing.id, { ...fields, ...addressPatch }, now);
        if (!input.address && existing.physicalAddressId) await addresses.remove(tx, existing.physicalAddressId);
        await repo.setTags(tx, event.id, tags);
        await this.reindex(tx, event, tags);
        await this.d.bus.emit({ type: EventEvents.Updated, payload: { eventId: event.id, before, after: await this.snapshot(tx, event), published: true } }, tx);
        return { event, created: false };
      }
      // The origin's uuid names the event in links when it is free here (a peer cannot take over a local event's).
      const free = async (u: string) => !(await repo.findByUuid(tx, u)) && !(await this.d.isTombstoned(this.d.urls.event(u), tx));
      const uuid = input.uuid && /^[0-9a-f-]{36}$/i.test(input.uuid) && (await free(input.uuid.toLowerCase())) ? input.uuid.toLowerCase() : newUuid();
      const saved = input.address ? await addresses.save(tx, null, input.address, now) : null;
      event = await repo.insert(
        tx,
        {
          ...(fields as EventRow),
          uuid,
          local: false,
          draft: false,
          publishAt: input.publishedAt ?? now,
          phoneAddress: null,
          pictureId: null,
          physicalAddressId: saved?.id ?? null,
          latitude: saved?.latitude ?? null,
          longitude: saved?.longitude ?? null,
        },
        now,
      );
      await repo.setTags(tx, event.id, tags);
      await this.reindex(tx, event, tags);
      await this.d.bus.emit({ type: EventEvents.Created, payload: { eventId: event.id, organizerActorId: event.organizerActorId } }, tx);
      await this.d.bus.emit({ type: EventEvents.Published, payload: { eventId: event.id } }, tx);
      return { event, created: true };
    });
  }

  /** A copy of a remote event's picture, once made, becomes its picture (in the copy's transaction). */
  async setPicture(tx: Tx, eventId: number, mediaId: number): Promise<void> {
    const e = await repo.findById(tx, eventId);
    if (!e || e.local) return;
    await repo.update(tx, eventId, { pictureId: mediaId }, this.d.clock.now());
  }

  /** Removes the copy of a remote event (its origin deleted it); local participants are told. */
  async remove(url: string): Promise<boolean> {
    return this.d.db.transaction().execute(async (tx) => {
      const e = await repo.findByUrl(tx, url);
      if (!e || e.local) return false;
      await this.removeIn(tx, e);
      return true;
    });
  }

  private async removeIn(tx: Tx, e: Event) {
    const snapshot = await this.snapshot(tx, e);
    await this.d.bus.emit({ type: EventEvents.Deleted, payload: { eventId: e.id, snapshot, uuid: e.uuid, wasDraft: false, organizerActorId: e.organizerActorId, local: false } }, tx);
    await repo.delete(tx, this.d.dialect, e.id);
  }

  private async reindex(tx: Executor, e: Event, tags: string[]) {
    await repo.reindex(tx, this.d.dialect, e.id, { title: e.title, text: htmlToText(e.description), tags, latitude: e.latitude, longitude: e.longitude });
  }
}
