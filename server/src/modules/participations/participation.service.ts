import type { Db, DialectName, Executor, Tx } from "../../db/index.ts";
import { rateLimits } from "../../db/index.ts";
import { addressKey, DomainError, forbidden, hashToken, HOUR, invalid, MINUTE, newToken, newUuid, notFound, type Bus, type Clock, type JobQueue, type Logger, type OutgoingEmail, type Signer, type Urls } from "../../kernel/index.ts";
import type { Actor, ActorService } from "../actors/index.ts";
import { EventEvents, formatAddress, type EventEvent, viaLink, type Event, type EventDeletedPayload, type EventRef, type EventService, type EventSnapshot, type EventUpdatedPayload } from "../events/index.ts";
import { accountAccess, Principal, type User, type UserService } from "../users/index.ts";
import { anonymousConfirmationEmail, eventChangedEmail, eventDeletedEmail, importantChange, participationEmail, type MailEvent, type ParticipationEmailKind, type Recipient } from "./participation.emails.ts";
import { EXPORT_FORMATS, removeOldExports, writeParticipantsExport, type ExportFormat } from "./participation.export.ts";
import { ParticipationEvents, type ParticipationEvent } from "./participation.events.ts";
import { checkRoleChange, requireActingAs, requireManager } from "./participation.policy.ts";
import { participationRepository as repo } from "./participation.repository.ts";
import { MAX_JOIN_MESSAGE, ROLES, SEATED, type Participant, type ParticipantRole } from "./participation.types.ts";

export type ParticipationsDeps = {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  bus: Bus<Tx, ParticipationEvent | EventEvent>;
  queue: JobQueue<Executor>;
  events: EventService;
  actors: ActorService;
  users: UserService;
  instanceName: string;
  exportsDir: string;
  urls: Urls;
  anonymousParticipation: boolean;
  /** Where reads of other people's data by the instance's staff are recorded. */
  logger?: Logger;
  /** Signs the cancellation links of participations without an account (they are derived, never stored). */
  cancellationSigner: Signer;
  /** The event as an iCalendar file, attached to confirmations. */
  icsFor?: (event: Event, tx: Executor) => Promise<string>;
};

/** How long after an edit participants are told, so that a burst of edits makes one e-mail. */
export const UPDATE_NOTICE_DELAY = 30 * MINUTE;

/** Use cases of taking part in events: join, leave, approve, reject, roles, lists and counts, and the notices. */
export class ParticipationService {
  private readonly d: ParticipationsDeps;
  constructor(d: ParticipationsDeps) {
    this.d = d;
    d.bus.on(EventEvents.Created, async (e, tx) => {
      const p = await repo.insert(tx, { uuid: newUuid(), eventId: e.payload.eventId, actorId: e.payload.organizerActorId, role: "CREATOR" }, this.now());
      await this.d.bus.emit({ type: ParticipationEvents.Created, payload: { participantId: p.id, eventId: p.eventId, actorId: p.actorId, role: p.role } }, tx);
    });
    d.bus.on(EventEvents.Updated, (e, tx) => this.onEventUpdated(e.payload, tx));
    d.bus.on(EventEvents.Deleted, (e, tx) => this.onEventDeleted(e.payload, tx));
  }

  private now() {
    return this.d.clock.now();
  }

  private async sendEmail(tx: Executor, email: OutgoingEmail) {
    await this.d.queue.enqueue(tx, "email.send", email as unknown as Record<string, unknown>, { queue: "mailers" });
  }

  /**
   * joinEvent as Mobilizon's clients call it: as one of the caller's identities, or — when the actor is the instance's
   * anonymous actor — without an account, with an e-mail address.
   */
  async joinEvent(
    caller: Principal,
    input: { event: EventRef; actorId: number; email?: string | null; message?: string | null; locale?: string | null; timezone?: string | null },
    ip: string | null,
  ): Promise<Participant> {
    if (input.actorId === (await this.d.actors.anonymousActor()).id) {
      if (!input.email) throw invalid("email", "An e-mail address is needed to take part without an account");
      return this.joinAnonymously({ event: input.event, email: input.email, message: input.message, locale: input.locale, timezone: input.timezone }, ip);
    }
    return this.join(caller, input.event, input.actorId, input.message);
  }

  /** leaveEvent as Mobilizon's clients call it: with the cancellation token of an anonymous participation, or as an identity. */
  async leaveEvent(caller: Principal, input: { event: EventRef; actorId: number; token?: string | null }) {
    const r = input.token ? await this.leaveAnonymously(input.event, input.token) : await this.leave(caller, input.event, input.actorId);
    return { ...r, actorId: r.actorId ?? input.actorId };
  }

  /** Joins an event as one of the caller's identities. */
  async join(caller: Principal, ref: EventRef, actorId: number, message: string | null | undefined, opts: { url?: string } = {}): Promise<Participant> {
    requireActingAs(caller, await caller.actsAs(actorId));
    const note = message?.trim() || null;
    if (note && note.length > MAX_JOIN_MESSAGE) throw invalid("message", `The message is too long (at most ${MAX_JOIN_MESSAGE} characters)`);
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.joinableEvent(tx, caller, ref);
      const eventId = event.id;
      const existing = await repo.findByEventAndActor(tx, eventId, actorId);
      if (existing?.role === "REJECTED") throw forbidden("The organizer declined your participation");
      if (existing) throw new DomainError("conflict", "You are already a participant of this event", "actorId");
      if (caller.remote && !event.local) throw forbidden("This event is not organized here");
      const role: ParticipantRole = event.joinOptions === "RESTRICTED" ? "NOT_APPROVED" : "PARTICIPANT";
      // A remote event's seats are counted by its organizer's server, which answers the Join.
      if (role === "PARTICIPANT" && event.local) await this.requireSeat(tx, event);
      const uuid = newUuid();
      const url = opts.url ?? this.d.urls.participation(uuid);
      const participant = await repo.insert(tx, { uuid, eventId, actorId, role, message: note, locale: caller.user?.locale ?? null, url }, this.now());
      await this.d.bus.emit({ type: ParticipationEvents.Created, payload: { participantId: participant.id, eventId, actorId, role } }, tx);
      // A remote participant hears back from the organizer's server (an Accept), not from here by e-mail.
      if (caller.user) await this.notify(tx, role === "PARTICIPANT" ? "confirmed" : "requested", await this.recipientForUser(tx, caller.user), event);
      return participant;
    });
  }

  /**
   * Joins without an account, with an e-mail address (joinEvent with the anonymous actor). The participation waits
   * for the confirmation link sent by e-mail; the answer carries the cancellation token, shown once.
   */
  async joinAnonymously(input: { event: EventRef; email: string; message?: string | null; locale?: string | null; timezone?: string | null }, ip: string | null): Promise<Participant & { cancellationToken: string }> {
    if (!this.d.anonymousParticipation) throw forbidden("Taking part without an account is disabled on this instance");
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email.length > 254) throw invalid("email", "Email doesn't fit required format");
    const note = input.message?.trim() || null;
    if (note && note.length > MAX_JOIN_MESSAGE) throw invalid("message", `The message is too long (at most ${MAX_JOIN_MESSAGE} characters)`);
    const now = this.now();
    if ((await rateLimits.hit(this.d.db, `anon-join:${email}`, HOUR, now)) > 10 || (ip && (await rateLimits.hit(this.d.db, `anon-join-ip:${addressKey(ip)}`, HOUR, now)) > 30))
      throw new DomainError("rate_limited", "Too many attempts, please try again later");
    const confirmation = newToken();
    const uuid = newUuid();
    const cancellation = this.cancellationToken(uuid);
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.joinableEvent(tx, Principal.anonymous, input.event);
      if (!event.options.anonymousParticipation) throw forbidden("This event needs an account to take part");
      if (await repo.findByEventAndEmail(tx, event.id, email)) throw new DomainError("conflict", "You are already a participant of this event", "email");
      const locale = (input.locale ?? "en").slice(0, 2);
      const p = await repo.insert(
        tx,
        { uuid, eventId: event.id, actorId: null, role: "NOT_CONFIRMED", email, message: note, locale, timezone: input.timezone ?? null, confirmationTokenHash: hashToken(confirmation) },
        this.now(),
      );
      const r: Recipient = { email, locale, timezone: input.timezone ?? null };
      await this.sendEmail(tx, anonymousConfirmationEmail({ instanceName: this.d.instanceName }, r, await this.mailEvent(tx, event), this.d.urls.confirmParticipation(confirmation), this.cancelUrl(event, cancellation)));
      return { ...p, cancellationToken: cancellation };
    });
  }

  /**
   * The cancellation token of a participation without an account: its uuid and a signature of it, so the same token
   * is in every e-mail, in the answer to joinEvent (which Mobilizon's client keeps to offer "cancel"), and works until
   * the participation ends — nothing to store, nothing to replace.
   */
  private cancellationToken(participantUuid: string): string {
    const id = participantUuid.replace(/-/g, "");
    return `${id}${this.d.cancellationSigner.sign(id)}`;
  }

  /** The participation a cancellation token names, if its signature holds (tokens of the old, stored kind too). */
  private async byCancellationToken(tx: Executor, eventId: number, token: string): Promise<Participant | null> {
    const m = /^([0-9a-f]{32})([A-Za-z0-9_-]{43})$/.exec(token);
    if (m && this.d.cancellationSigner.verify(m[1], m[2])) {
      const uuid = `${m[1].slice(0, 8)}-${m[1].slice(8, 12)}-${m[1].slice(12, 16)}-${m[1].slice(16, 20)}-${m[1].slice(20)}`;
      const p = await repo.findByUuid(tx, uuid);
      return p && p.eventId === eventId ? p : null;
    }
    return repo.findByCancellationToken(tx, eventId, hashToken(token));
  }

  private cancelUrl(event: Event, token: string) {
    return this.d.urls.cancelParticipation(event.uuid, token);
  }

  /** Confirms an anonymous participation with the e-mailed link (confirmParticipation). */
  async confirmAnonymous(token: string): Promise<Participant> {
    return this.d.db.transaction().execute(async (tx) => {
      const p = await repo.findByConfirmationToken(tx, hashToken(token));
      if (!p || p.role !== "NOT_CONFIRMED") throw new DomainError("invalid_token", "This confirmation link is invalid or was already used", "confirmationToken");
      const event = await this.d.events.lock(tx, p.eventId);
      if (!event) throw notFound("Event");
      const role: ParticipantRole = event.joinOptions === "RESTRICTED" ? "NOT_APPROVED" : "PARTICIPANT";
      if (role === "PARTICIPANT") await this.requireSeat(tx, event);
      const updated = await repo.setRole(tx, p.id, role, this.now(), true);
      await this.d.bus.emit({ type: ParticipationEvents.Created, payload: { participantId: p.id, eventId: event.id, actorId: p.actorId, role } }, tx);
      const r = await this.recipientFor(tx, updated);
      if (r) await this.notify(tx, role === "PARTICIPANT" ? "confirmed" : "requested", r, event);
      return updated;
    });
  }

  /** Cancels an anonymous participation with the token from the e-mails (leaveEvent with a token). */
  async leaveAnonymously(ref: EventRef, token: string): Promise<{ id: number; eventId: number; actorId: number | null }> {
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.d.events.findByRef(ref, tx);
      const eventId = event?.id ?? 0;
      const p = await this.byCancellationToken(tx, eventId, token);
      if (!p) throw new DomainError("invalid_token", "This cancellation link is invalid or was already used", "token");
      await repo.delete(tx, p.id);
      await this.d.bus.emit({ type: ParticipationEvents.Deleted, payload: { participantId: p.id, eventId, actorId: p.actorId, uuid: p.uuid, url: p.url } }, tx);
      return { id: p.id, eventId, actorId: null };
    });
  }

  /** The event, if the caller may see and join it; locked until the transaction ends so seats are counted right. */
  private async joinableEvent(tx: Tx, caller: Principal, ref: EventRef): Promise<Event> {
    const event = await this.d.events.lockByRef(tx, ref);
    if (!event) throw notFound("Event");
    await this.d.events.requireVisible(caller, event, viaLink(ref), tx);
    if (event.draft) throw notFound("Event");
    if (event.status === "CANCELLED") throw forbidden("This event is cancelled");
    if (event.joinOptions === "EXTERNAL") throw forbidden("Registration for this event happens on an external site");
    if (event.joinOptions === "INVITE") throw forbidden("This event is on invitation only");
    const end = event.endsOn ?? event.beginsOn;
    if (end.getTime() < this.now().getTime()) throw forbidden("This event is over");
    return event;
  }

  /** Refuses when the event is full. Called with the event row locked, so concurrent joins can't both take the last seat. */
  private async requireSeat(tx: Executor, event: Event) {
    const max = event.options.maximumAttendeeCapacity;
    if (max > 0 && (await repo.countSeated(tx, event.id)) >= max)
      throw new DomainError("conflict", "The event has already reached its maximum capacity", "eventId");
  }

  /** Leaves an event (leaveEvent). The only creator can't leave their own event. */
  async leave(caller: Principal, ref: EventRef, actorId: number): Promise<{ id: number; eventId: number; actorId: number }> {
    requireActingAs(caller, await caller.actsAs(actorId));
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.d.events.lockByRef(tx, ref);
      // Not taking part reads as "not found" whether or not the event exists: leaving tells nothing about it.
      const p = event ? await repo.findByEventAndActor(tx, event.id, actorId) : null;
      if (!event || !p) throw notFound("Event");
      const eventId = event.id;
      if (p.role === "CREATOR" && (await repo.countByRole(tx, eventId, "CREATOR")) <= 1)
        throw forbidden("You can't leave event because you're the only event creator participant");
      if (p.role === "REJECTED") throw forbidden("The organizer declined your participation");
      await repo.delete(tx, p.id);
      await this.d.bus.emit({ type: ParticipationEvents.Deleted, payload: { participantId: p.id, eventId, actorId: p.actorId, uuid: p.uuid, url: p.url } }, tx);
      return { id: p.id, eventId, actorId };
    });
  }

  /**
   * The answer of a remote event's organizer (its server's Accept or Reject) to one of our participations. Only
   * that event's server decides: the answering actor must be on the organizer's host. The participant is told.
   */
  async applyRemoteDecision(signer: Principal, participantUrl: string, accepted: boolean): Promise<Participant | null> {
    if (!signer.remote) return null;
    return this.d.db.transaction().execute(async (tx) => {
      const p = await repo.findByUrl(tx, participantUrl);
      if (!p || p.actorId === null) return null;
      const event = await this.d.events.findById(p.eventId, tx);
      if (!event || event.local) return null;
      const [organizer] = await this.d.actors.findByIds([event.organizerActorId], tx);
      if (!organizer || organizer.domain !== signer.remote!.domain) return null;
      const to: ParticipantRole = accepted ? (p.role === "NOT_APPROVED" || p.role === "REJECTED" ? "PARTICIPANT" : p.role) : "REJECTED";
      if (to === p.role) return p;
      const updated = await repo.setRole(tx, p.id, to, this.now());
      await this.d.bus.emit({ type: ParticipationEvents.Updated, payload: { participantId: p.id, eventId: event.id, actorId: p.actorId, from: p.role, to } }, tx);
      if (p.role === "NOT_APPROVED" || to === "REJECTED") {
        const r = await this.recipientFor(tx, p);
        if (r) await this.notify(tx, to === "REJECTED" ? "rejected" : "approved", r, event);
      }
      return updated;
    });
  }

  /** A participation by the id of its Join (federation). */
  findByUrl(url: string, tx: Executor = this.d.db): Promise<Participant | null> {
    return repo.findByUrl(tx, url);
  }

  /** Approves, rejects or changes the role of a participant (updateParticipation). */
  async updateRole(caller: Principal, participantId: number, role: string): Promise<Participant> {
    if (caller.kind === "anonymous") caller.requireUser();
    if (!ROLES.includes(role as ParticipantRole)) throw invalid("role", `Unknown role ${role}`);
    const to = role as ParticipantRole;
    const own = await caller.actorIds();
    return this.d.db.transaction().execute(async (tx) => {
      const target = await repo.findById(tx, participantId);
      if (!target) throw notFound("Participant");
      const event = await this.d.events.lock(tx, target.eventId);
      if (!event) throw notFound("Event");
      const mine = await repo.findByEventAndActors(tx, event.id, own);
      const manager = requireManager(own.includes(event.organizerActorId), mine.map((p) => p.role));
      checkRoleChange(manager, target, to);
      if (target.role === to) return target;
      const gainsSeat = SEATED.includes(to) && !SEATED.includes(target.role);
      if (gainsSeat) await this.requireSeat(tx, event);
      const updated = await repo.setRole(tx, target.id, to, this.now());
      await this.d.bus.emit({ type: ParticipationEvents.Updated, payload: { participantId: target.id, eventId: event.id, actorId: target.actorId, from: target.role, to } }, tx);
      if (target.role === "NOT_APPROVED" && (gainsSeat || to === "REJECTED")) {
        const r = await this.recipientFor(tx, target);
        if (r) await this.notify(tx, to === "REJECTED" ? "rejected" : "approved", r, event);
      }
      return updated;
    });
  }

  /** The participants of an event, for its organizers (Event.participants). Others see none. */
  async list(caller: Principal, event: Event, roles: readonly ParticipantRole[] | null, page: number, limit: number) {
    if (!(await this.canManage(caller, event))) return { total: 0, elements: [] as Participant[] };
    return repo.listByEvent(this.d.db, event.id, roles, page, limit);
  }

  /** Whether the caller organizes or moderates the event; pass the caller's transaction when inside one. */
  async canManage(caller: Principal, event: Event, tx: Executor = this.d.db): Promise<boolean> {
    if (caller.kind === "anonymous") return false;
    if (await this.d.events.isOrganizer(caller, event, tx)) return true;
    const own = await caller.actorIds(tx);
    const mine = await repo.findByEventAndActors(tx, event.id, own);
    return mine.some((p) => p.role === "ADMINISTRATOR" || p.role === "MODERATOR" || p.role === "CREATOR");
  }

  /** Writes the participant list as a CSV, ODS or PDF file for the event's organizers (exportEventParticipants). */
  async exportList(caller: Principal, ref: EventRef, roles: readonly string[] | null, format: string): Promise<{ path: string; format: ExportFormat }> {
    if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw invalid("format", `Unknown format ${format}`);
    const user = caller.requireUser();
    const event = await this.d.events.getByRef(caller, ref);
    if (!(await this.canManage(caller, event))) throw forbidden("Only the event's organizers can export its participants");
    const bad = (roles ?? []).filter((r) => !ROLES.includes(r as ParticipantRole));
    if (bad.length) throw invalid("roles", `Unknown roles: ${bad.join(", ")}`);
    const wanted = roles?.length ? (roles as ParticipantRole[]) : (["CREATOR", "ADMINISTRATOR", "MODERATOR", "PARTICIPANT", "NOT_APPROVED"] as ParticipantRole[]);
    const name = await writeParticipantsExport(this.d.db, this.d.exportsDir, format as ExportFormat, event, wanted, (ids) => this.d.actors.findByIds(ids), user.locale);
    return { path: name, format: format as ExportFormat };
  }

  /** Removes participant exports older than a day (hourly task). */
  purgeExports(): Promise<number> {
    return removeOldExports(this.d.exportsDir, 24 * HOUR, this.now());
  }

  /** Counts by role for several events (Event.participantStats, batched). */
  statsByEvents(eventIds: readonly number[]) {
    return repo.statsByEvents(this.d.db, eventIds);
  }

  /** An identity's participations, for its own account (Person.participations). */
  async ofActor(caller: Principal, actorId: number, opts: { event?: EventRef | null; page: number; limit: number }) {
    if (!caller.user || !(await caller.actsAs(actorId))) return { total: 0, elements: [] as Participant[] };
    let eventId: number | null = null;
    if (opts.event) {
      eventId = (await this.d.events.findByRef(opts.event))?.id ?? null;
      if (eventId === null) return { total: 0, elements: [] as Participant[] };
    }
    return repo.listByActors(this.d.db, [actorId], { eventId, page: opts.page, limit: opts.limit });
  }

  /**
   * Participations of every identity of an account (User.participations): all of them for the account itself; for the
   * instance's staff, those in public events only (what a moderator may need to judge a report), and the reading is
   * logged.
   */
  async ofUser(caller: Principal, account: User, opts: { after?: Date | null; before?: Date | null; page: number; limit: number }) {
    const access = accountAccess(caller.user, account);
    if (!access) return { total: 0, elements: [] as Participant[] };
    if (access === "staff") this.d.logger?.info("staff read an account's participations", { staffUserId: caller.user!.id, accountId: account.id });
    return repo.listByActors(this.d.db, await this.d.actors.identityIdsOf(account.id), { ...opts, publicOnly: access === "staff" });
  }

  /** Where to federate an event's changes: its participants on other servers, waiting ones included. */
  remoteParticipantUrls(eventId: number, tx: Executor = this.d.db): Promise<string[]> {
    return repo.remoteActorUrls(tx, eventId, ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR", "NOT_APPROVED", "CREATOR"]);
  }

  /** A participation by id (internal). */
  findById(id: number, tx: Executor = this.d.db) {
    return repo.findById(tx, id);
  }

  // ---------------------------------------------------------------- notices

  /** What e-mails say of an event: its title, link, dates and places. */
  async mailEvent(tx: Executor, event: Event): Promise<MailEvent> {
    const address = event.physicalAddressId ? (await this.d.events.addresses([event.physicalAddressId], tx))[0] : null;
    return {
      title: event.title,
      url: event.url,
      beginsOn: event.beginsOn,
      endsOn: event.endsOn,
      timezone: event.options.timezone,
      address: address ? formatAddress(address) : null,
      onlineAddress: event.onlineAddress,
    };
  }

  private async notify(tx: Executor, kind: ParticipationEmailKind, r: Recipient, event: Event, extra: { cancelUrl?: string } = {}) {
    // Participants without an account find their cancellation link in every e-mail that confirms their seat.
    if (!extra.cancelUrl && r.anonymousParticipantUuid) extra = { ...extra, cancelUrl: this.cancelUrl(event, this.cancellationToken(r.anonymousParticipantUuid)) };
    const ics = (kind === "confirmed" || kind === "approved") && this.d.icsFor ? await this.d.icsFor(event, tx) : undefined;
    await this.sendEmail(tx, participationEmail(kind, { instanceName: this.d.instanceName }, r, await this.mailEvent(tx, event), { ics, ...extra }));
  }

  private async recipientForUser(tx: Executor, user: User): Promise<Recipient> {
    const settings = await this.d.users.settings(user.id, tx);
    return { email: user.email, locale: user.locale, timezone: settings?.timezone ?? null };
  }

  /** Where to write to a participant: their account's address, or the e-mail of an anonymous participation. */
  private async recipientFor(tx: Executor, p: Participant): Promise<Recipient | null> {
    if (p.email) return { email: p.email, locale: p.locale ?? "en", timezone: p.timezone, anonymousParticipantUuid: p.uuid };
    if (!p.actorId) return null;
    const actor: Actor | null = await this.d.actors.findById(p.actorId, tx);
    if (!actor?.userId) return null;
    const user = await this.d.users.findById(actor.userId, tx);
    return user ? this.recipientForUser(tx, user) : null;
  }

  /**
   * Where to write to everyone holding a seat or waiting for approval, except the organizer (notices,
   * announcements). Reads participants, their identities, accounts and timezones in batches: four queries per 500.
   */
  async *recipientsOf(tx: Executor, event: Event): AsyncGenerator<Recipient> {
    for await (const batch of repo.streamByEvent(tx, event.id, ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR", "NOT_APPROVED"])) {
      const people = batch.filter((p) => p.actorId !== event.organizerActorId);
      const actors = await this.d.actors.findByIds(people.map((p) => p.actorId).filter((x): x is number => x !== null), tx);
      const userOf = new Map(actors.map((a) => [a.id, a.userId]));
      const userIds = [...new Set(actors.map((a) => a.userId).filter((x): x is number => x !== null))];
      const users = new Map((await this.d.users.findByIds(userIds, tx)).map((u) => [u.id, u]));
      const zones = await this.d.users.timezonesOf(userIds, tx);
      for (const p of people) {
        if (p.email) yield { email: p.email, locale: p.locale ?? "en", timezone: p.timezone, anonymousParticipantUuid: p.uuid };
        const uid = p.actorId ? userOf.get(p.actorId) : null;
        const u = uid ? users.get(uid) : null;
        if (u) yield { email: u.email, locale: u.locale, timezone: zones.get(u.id) ?? null };
      }
    }
  }

  private async onEventUpdated(p: EventUpdatedPayload, tx: Tx) {
    if (!importantChange(p.before, p.after)) return;
    const event = await this.d.events.findById(p.eventId, tx);
    if (!event) return;
    // A cancellation is told at once; other changes wait a little so that successive edits make one e-mail, but
    // not past the start of the event.
    const cancelled = p.after.status === "CANCELLED" && p.before.status !== "CANCELLED";
    const untilStart = event.beginsOn.getTime() - this.now().getTime();
    const delay = cancelled ? 0 : Math.max(0, Math.min(UPDATE_NOTICE_DELAY, untilStart - 15 * MINUTE));
    await this.d.queue.enqueue(
      tx,
      "participations.notify-event-changed",
      { eventId: p.eventId, before: p.before },
      { runAt: new Date(this.now().getTime() + delay), uniqueKey: cancelled ? undefined : `event-changed:${p.eventId}`, maxAttempts: 5 },
    );
  }

  /** Job: tells participants what changed since `before` (skips if the edits cancelled each other out). */
  async notifyEventChanged(eventId: number, before: EventSnapshot): Promise<number> {
    return this.d.db.transaction().execute(async (tx) => {
      const event = await this.d.events.findById(eventId, tx);
      if (!event) return 0;
      const ref = await this.mailEvent(tx, event);
      const after: EventSnapshot = {
        title: event.title,
        beginsOn: event.beginsOn.toISOString(),
        endsOn: event.endsOn?.toISOString() ?? null,
        status: event.status,
        address: ref.address,
        onlineAddress: event.onlineAddress,
      };
      let sent = 0;
      for await (const r of this.recipientsOf(tx, event)) {
        const email = eventChangedEmail({ instanceName: this.d.instanceName }, r, { title: event.title, url: event.url, timezone: event.options.timezone }, before, after);
        if (email) {
          await this.sendEmail(tx, email);
          sent++;
        }
      }
      return sent;
    });
  }

  private async onEventDeleted(p: EventDeletedPayload, tx: Tx) {
    if (p.wasDraft) return;
    const event = await this.d.events.findById(p.eventId, tx);
    if (!event || (event.endsOn ?? event.beginsOn).getTime() < this.now().getTime() - HOUR) return;
    for await (const r of this.recipientsOf(tx, event)) await this.sendEmail(tx, eventDeletedEmail({ instanceName: this.d.instanceName }, r, p.snapshot, event.options.timezone));
  }
}
