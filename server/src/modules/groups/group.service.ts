import { rateLimits, type Db, type Executor, type Tx } from "../../db/index.ts";
import { DomainError, HOUR, invalid, newUuid, notFound, notPermitted, type Bus, type Clock, type JobQueue, type Urls } from "../../kernel/index.ts";
import { addresses, checkAddress, type AddressArg } from "../addresses/index.ts";
import { ActorEvents, checkUsername, isRemoteAddress, spendLookup, type Actor, type ActorEvent, type ActorService, type RemoteLookup } from "../actors/index.ts";
import { sanitizeHtml } from "../content/index.ts";
import type { MediaService, PictureInput, ReadyPicture } from "../media/index.ts";
import { requireModerator as requireStaff, type Principal, type UserService } from "../users/index.ts";
import { GroupEvents, type GroupEvent } from "./group.events.ts";
import { highest, requireAdministrator } from "./group.policy.ts";
import { groupQueries, type GroupSearchSort } from "./group.queries.ts";
import { checkOpenness, checkVisibility, GROUP_ROLES, inGroup, visibilityFromDb, visibilityToDb, type Group, type Member, type Openness, type GroupVisibility } from "./group.types.ts";
import { memberRepository as members } from "./member.repository.ts";
import type { Circle } from "../../db/index.ts";

export type GroupsDeps = {
  db: Db;
  clock: Clock;
  urls: Urls;
  bus: Bus<Tx, GroupEvent | ActorEvent>;
  queue: JobQueue<Executor>;
  actors: ActorService;
  users: UserService;
  media: MediaService;
  instanceName: string;
  timezoneAt: (lat: number, lon: number) => string | null;
  /** Config.restrictions.onlyAdminCanCreateGroups. */
  onlyAdminsCreateGroups: boolean;
  /** Finding groups on other servers (set by the composition root when the instance federates). */
  lookup?: () => RemoteLookup;
};

export type GroupInput = {
  preferredUsername?: string;
  name?: string | null;
  summary?: string | null;
  visibility?: string | null;
  openness?: string | null;
  manuallyApprovesFollowers?: boolean | null;
  avatar?: PictureInput;
  banner?: PictureInput;
  physicalAddress?: AddressArg | null;
  /** Which of the caller's identities creates the group (Convene; Mobilizon's client lets the default one). */
  creatorActorId?: number | null;
};

export const MAX_GROUP_SUMMARY = 20_000;
const MAX_NAME = 200;

/** Groups an account creates in a day, at most (staff aside): a runaway script must not fill the instance's namespace. */
export const MAX_GROUPS_PER_ACCOUNT_PER_DAY = 20;

/** Use cases of groups themselves: create, edit, delete, see, list, find. Memberships are in member.service.ts. */
export class GroupService {
  private readonly d: GroupsDeps;
  constructor(d: GroupsDeps) {
    this.d = d;
    // A group elsewhere closed by its server (its Delete of itself): what we kept of it goes as for one of ours —
    // its events, posts, discussions, resources and todos (their modules' listeners), and who was in it here.
    d.bus.on(ActorEvents.Deleted, async (e, tx) => {
      if (!e.payload.remote || e.payload.actorType !== "Group") return;
      await this.close(tx, { id: e.payload.actorId, url: e.payload.url }, e.payload.actorId);
    });
  }

  /** A group goes: its modules' listeners (events, posts, followers, federation) act before its memberships go. */
  private async close(tx: Tx, g: { id: number; url: string }, authorId: number): Promise<void> {
    await this.d.bus.emit({ type: GroupEvents.Deleted, payload: { groupId: g.id, authorId, url: g.url } }, tx);
    await members.deleteByGroup(tx, g.id);
  }

  /** The group an id names, or null (not a group, deleted). */
  async findGroup(id: number, tx: Executor = this.d.db): Promise<Group | null> {
    const a = await this.d.actors.findById(id, tx);
    return a && a.type === "Group" && !a.deletedAt ? (a as Group) : null;
  }

  /** An actor's membership in a group if they are in it (members, moderators, administrators), or null. */
  async memberOf(groupId: number, actorId: number, tx: Executor = this.d.db): Promise<Member | null> {
    const m = await members.find(tx, groupId, actorId);
    return inGroup(m) ? m : null;
  }

  /** The caller's membership in a group: the highest role of their identities there, or null. */
  async membershipOf(caller: Principal, groupId: number, tx?: Executor): Promise<Member | null> {
    if (caller.kind === "anonymous") return null;
    // Once per group and request (a group page asks for each of its lists); forgotten with the caller's group roles.
    return caller.remember(`${GROUP_ROLES}:${groupId}`, async (t) => highest(await members.findForActors(t ?? this.d.db, groupId, await caller.actorIds(t))), tx);
  }

  /**
   * Whether the caller may see a group at all: public and unlisted groups anyone (unlisted ones are not listed or
   * found, but open by their name); private groups their members and invited people; suspended ones only the staff.
   */
  private async visibleTo(caller: Principal, g: Group): Promise<boolean> {
    if (caller.staff) return true;
    if (g.suspended) return false;
    if (g.visibility !== "private") return true;
    const m = await this.membershipOf(caller, g.id);
    return inGroup(m) || m?.role === "INVITED";
  }

  private summary(raw: string | null | undefined): string | null | undefined {
    if (raw === undefined) return undefined;
    if (raw === null) return null;
    if (raw.length > MAX_GROUP_SUMMARY) throw invalid("summary", `The description is too long (at most ${MAX_GROUP_SUMMARY} characters)`);
    const html = sanitizeHtml(raw, { mediaOrigin: this.d.urls.base });
    return html.trim() ? html : null;
  }

  private name(raw: string | null | undefined): string | null | undefined {
    if (raw === undefined) return undefined;
    const n = (raw ?? "").replace(/\s+/g, " ").trim();
    if (n.length > MAX_NAME) throw invalid("name", `The name is too long (at most ${MAX_NAME} characters)`);
    return n || null;
  }

  private async ready(input: GroupInput): Promise<{ avatar?: ReadyPicture; banner?: ReadyPicture }> {
    return { avatar: await this.d.media.prepare(input.avatar, "avatar"), banner: await this.d.media.prepare(input.banner, "banner") };
  }

  /** Creates a group; the creating identity becomes its first administrator (createGroup). */
  async create(caller: Principal, input: GroupInput): Promise<Group> {
    const user = caller.requireUser();
    if (this.d.onlyAdminsCreateGroups && !caller.admin) throw notPermitted("Only the instance's administrators can create groups");
    const username = checkUsername(input.preferredUsername ?? "");
    const name = this.name(input.name) ?? null;
    const summary = this.summary(input.summary) ?? null;
    const visibility: GroupVisibility = checkVisibility(input.visibility) ?? "PUBLIC";
    const openness: Openness = checkOpenness(input.openness) ?? "INVITE_ONLY";
    const address = input.physicalAddress ? checkAddress(input.physicalAddress, this.d.timezoneAt) : null;
    const own = await caller.actorIds();
    const creatorId = await caller.identity(input.creatorActorId, "creatorActorId");
    if (!caller.staff && (await rateLimits.hit(this.d.db, `group-create:${user.id}`, 24 * HOUR, this.d.clock.now())) > MAX_GROUPS_PER_ACCOUNT_PER_DAY)
      throw new DomainError("rate_limited", "Too many groups created today: please try again tomorrow");
    const pics = await this.ready(input);
    const group = await this.d.db.transaction().execute(async (tx) => {
      const place = address ? await addresses.save(tx, null, address, this.d.clock.now()) : null;
      const g = (await this.d.actors.insertGroup(tx, {
        preferredUsername: username,
        name,
        summary,
        visibility: visibilityToDb(visibility),
        openness,
        manuallyApprovesFollowers: input.manuallyApprovesFollowers ?? false,
        physicalAddressId: place?.id ?? null,
      })) as Group;
      const avatarId = await this.d.media.resolvePicture(pics.avatar, "avatar", g.id, own, tx);
      const bannerId = await this.d.media.resolvePicture(pics.banner, "banner", g.id, own, tx);
      const withPics = avatarId || bannerId ? ((await this.d.actors.updateGroup(tx, g.id, { avatarId: avatarId ?? null, bannerId: bannerId ?? null })) as Group) : g;
      await members.insert(tx, { url: `${this.d.urls.base}/member/${newUuid()}`, groupId: g.id, actorId: creatorId, role: "ADMINISTRATOR", invitedById: null, message: null }, this.d.clock.now());
      await this.d.bus.emit({ type: GroupEvents.Created, payload: { groupId: g.id, authorId: creatorId } }, tx);
      return withPics;
    });
    caller.forget(GROUP_ROLES);
    return group;
  }

  /** Changes a group's profile and settings; its administrators only (updateGroup). */
  async update(caller: Principal, id: number, input: GroupInput): Promise<Group> {
    caller.requireUser();
    const name = this.name(input.name);
    const summary = this.summary(input.summary);
    const visibility = checkVisibility(input.visibility);
    const openness = checkOpenness(input.openness);
    const address = input.physicalAddress ? checkAddress(input.physicalAddress, this.d.timezoneAt) : input.physicalAddress;
    const before = await this.findGroup(id);
    if (!before || before.domain !== null) throw notFound("Group");
    const admin = requireAdministrator(await this.membershipOf(caller, id));
    const pics = await this.ready(input);
    const own = await caller.actorIds();
    return this.d.db.transaction().execute(async (tx) => {
      const g = await this.findGroup(id, tx);
      if (!g) throw notFound("Group");
      const avatarId = await this.d.media.resolvePicture(pics.avatar, "avatar", g.id, [...own, g.id], tx);
      const bannerId = await this.d.media.resolvePicture(pics.banner, "banner", g.id, [...own, g.id], tx);
      let physicalAddressId: number | null | undefined;
      if (address === null) {
        physicalAddressId = null;
        if (g.physicalAddressId) await addresses.remove(tx, g.physicalAddressId);
      } else if (address) physicalAddressId = (await addresses.save(tx, g.physicalAddressId, address, this.d.clock.now())).id;
      const changes = [
        ...(name !== undefined && name !== g.name ? ["name"] : []),
        ...(summary !== undefined && summary !== g.summary ? ["summary"] : []),
        ...(visibility && visibilityToDb(visibility) !== g.visibility ? ["visibility"] : []),
        ...(openness && openness !== g.openness ? ["openness"] : []),
        ...(avatarId !== undefined && avatarId !== g.avatarId ? ["avatar"] : []),
        ...(bannerId !== undefined && bannerId !== g.bannerId ? ["banner"] : []),
        ...(physicalAddressId !== undefined || address ? ["address"] : []),
        ...(input.manuallyApprovesFollowers != null && input.manuallyApprovesFollowers !== g.manuallyApprovesFollowers ? ["manually_approves_followers"] : []),
      ];
      const updated = (await this.d.actors.updateGroup(tx, g.id, {
        ...(name !== undefined && { name }),
        ...(summary !== undefined && { summary }),
        ...(visibility && { visibility: visibilityToDb(visibility) }),
        ...(openness && { openness }),
        ...(input.manuallyApprovesFollowers != null && { manuallyApprovesFollowers: input.manuallyApprovesFollowers }),
        ...(avatarId !== undefined && { avatarId }),
        ...(bannerId !== undefined && { bannerId }),
        ...(physicalAddressId !== undefined && { physicalAddressId }),
      })) as Group;
      if (avatarId) await this.d.media.setOwner(tx, avatarId, g.id);
      if (bannerId) await this.d.media.setOwner(tx, bannerId, g.id);
      await this.d.bus.emit({ type: GroupEvents.Updated, payload: { groupId: g.id, authorId: admin.actorId, changes, oldName: g.name } }, tx);
      return updated;
    });
  }

  /** Deletes a group with its memberships; its administrators only (deleteGroup). Its name stays reserved. */
  async delete(caller: Principal, id: number): Promise<Group> {
    caller.requireUser();
    const g = await this.findGroup(id);
    if (!g || g.domain !== null) throw notFound("Group");
    const admin = requireAdministrator(await this.membershipOf(caller, id));
    return this.d.db.transaction().execute(async (tx) => {
      await this.close(tx, g, admin.actorId);
      if (g.physicalAddressId) await addresses.remove(tx, g.physicalAddressId);
      await this.d.actors.removeGroup(tx, g);
      return g;
    }).finally(() => caller.forget(GROUP_ROLES));
  }

  /**
   * A group by its name (group): `name` here, or `name@host` for a remote group known here. Hidden groups answer
   * "not found", as missing ones do.
   */
  async byUsername(caller: Principal, preferredUsername: string, ip: string | null = null, lookUp = true): Promise<Group> {
    const raw = preferredUsername.trim().replace(/^@/, "").slice(0, 300);
    const [name, host] = raw.split("@");
    const local = !host || host === this.d.urls.host;
    let a: Actor | null = local ? await this.d.actors.findLocal(name) : await this.d.actors.findRemote(name, host);
    // A group of another server not known here yet: looked up there, within the caller's allowance.
    if (!a && !local && lookUp && this.d.lookup && isRemoteAddress(raw)) {
      await spendLookup(this.d.db, this.d.clock.now(), caller, ip);
      a = await this.d.lookup().actor(raw);
    }
    if (!a || a.type !== "Group" || a.deletedAt || !(await this.visibleTo(caller, a as Group))) throw notFound("Group");
    return a as Group;
  }

  /** A group by its URL, looked up on its server when not known here. */
  private async byUrl(caller: Principal, url: string, ip: string | null): Promise<Group | null> {
    if (!this.d.lookup) return null;
    await spendLookup(this.d.db, this.d.clock.now(), caller, ip);
    const a = await this.d.lookup().actor(url.slice(0, 2048));
    return a && a.type === "Group" && !a.deletedAt && !a.suspended ? (a as Group) : null;
  }

  /** A group by id for the instance's staff (getGroup, the administration's group page). */
  async byIdForStaff(caller: Principal, id: number): Promise<Group> {
    requireStaff(caller.user);
    const g = await this.findGroup(id);
    if (!g) throw notFound("Group");
    return g;
  }

  /** A group by id for whoever may see it (internal: members' lists, references). */
  async byId(caller: Principal, id: number): Promise<Group> {
    const g = await this.findGroup(id);
    if (!g || !(await this.visibleTo(caller, g))) throw notFound("Group");
    return g;
  }

  /** Groups for the instance's staff (groups). */
  async list(caller: Principal, f: { preferredUsername?: string | null; name?: string | null; domain?: string | null; local?: boolean | null; suspended?: boolean | null; page: number; limit: number }) {
    const r = await this.d.actors.listActors(caller, "Group", f);
    return { total: r.total, elements: r.elements as Group[] };
  }


  /** Public groups by words, place and sort (searchGroups). */
  async search(
    caller: Principal,
    s: { term: string; circle: Circle | null; excludeMyGroups: boolean; localOnly: boolean; languages?: readonly string[] | null; sort: GroupSearchSort; page: number; limit: number },
    ip: string | null = null,
  ): Promise<{ total: number; elements: Group[] }> {
    // An address (@name@host, or a group's URL) is looked up on its server.
    const term = s.term.trim();
    if (isRemoteAddress(term)) {
      const g = /^https?:/i.test(term) ? await this.byUrl(caller, term, ip) : await this.byUsername(caller, term, ip).catch(() => null);
      return g ? { total: 1, elements: [g] } : { total: 0, elements: [] };
    }
    const exclude = s.excludeMyGroups && caller.kind === "local" ? await caller.actorIds() : [];
    const languages = (s.languages ?? []).filter((l) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(l)).slice(0, 20);
    const r = await groupQueries.search(this.d.db, { term: s.term.trim().slice(0, 200), circle: s.circle, excludeActorIds: exclude, localOnly: s.localOnly, languages, sort: s.sort, page: s.page, limit: s.limit });
    return { total: r.total, elements: await this.inOrder(r.ids) };
  }

  private async inOrder(ids: number[]): Promise<Group[]> {
    const m = new Map((await this.d.actors.findByIds(ids)).map((a) => [a.id, a as Group]));
    return ids.map((id) => m.get(id)).filter((g): g is Group => !!g);
  }

  /** The API's visibility of a group. */
  visibilityOf(g: Group): GroupVisibility {
    return visibilityFromDb(g.visibility);
  }
}
