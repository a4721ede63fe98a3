import type { Db, Executor, Tx } from "../../db/index.ts";
import { rateLimits } from "../../db/index.ts";
import { addressKey, DomainError, HOUR, invalid, notFound, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import type { MediaService, PictureInput, ReadyPicture } from "../media/index.ts";
import { Principal, requireModerator, UserEvents, type User, type UserEvent, type UserService } from "../users/index.ts";
import { ActorEvents, type ActorEvent } from "./actor.events.ts";
import { canSeePrivateProfile, mayCreateFirstProfile, requireOwnIdentity } from "./actor.policy.ts";
import { actorRepository as repo } from "./actor.repository.ts";
import { checkName, checkSummary, checkUsername, MAX_IDENTITIES_PER_USER, type Actor } from "./actor.types.ts";
import { isRemoteAddress, spendLookup, type RemoteLookup } from "./remote-lookup.ts";

export type ActorsDeps = {
  db: Db;
  clock: Clock;
  urls: Urls;
  users: UserService;
  media: MediaService;
  bus: Bus<Tx, ActorEvent | UserEvent>;
  /** Finding actors on other servers (set by the composition root when the instance federates). */
  lookup?: () => RemoteLookup;
};



export type PersonInput = {
  preferredUsername: string;
  name?: string | null;
  summary?: string | null;
  avatar?: PictureInput;
  banner?: PictureInput;
};

/** A person's input with its pictures processed and on disk (MediaService.prepare), ready for the transaction. */
type ReadyPerson = Omit<PersonInput, "avatar" | "banner"> & { avatar?: ReadyPicture; banner?: ReadyPicture };

/** Use cases of identities (profiles): several per account, one default, each with its own name and picture. */
export class ActorService {
  private readonly d: ActorsDeps;
  constructor(d: ActorsDeps) {
    this.d = d;
    // Deleting an account erases its identities in the same transaction.
    d.bus.on(UserEvents.Deleted, async (event, tx) => {
      const userId = event.payload.userId;
      const mine = await repo.findByUser(tx, userId);
      for (const guard of this.guards) await guard(tx, mine.map((a) => a.id));
      for (const a of mine) {
        await repo.softDelete(tx, a.id, this.d.clock.now());
        await this.d.bus.emit({ type: ActorEvents.Deleted, payload: { actorId: a.id, userId, url: a.url, actorType: a.type, remote: false } }, tx);
      }
    });
  }

  private readonly guards: ((tx: Tx, actorIds: number[]) => Promise<void>)[] = [];

  /**
   * Adds a check run before identities are deleted (one, or all of an account's), in the deleting transaction: it
   * throws to refuse (a module above this one: the last administrator of a group).
   */
  addDeletionGuard(guard: (tx: Tx, actorIds: number[]) => Promise<void>): void {
    this.guards.push(guard);
  }

  private actorUrl(username: string) {
    return this.d.urls.actor(username);
  }

  /** Processes a person's new pictures before any transaction opens (image work never holds the writer's lock). */
  private async ready<T extends { avatar?: PictureInput; banner?: PictureInput }>(input: T): Promise<Omit<T, "avatar" | "banner"> & { avatar?: ReadyPicture; banner?: ReadyPicture }> {
    return { ...input, avatar: await this.d.media.prepare(input.avatar, "avatar"), banner: await this.d.media.prepare(input.banner, "banner") };
  }

  private async pictureId(user: User, pic: ReadyPicture, kind: "avatar" | "banner", tx: Tx): Promise<number | null | undefined> {
    const own = (await repo.findByUser(tx, user.id)).map((a) => a.id);
    return this.d.media.resolvePicture(pic, kind, null, own, tx);
  }

  private async create(tx: Tx, user: User, input: ReadyPerson): Promise<Actor> {
    const username = checkUsername(input.preferredUsername);
    const name = checkName(input.name);
    const summary = checkSummary(input.summary);
    if ((await repo.countByUser(tx, user.id)) >= MAX_IDENTITIES_PER_USER)
      throw invalid("preferredUsername", `An account can have at most ${MAX_IDENTITIES_PER_USER} profiles`);
    if (await repo.usernameTaken(tx, username))
      throw new DomainError("conflict", "This username is already taken.", "preferredUsername");
    const avatarId = await this.pictureId(user, input.avatar, "avatar", tx);
    const bannerId = await this.pictureId(user, input.banner, "banner", tx);
    const actor = await repo.insert(tx, {
      type: "Person",
      preferredUsername: username,
      name,
      summary,
      url: this.actorUrl(username),
      userId: user.id,
      avatarId: avatarId ?? null,
      bannerId: bannerId ?? null,
      now: this.d.clock.now(),
    });
    if (avatarId) await this.d.media.setOwner(tx, avatarId, actor.id);
    if (bannerId) await this.d.media.setOwner(tx, bannerId, actor.id);
    if (user.defaultActorId === null || !(await repo.findById(tx, user.defaultActorId)))
      await this.d.users.setDefaultActor(tx, user.id, actor.id);
    await this.d.bus.emit({ type: ActorEvents.Created, payload: { actorId: actor.id, userId: user.id } }, tx);
    return actor;
  }

  /** Creates another identity for the logged-in account (createPerson). */
  async createPerson(caller: Principal, input: PersonInput): Promise<Actor> {
    const user = caller.requireUser();
    const ready = await this.ready(input);
    const actor = await this.d.db.transaction().execute((tx) => this.create(tx, user, ready));
    caller.identitiesChanged();
    return actor;
  }

  /**
   * Creates the first identity of an account by its e-mail (registerPerson, which Mobilizon 5.1's sign-up page calls
   * without a session right after createUser). Allowed with the account's own session, or without one only while the
   * account is unconfirmed and younger than FIRST_PROFILE_WINDOW; every refusal reads the same, so the mutation tells
   * nobody which addresses have accounts.
   */
  async registerPerson(caller: Principal, email: string, input: PersonInput, ip: string | null): Promise<Actor> {
    checkUsername(input.preferredUsername);
    checkName(input.name);
    checkSummary(input.summary);
    const now = this.d.clock.now();
    if (!caller.user && ip && (await rateLimits.hit(this.d.db, `register-person:${addressKey(ip)}`, HOUR, now)) > 20)
      throw new DomainError("rate_limited", "Too many attempts, please try again later");
    const user = await this.d.users.findByEmail(email);
    const refused = () => new DomainError("forbidden", "A first profile can only be created for a new account, or once logged in", "email");
    if (!user || !mayCreateFirstProfile(caller.user, user, now)) throw refused();
    const ready = await this.ready(input);
    const actor = await this.d.db.transaction().execute(async (tx) => {
      if ((await repo.countByUser(tx, user.id)) > 0) throw refused();
      return this.create(tx, user, ready);
    });
    caller.identitiesChanged();
    return actor;
  }

  /** Edits an identity of the logged-in account (updatePerson). */
  async updatePerson(
    caller: Principal,
    id: number,
    input: { name?: string | null; summary?: string | null; avatar?: PictureInput; banner?: PictureInput },
  ): Promise<Actor> {
    const user = caller.requireUser();
    requireOwnIdentity(user, await repo.findById(this.d.db, id));
    const ready = await this.ready(input);
    return this.d.db.transaction().execute(async (tx) => {
      const actor = requireOwnIdentity(user, await repo.findById(tx, id));
      const avatarId = await this.pictureId(user, ready.avatar, "avatar", tx);
      const bannerId = await this.pictureId(user, ready.banner, "banner", tx);
      const updated = await repo.update(
        tx,
        actor.id,
        {
          name: input.name === undefined ? undefined : checkName(input.name),
          summary: input.summary === undefined ? undefined : checkSummary(input.summary),
          avatarId,
          bannerId,
        },
        this.d.clock.now(),
      );
      if (avatarId) await this.d.media.setOwner(tx, avatarId, actor.id);
      if (bannerId) await this.d.media.setOwner(tx, bannerId, actor.id);
      await this.d.bus.emit({ type: ActorEvents.Updated, payload: { actorId: actor.id } }, tx);
      return updated;
    });
  }

  /** Deletes an identity; the last one stays, and the default moves to another (deletePerson). */
  async deletePerson(caller: Principal, id: number): Promise<Actor> {
    const user = caller.requireUser();
    caller.identitiesChanged();
    return this.d.db.transaction().execute(async (tx) => {
      const actor = requireOwnIdentity(user, await repo.findById(tx, id));
      const mine = await repo.findByUser(tx, user.id);
      if (mine.length <= 1) throw new DomainError("forbidden", "Cannot remove the last identity of a user", "id");
      for (const guard of this.guards) await guard(tx, [actor.id]);
      await repo.softDelete(tx, actor.id, this.d.clock.now());
      await this.d.bus.emit({ type: ActorEvents.Deleted, payload: { actorId: actor.id, userId: user.id, url: actor.url, actorType: actor.type, remote: false } }, tx);
      const fresh = await this.d.users.findById(user.id, tx);
      if (fresh?.defaultActorId === actor.id) {
        const next = mine.find((a) => a.id !== actor.id)!;
        await this.d.users.setDefaultActor(tx, user.id, next.id);
      }
      return actor;
    });
  }

  /** Makes one of the account's identities the default (changeDefaultActor). */
  async changeDefaultActor(caller: Principal, preferredUsername: string): Promise<User> {
    const user = caller.requireUser();
    const actor = await repo.findLocalByUsername(this.d.db, preferredUsername.trim());
    requireOwnIdentity(user, actor);
    return this.d.db.transaction().execute((tx) => this.d.users.setDefaultActor(tx, user.id, actor!.id));
  }

  /** The identities of the logged-in account (identities). */
  async identities(caller: Principal): Promise<Actor[]> {
    const user = caller.requireUser();
    return repo.findByUser(this.d.db, user.id);
  }

  /** The default identity of the logged-in account (loggedPerson). */
  async loggedPerson(caller: Principal): Promise<Actor | null> {
    const user = caller.requireUser();
    if (user.defaultActorId) {
      const a = await repo.findById(this.d.db, user.defaultActorId);
      if (a) return a;
    }
    return (await repo.findByUser(this.d.db, user.id))[0] ?? null;
  }

  /** A profile by id for its owner or the instance's staff (person). */
  async person(caller: Principal, id: number): Promise<Actor> {
    const user = caller.requireUser();
    const actor = await repo.findById(this.d.db, id);
    if (!actor || actor.type !== "Person" || !canSeePrivateProfile(user, actor)) throw notFound("Person");
    return actor;
  }

  /** A profile by username, public view (fetchPerson): `name` here, or `name@host` looked up on its server. */
  async fetchPerson(caller: Principal, preferredUsername: string, ip: string | null = null): Promise<Actor> {
    const name = preferredUsername.trim().replace(/^@/, "").slice(0, 300);
    const remote = name.includes("@") && !name.endsWith(`@${this.d.urls.host}`);
    const actor = remote ? await this.lookUp(caller, name, ip) : await repo.findLocalByUsername(this.d.db, name.split("@")[0]);
    if (!actor || actor.type !== "Person" || actor.suspended || actor.deletedAt) throw notFound("Person");
    return actor;
  }

  /** An actor on another server, within the caller's allowance of look-ups. */
  private async lookUp(caller: Principal, address: string, ip: string | null): Promise<Actor | null> {
    if (!this.d.lookup) return null;
    await spendLookup(this.d.db, this.d.clock.now(), caller, ip);
    return this.d.lookup().actor(address);
  }

  /**
   * Where a visitor from another server acts on something of ours (an event to join, from their own account):
   * their server's remote-interaction page for `uri`, found through WebFinger. Only our own URLs are passed on.
   */
  async remoteInteractionUrl(caller: Principal, account: string, uri: string, ip: string | null): Promise<string | null> {
    if (!this.d.urls.isLocal(uri) || uri.length > 2048) throw invalid("uri", "Only a link of this instance can be opened elsewhere");
    if (!/^@?[^@\s/]+@[a-z0-9.-]+(:\d{1,5})?$/i.test(account.trim())) throw invalid("account", "Write your address as name@your.instance");
    if (!this.d.lookup) return null;
    await spendLookup(this.d.db, this.d.clock.now(), caller, ip);
    return this.d.lookup().interactionUrl(account, uri);
  }

  /**
   * People by name (searchPersons): local profiles and the remote ones known here; a term that is an address
   * (`@name@host`, or a URL) is looked up on its server.
   */
  async searchPersons(caller: Principal, term: string, page: number, limit: number, ip: string | null = null): Promise<{ total: number; elements: Actor[] }> {
    const t = term.trim().slice(0, 300);
    if (isRemoteAddress(t)) {
      const local = /^https?:/i.test(t) ? null : t.replace(/^@/, "").endsWith(`@${this.d.urls.host}`) ? await repo.findLocalByUsername(this.d.db, t.replace(/^@/, "").split("@")[0]) : undefined;
      const a = local === undefined ? await this.lookUp(caller, t, ip) : local;
      return a && a.type === "Person" && !a.suspended && !a.deletedAt ? { total: 1, elements: [a] } : { total: 0, elements: [] };
    }
    if (!t) return { total: 0, elements: [] };
    return repo.searchPersons(this.d.db, t, page, limit);
  }

  /**
   * Creates a local group actor inside the caller's transaction (the groups module owns the rules; the actors table
   * and its username namespace, shared with people, are kept here).
   */
  async insertGroup(
    tx: Tx,
    v: { preferredUsername: string; name: string | null; summary: string | null; visibility: string; openness: string; manuallyApprovesFollowers: boolean; physicalAddressId: number | null },
  ): Promise<Actor> {
    const username = checkUsername(v.preferredUsername);
    if (await repo.usernameTaken(tx, username)) throw new DomainError("conflict", "This username is already taken.", "preferredUsername");
    const actor = await repo.insert(tx, { ...v, type: "Group", preferredUsername: username, url: this.actorUrl(username), userId: null, avatarId: null, bannerId: null, now: this.d.clock.now() });
    await this.d.bus.emit({ type: ActorEvents.Created, payload: { actorId: actor.id, userId: null } }, tx);
    return actor;
  }

  /** Changes a group actor's fields inside the caller's transaction (the groups module checked who may). */
  async updateGroup(
    tx: Tx,
    id: number,
    patch: Partial<{ name: string | null; summary: string | null; avatarId: number | null; bannerId: number | null; visibility: string; openness: string; manuallyApprovesFollowers: boolean; physicalAddressId: number | null }>,
  ): Promise<Actor> {
    const updated = await repo.update(tx, id, patch, this.d.clock.now());
    await this.d.bus.emit({ type: ActorEvents.Updated, payload: { actorId: id } }, tx);
    return updated;
  }

  /** Deletes a group actor inside the caller's transaction; its name stays reserved, its URL answers 410. */
  async removeGroup(tx: Tx, actor: Actor): Promise<void> {
    await repo.softDelete(tx, actor.id, this.d.clock.now());
    await this.d.bus.emit({ type: ActorEvents.Deleted, payload: { actorId: actor.id, userId: null, url: actor.url, actorType: actor.type, remote: actor.domain !== null } }, tx);
  }

  /** An actor by id (internal use), or null; pass the caller's transaction when inside one. */
  findById(id: number, tx: Executor = this.d.db): Promise<Actor | null> {
    return repo.findById(tx, id);
  }

  /** Actors by ids (DataLoader batch). */
  findByIds(ids: readonly number[], tx: Executor = this.d.db): Promise<Actor[]> {
    return repo.findByIds(tx, ids);
  }

  /** Identities of several accounts (DataLoader batch). */
  findByUsers(userIds: readonly number[]): Promise<Actor[]> {
    return repo.findByUsers(this.d.db, userIds);
  }

  /** A remote actor known here by its username and server (no look-up elsewhere). */
  findRemote(username: string, domain: string): Promise<Actor | null> {
    return repo.findRemoteByUsername(this.d.db, username, domain.toLowerCase());
  }

  /** A local actor by username (internal use, CLI). */
  findLocal(username: string): Promise<Actor | null> {
    return repo.findLocalByUsername(this.d.db, username);
  }

  /**
   * The instance's "anonymous" actor, which stands for people who take part without an account (Mobilizon's
   * `config.anonymous.actorId`). Created on first use; owned by no account.
   */
  async anonymousActor(): Promise<Actor> {
    this.anonymous ??= this.findOrCreateAnonymous().catch((e) => {
      this.anonymous = null;
      throw e;
    });
    return this.anonymous;
  }

  private anonymous: Promise<Actor> | null = null;

  private async findOrCreateAnonymous(): Promise<Actor> {
    const existing = await repo.findLocalByUsername(this.d.db, "anonymous");
    if (existing) return existing;
    try {
      return await repo.insert(this.d.db, { type: "Person", preferredUsername: "anonymous", name: null, summary: null, url: this.actorUrl("anonymous"), userId: null, avatarId: null, bannerId: null, now: this.d.clock.now() });
    } catch {
      // Another process created it at the same moment.
      return (await repo.findLocalByUsername(this.d.db, "anonymous"))!;
    }
  }

  /** Creates a profile for an account by id, without a session (CLI `actors new`). */
  async createForUser(userId: number, input: PersonInput): Promise<Actor> {
    const user = await this.d.users.findById(userId);
    if (!user) throw notFound("User");
    const ready = await this.ready(input);
    return this.d.db.transaction().execute((tx) => this.create(tx, user, ready));
  }

  /** Profiles for the instance's moderators and administrators (persons). */
  async listPersons(
    caller: Principal,
    f: { preferredUsername?: string | null; name?: string | null; domain?: string | null; local?: boolean | null; suspended?: boolean | null; page: number; limit: number },
  ) {
    return this.listActors(caller, "Person", f);
  }

  /** People or groups for the instance's staff, filtered like Mobilizon's `persons` and `groups` queries. */
  async listActors(
    caller: Principal,
    type: "Person" | "Group",
    f: { preferredUsername?: string | null; name?: string | null; domain?: string | null; local?: boolean | null; suspended?: boolean | null; page: number; limit: number },
  ) {
    requireModerator(caller.user);
    return repo.listActors(this.d.db, type, {
      preferredUsername: (f.preferredUsername ?? "").trim().slice(0, 100),
      name: (f.name ?? "").trim().slice(0, 200),
      domain: (f.domain ?? "").trim().slice(0, 255),
      local: f.local ?? true,
      suspended: f.suspended ?? false,
      page: f.page,
      limit: f.limit,
    });
  }


  /** Whether a profile anyone may see shows this media as its avatar or banner (who may see a media). */
  showsMedia(mediaId: number): Promise<boolean> {
    return repo.showsMedia(this.d.db, mediaId);
  }

  /** Who is asking, for a request: the account with its identities (read once, on first use), or nobody. */
  principalFor(user: User | null): Principal {
    if (!user) return Principal.anonymous;
    return Principal.ofUser(user, async (tx) => this.identityIdsOf(user.id, tx));
  }

  /** The ids of an account's identities; pass the caller's transaction when inside one. */
  async identityIdsOf(userId: number, tx: Executor = this.d.db): Promise<number[]> {
    return (await repo.findByUser(tx, userId)).map((a) => a.id);
  }
}
