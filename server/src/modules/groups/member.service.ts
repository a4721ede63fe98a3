import type { Executor, Tx } from "../../db/index.ts";
import { conflict, DomainError, invalid, newUuid, notFound, notPermitted, type OutgoingEmail } from "../../kernel/index.ts";
import type { Actor } from "../actors/index.ts";
import type { Principal } from "../users/index.ts";
import { groupEmail, type GroupEmailKind } from "./group.emails.ts";
import { GroupEvents } from "./group.events.ts";
import { highest, requireMayChangeRole, requireMayRemove, requireModerator } from "./group.policy.ts";
import type { GroupsDeps, GroupService } from "./group.service.ts";
import { ADMINISTERING, checkJoinMessage, GROUP_ROLES, inGroup, isMemberRole, MEMBER_OF, MEMBER_ROLES, moderates, type Group, type Member, type MemberRole } from "./group.types.ts";
import { memberRepository as repo } from "./member.repository.ts";

/**
 * Use cases of memberships: join (open groups at once, moderated ones on approval), leave, invitations, approvals,
 * roles, removals and bans, and the lists of members and of a person's groups.
 */
export class MemberService {
  private readonly d: GroupsDeps;
  private readonly groups: GroupService;
  constructor(d: GroupsDeps, groups: GroupService) {
    this.d = d;
    this.groups = groups;
    // A profile (or an account with its profiles) that is the last administrator of one of our groups stays until
    // another is named or the group is deleted: a group is never left without one.
    d.actors.addDeletionGuard(async (tx, actorIds) => {
      for (const m of await repo.allForActors(tx, actorIds)) {
        if (!ADMINISTERING.includes(m.role)) continue;
        const group = await this.groups.findGroup(m.groupId, tx);
        if (group && group.domain === null && (await repo.count(tx, group.id, ADMINISTERING, actorIds)) === 0)
          throw notPermitted(`This profile is the only administrator of the group ${group.name ?? group.preferredUsername}: name another administrator or delete the group first`);
      }
    });
  }

  private now() {
    return this.d.clock.now();
  }

  /** Runs a change of memberships; the caller's groups are read again afterwards. */
  private async change<T>(caller: Principal, run: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.d.db.transaction().execute(run);
    } finally {
      caller.forget(GROUP_ROLES);
    }
  }

  private memberUrl() {
    return `${this.d.urls.base}/member/${newUuid()}`;
  }

  private async localGroup(caller: Principal, groupId: number): Promise<Group> {
    return this.groups.byId(caller, groupId);
  }

  /** A membership the caller may act on, with its group (hidden groups and memberships answer "not found"). */
  private async memberWithGroup(caller: Principal, memberId: number, managing = true): Promise<{ member: Member; group: Group }> {
    const member = await repo.findById(this.d.db, memberId);
    const group = member ? await this.groups.findGroup(member.groupId) : null;
    if (!member || !group) throw notFound("Member");
    // A group of another server is run there: its members are approved, promoted and removed on its own instance.
    if (managing && group.domain !== null) throw notPermitted("This group is managed on its own instance");
    return { member, group };
  }

  private async email(tx: Executor, kind: GroupEmailKind, actorId: number, g: Group, by: Actor | null = null): Promise<void> {
    const actor = await this.d.actors.findById(actorId, tx);
    if (!actor?.userId) return;
    const user = await this.d.users.findById(actor.userId, tx);
    if (!user || user.disabled) return;
    const byName = by ? (by.name ?? `@${by.preferredUsername}`) : "";
    const mail: OutgoingEmail = groupEmail(kind, { instanceName: this.d.instanceName }, { email: user.email, locale: user.locale }, { name: g.name ?? g.preferredUsername, url: this.d.urls.actor(g.preferredUsername) }, byName);
    await this.d.queue.enqueue(tx, "email.send", mail as unknown as Record<string, unknown>, { queue: "mailers" });
  }

  /**
   * Joins a group as one of the caller's identities (joinGroup): an open group at once, a moderated one on a
   * moderator's approval (its administrators are told), an invitation-only one never. An invitation waiting for
   * this identity is accepted instead.
   */
  async join(caller: Principal, groupId: number, opts: { actorId?: number | null; message?: string | null } = {}): Promise<Member> {
    const actorId = await caller.identity(opts.actorId);
    const message = checkJoinMessage(opts.message);
    const group = await this.localGroup(caller, groupId);
    const existing = await repo.find(this.d.db, group.id, actorId);
    if (existing?.role === "INVITED") return this.acceptInvitation(caller, existing.id);
    if (existing?.role === "REJECTED") throw notPermitted("You cannot join this group");
    if (existing) throw conflict("groupId", existing.role === "NOT_APPROVED" ? "You have already asked to join this group" : "You are already a member of this group");
    if (group.openness === "INVITE_ONLY" || group.openness == null) throw notPermitted("This group is invite-only");
    // A group of another server decides there: the request waits for its answer (its Accept), even if it is open.
    const role: MemberRole = group.openness === "OPEN" && group.domain === null ? "MEMBER" : "NOT_APPROVED";
    return this.change(caller, async (tx) => {
      if (await repo.find(tx, group.id, actorId)) throw conflict("groupId", "You are already a member of this group");
      const m = await repo.insert(tx, { url: this.memberUrl(), groupId: group.id, actorId, role, invitedById: null, message }, this.now());
      await this.announceJoin(tx, group, m, actorId);
      return m;
    });
  }

  /** Tells who should know of a new membership: joined at once, or asked (the group's administrators are e-mailed). */
  private async announceJoin(tx: Tx, group: Group, m: Member, authorId: number): Promise<void> {
    const payload = { groupId: group.id, authorId, memberId: m.id, url: m.url, actorId: m.actorId, role: m.role };
    if (m.role === "MEMBER") return this.d.bus.emit({ type: GroupEvents.MemberJoined, payload }, tx);
    await this.d.bus.emit({ type: GroupEvents.MemberRequested, payload }, tx);
    if (group.domain !== null) return;
    const by = await this.d.actors.findById(m.actorId, tx);
    for (const adminId of await repo.actorIdsWithRoles(tx, group.id, ADMINISTERING)) await this.email(tx, "requested", adminId, group, by);
  }

  // ---------------------------------------------------------------- from other servers (federation)

  /**
   * A person of another server joins one of our groups (their Join, named `joinUrl`): the same rules as for local
   * people — open groups at once, moderated ones on approval, invite-only ones never (an invitation waiting for them
   * is accepted), banned people never. Answers the membership, or throws the refusal.
   */
  async joinFromRemote(caller: Principal, groupId: number, joinUrl: string, message: string | null): Promise<Member> {
    const remote = caller.remote;
    const group = await this.groups.findGroup(groupId);
    if (!remote || !group || group.domain !== null) throw notFound("Group");
    const existing = await repo.find(this.d.db, group.id, remote.actorId);
    if (existing?.role === "INVITED") return this.answerInvitationFromRemote(caller, existing.url, true).then((m) => m!);
    if (existing?.role === "REJECTED") throw notPermitted("You cannot join this group");
    if (existing) return existing;
    // A private group is not seen from outside: only its invitations let people in (as for our people).
    if (group.visibility === "private") throw notPermitted("This group is invite-only");
    if (group.openness !== "OPEN" && group.openness !== "MODERATED") throw notPermitted("This group is invite-only");
    // A Join's id names the membership: one already naming another membership is not taken again.
    if (await repo.findByUrl(this.d.db, joinUrl)) joinUrl = `${remote.url}#member-${group.id}`;
    const role: MemberRole = group.openness === "OPEN" ? "MEMBER" : "NOT_APPROVED";
    return this.d.db.transaction().execute(async (tx) => {
      const again = await repo.find(tx, group.id, remote.actorId);
      if (again) return again;
      const m = await repo.insert(tx, { url: joinUrl, groupId: group.id, actorId: remote.actorId, role, invitedById: null, message: checkJoinMessage(message?.slice(0, 2000)) }, this.now());
      await this.announceJoin(tx, group, m, remote.actorId);
      return m;
    });
  }

  /** A person of another server leaves one of our groups (their Leave); an administrator leaves only if another remains. */
  async leaveFromRemote(caller: Principal, groupId: number): Promise<Member | null> {
    const remote = caller.remote;
    const group = await this.groups.findGroup(groupId);
    if (!remote || !group || group.domain !== null) return null;
    return this.d.db.transaction().execute(async (tx) => {
      const m = await repo.find(tx, group.id, remote.actorId);
      if (!m || m.role === "REJECTED") return null;
      if (ADMINISTERING.includes(m.role) && (await repo.count(tx, group.id, ADMINISTERING)) <= 1) return null;
      await repo.delete(tx, m.id);
      await this.d.bus.emit({ type: GroupEvents.MemberLeft, payload: { groupId: group.id, authorId: m.actorId, memberId: m.id, url: m.url, actorId: m.actorId, role: m.role, oldRole: m.role } }, tx);
      return m;
    });
  }

  /** A remote invitee answers our invitation (their Accept or Reject of the Invite, naming the membership). */
  async answerInvitationFromRemote(caller: Principal, memberUrl: string, accept: boolean): Promise<Member | null> {
    const remote = caller.remote;
    const m = await repo.findByUrl(this.d.db, memberUrl);
    if (!remote || !m || m.actorId !== remote.actorId || m.role !== "INVITED") return null;
    const group = await this.groups.findGroup(m.groupId);
    if (!group || group.domain !== null) return null;
    return this.d.db.transaction().execute(async (tx) => {
      const payload = { groupId: group.id, authorId: m.actorId, memberId: m.id, url: m.url, actorId: m.actorId };
      if (!accept) {
        await repo.delete(tx, m.id);
        await this.d.bus.emit({ type: GroupEvents.InvitationRejected, payload: { ...payload, role: "INVITED" } }, tx);
        return { ...m, role: "REJECTED" as const };
      }
      const updated = await repo.setRole(tx, m.id, "MEMBER", this.now());
      await this.d.bus.emit({ type: GroupEvents.InvitationAccepted, payload: { ...payload, role: "MEMBER" } }, tx);
      return updated;
    });
  }

  /**
   * The server of a group decided on the membership of one of our people (its Accept or Reject of their Join, its
   * Update of their role, its Remove): applied only when it comes from that group's server. `role` null: removed.
   */
  async applyFromGroupServer(signerDomain: string, ref: { url: string } | { groupId: number; actorId: number }, role: MemberRole | null): Promise<Member | null> {
    const m = "url" in ref ? await repo.findByUrl(this.d.db, ref.url) : await repo.find(this.d.db, ref.groupId, ref.actorId);
    if (!m) return null;
    const group = await this.groups.findGroup(m.groupId);
    if (!group || group.domain === null || group.domain !== signerDomain) return null;
    return this.d.db.transaction().execute(async (tx) => {
      const payload = { groupId: group.id, authorId: group.id, memberId: m.id, url: m.url, actorId: m.actorId };
      if (role === null || role === "REJECTED") {
        await repo.delete(tx, m.id);
        await this.d.bus.emit({ type: GroupEvents.MemberRemoved, payload: { ...payload, role: "REJECTED", oldRole: m.role, excluded: false } }, tx);
        return { ...m, role: "REJECTED" as const };
      }
      if (m.role === role) return m;
      // Nobody is put in a group without answering its invitation, nor made more than a member by an approval.
      if (m.role === "INVITED") return m;
      if (m.role === "NOT_APPROVED" && role !== "MEMBER") role = "MEMBER";
      const updated = await repo.setRole(tx, m.id, role, this.now());
      if (m.role === "NOT_APPROVED") await this.d.bus.emit({ type: GroupEvents.MemberApproved, payload: { ...payload, role } }, tx);
      else await this.d.bus.emit({ type: GroupEvents.MemberRoleChanged, payload: { ...payload, role, oldRole: m.role } }, tx);
      return updated;
    });
  }

  /**
   * A person of another server in a group elsewhere, as the group's server lists its members (its members collection,
   * read by one of our members): kept so that its members here see who is in it. Our own people's memberships come
   * from the group's answers, never from a list; only members, moderators and administrators are listed.
   */
  async mirrorFromGroupServer(signerDomain: string, v: { groupId: number; actorId: number; url: string; role: MemberRole }): Promise<Member | null> {
    const [group, person] = await Promise.all([this.groups.findGroup(v.groupId), this.d.actors.findById(v.actorId)]);
    if (!group || group.domain === null || group.domain !== signerDomain || !person || person.domain === null || !MEMBER_OF.includes(v.role)) return null;
    return this.d.db.transaction().execute(async (tx) => {
      const known = (await repo.findByUrl(tx, v.url)) ?? (await repo.find(tx, group.id, person.id));
      if (known && (known.groupId !== group.id || known.actorId !== person.id)) return null;
      if (!known) return repo.insert(tx, { url: v.url, groupId: group.id, actorId: person.id, role: v.role, invitedById: null, message: null }, this.now());
      return known.role === v.role ? known : repo.setRole(tx, known.id, v.role, this.now());
    });
  }

  /**
   * The full member list of a group elsewhere, as its server gives it: people of other servers it does not name are
   * no longer in it (our own people's memberships change only by the group's answers).
   */
  async pruneMirror(signerDomain: string, groupId: number, keepUrls: readonly string[]): Promise<number> {
    const group = await this.groups.findGroup(groupId);
    if (!group || group.domain === null || group.domain !== signerDomain) return 0;
    return repo.pruneRemote(this.d.db, group.id, keepUrls);
  }

  /** Groups elsewhere to read again (their members, roles and content), each with one of our people in it. */
  remoteGroupsToRefresh(before: Date, limit: number) {
    return repo.remoteGroupsToRefresh(this.d.db, before, limit);
  }

  /** An invitation from another server's group for one of our people (its Invite): kept until they answer; they are e-mailed. */
  async receiveInvitation(groupId: number, personId: number, inviteUrl: string, inviterId: number | null): Promise<Member | null> {
    const group = await this.groups.findGroup(groupId);
    const person = await this.d.actors.findById(personId);
    if (!group || group.domain === null || !person || person.domain !== null || person.type !== "Person") return null;
    return this.d.db.transaction().execute(async (tx) => {
      const existing = await repo.find(tx, group.id, person.id);
      if (existing) return existing;
      const m = await repo.insert(tx, { url: inviteUrl, groupId: group.id, actorId: person.id, role: "INVITED", invitedById: inviterId, message: null }, this.now());
      await this.d.bus.emit({ type: GroupEvents.MemberInvited, payload: { groupId: group.id, authorId: inviterId ?? group.id, memberId: m.id, url: m.url, actorId: person.id, role: "INVITED" } }, tx);
      await this.email(tx, "invited", person.id, group, inviterId ? await this.d.actors.findById(inviterId, tx) : null);
      return m;
    });
  }

  /** The people in a group, oldest first (its members collection, read by one of its members). */
  listForFederation(groupId: number, page: number, limit: number) {
    return repo.listByGroup(this.d.db, groupId, { roles: MEMBER_OF, name: null, page, limit });
  }

  /** The actor URLs of a group's members on other servers (who receives its members-only content). */
  remoteMemberUrls(groupId: number, tx: Executor = this.d.db): Promise<string[]> {
    return repo.remoteMemberUrls(tx, groupId, 5000);
  }

  /** A membership by its ActivityPub id (federation). */
  findByUrl(url: string): Promise<Member | null> {
    return repo.findByUrl(this.d.db, url);
  }

  /**
   * Leaves a group, or withdraws a request to join (leaveGroup). The last administrator stays: they hand the group
   * over or delete it.
   */
  async leave(caller: Principal, groupId: number): Promise<Member> {
    caller.requireUser();
    const group = await this.groups.findGroup(groupId);
    if (!group) throw notFound("Group");
    return this.change(caller, async (tx) => {
      const mine = await repo.findForActors(tx, group.id, await caller.actorIds(tx));
      const m = highest(mine.filter((x) => x.role !== "REJECTED"));
      if (!m) throw notFound("Member");
      if (ADMINISTERING.includes(m.role) && (await repo.count(tx, group.id, ADMINISTERING)) <= 1)
        throw notPermitted("You can't leave this group because you are the only administrator");
      await repo.delete(tx, m.id);
      await this.d.bus.emit({ type: GroupEvents.MemberLeft, payload: { groupId: group.id, authorId: m.actorId, memberId: m.id, url: m.url, actorId: m.actorId, role: m.role, oldRole: m.role } }, tx);
      return m;
    });
  }

  /**
   * Invites a person (a local name, or `name@host` looked up on their server) into a group: its moderators and
   * administrators may (inviteMember). The invited person is told by e-mail.
   */
  async invite(caller: Principal, groupId: number, target: string, ip: string | null = null): Promise<Member> {
    caller.requireUser();
    const group = await this.localGroup(caller, groupId);
    const me = requireModerator(await this.groups.membershipOf(caller, group.id));
    if (group.domain !== null) throw notPermitted("Invite people from the group's own instance");
    const address = target.trim().replace(/^@/, "");
    if (!address || address.length > 300) throw invalid("targetActorUsername", "Give the person's username");
    let person: Actor;
    try {
      person = await this.d.actors.fetchPerson(caller, address, ip);
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") throw new DomainError("not_found", "No profile found with this username", "targetActorUsername");
      throw e;
    }
    return this.change(caller, async (tx) => {
      const existing = await repo.find(tx, group.id, person.id);
      if (existing?.role === "INVITED") throw conflict("targetActorUsername", "This person is already invited");
      if (existing && existing.role !== "REJECTED" && existing.role !== "NOT_APPROVED") throw conflict("targetActorUsername", "This person is already a member of the group");
      // An invitation answers a waiting request, and lifts a ban.
      const m = existing
        ? await repo.setRole(tx, existing.id, "INVITED", this.now(), { invitedById: me.actorId, url: this.memberUrl() })
        : await repo.insert(tx, { url: this.memberUrl(), groupId: group.id, actorId: person.id, role: "INVITED", invitedById: me.actorId, message: null }, this.now());
      await this.d.bus.emit({ type: GroupEvents.MemberInvited, payload: { groupId: group.id, authorId: me.actorId, memberId: m.id, url: m.url, actorId: person.id, role: "INVITED" } }, tx);
      await this.email(tx, "invited", person.id, group, await this.d.actors.findById(me.actorId, tx));
      return m;
    });
  }

  /** Answers an invitation of one of the caller's identities (acceptInvitation / rejectInvitation). */
  async acceptInvitation(caller: Principal, memberId: number): Promise<Member> {
    return this.answerInvitation(caller, memberId, true);
  }

  async rejectInvitation(caller: Principal, memberId: number): Promise<Member> {
    return this.answerInvitation(caller, memberId, false);
  }

  private async answerInvitation(caller: Principal, memberId: number, accept: boolean): Promise<Member> {
    caller.requireUser();
    const { member, group } = await this.memberWithGroup(caller, memberId, false);
    if (!(await caller.actsAs(member.actorId))) throw notFound("Member");
    if (member.role !== "INVITED") throw invalid("id", "There is no invitation to answer");
    return this.change(caller, async (tx) => {
      const payload = { groupId: group.id, authorId: member.actorId, memberId: member.id, url: member.url, actorId: member.actorId };
      if (accept) {
        const m = await repo.setRole(tx, member.id, "MEMBER", this.now());
        await this.d.bus.emit({ type: GroupEvents.InvitationAccepted, payload: { ...payload, role: "MEMBER" } }, tx);
        return m;
      }
      await repo.delete(tx, member.id);
      await this.d.bus.emit({ type: GroupEvents.InvitationRejected, payload: { ...payload, role: "INVITED" } }, tx);
      return { ...member, role: "REJECTED" as const };
    });
  }

  /** Approves a request to join; the group's moderators and administrators (approveMember). */
  async approve(caller: Principal, memberId: number): Promise<Member> {
    caller.requireUser();
    const { member, group } = await this.memberWithGroup(caller, memberId);
    const me = requireModerator(await this.groups.membershipOf(caller, group.id));
    if (member.role !== "NOT_APPROVED") throw invalid("memberId", "This person has not asked to join");
    return this.change(caller, async (tx) => {
      const m = await repo.setRole(tx, member.id, "MEMBER", this.now());
      await this.d.bus.emit({ type: GroupEvents.MemberApproved, payload: { groupId: group.id, authorId: me.actorId, memberId: m.id, url: m.url, actorId: m.actorId, role: "MEMBER" } }, tx);
      await this.email(tx, "approved", m.actorId, group);
      return m;
    });
  }

  /** Declines a request to join (rejectMember); the person may ask again later. */
  async reject(caller: Principal, memberId: number): Promise<Member> {
    caller.requireUser();
    const { member, group } = await this.memberWithGroup(caller, memberId);
    const me = requireModerator(await this.groups.membershipOf(caller, group.id));
    if (member.role !== "NOT_APPROVED") throw invalid("memberId", "This person has not asked to join");
    return this.change(caller, async (tx) => {
      await repo.delete(tx, member.id);
      await this.d.bus.emit({ type: GroupEvents.MemberRejected, payload: { groupId: group.id, authorId: me.actorId, memberId: member.id, url: member.url, actorId: member.actorId, role: "NOT_APPROVED" } }, tx);
      await this.email(tx, "rejected", member.actorId, group);
      return { ...member, role: "REJECTED" as const };
    });
  }

  /**
   * Changes a member's role (updateMember): moderators act on members, administrators on everyone; only
   * administrators grant administrator; the last administrator does not step down.
   */
  async updateRole(caller: Principal, memberId: number, role: string): Promise<Member> {
    caller.requireUser();
    if (!isMemberRole(role)) throw invalid("role", "Unknown role");
    const { member, group } = await this.memberWithGroup(caller, memberId);
    const me = await this.groups.membershipOf(caller, group.id);
    requireMayChangeRole(me, member, role);
    if (member.role === role) return member;
    return this.change(caller, async (tx) => {
      if (ADMINISTERING.includes(member.role) && !ADMINISTERING.includes(role) && (await repo.count(tx, group.id, ADMINISTERING)) <= 1)
        throw notPermitted("The group needs at least one administrator: name another one first");
      const m = await repo.setRole(tx, member.id, role, this.now());
      await this.d.bus.emit({ type: GroupEvents.MemberRoleChanged, payload: { groupId: group.id, authorId: me!.actorId, memberId: m.id, url: m.url, actorId: m.actorId, role, oldRole: member.role } }, tx);
      return m;
    });
  }

  /**
   * Removes someone from a group (removeMember), or bans them with `exclude` (they cannot ask again until invited).
   * Moderators remove members and requests; administrators also moderators and administrators, never the last one.
   */
  async remove(caller: Principal, memberId: number, exclude: boolean): Promise<Member> {
    caller.requireUser();
    const { member, group } = await this.memberWithGroup(caller, memberId);
    const me = await this.groups.membershipOf(caller, group.id);
    requireMayRemove(me, member);
    return this.change(caller, async (tx) => {
      if (ADMINISTERING.includes(member.role) && (await repo.count(tx, group.id, ADMINISTERING)) <= 1) throw notPermitted("The group needs at least one administrator");
      const result = exclude ? await repo.setRole(tx, member.id, "REJECTED", this.now()) : (await repo.delete(tx, member.id), { ...member, role: "REJECTED" as const });
      await this.d.bus.emit({ type: GroupEvents.MemberRemoved, payload: { groupId: group.id, authorId: me!.actorId, memberId: member.id, url: member.url, actorId: member.actorId, role: "REJECTED", oldRole: member.role, excluded: exclude } }, tx);
      if (member.role === "NOT_APPROVED") await this.email(tx, "rejected", member.actorId, group);
      else if (inGroup(member)) await this.email(tx, "removed", member.actorId, group);
      return result;
    });
  }

  /**
   * A group's members (Group.members): its members see the people in it, its moderators also requests, invitations
   * and bans; everyone else only how many they are.
   */
  async list(caller: Principal, group: Group, f: { roles: string | null; name: string | null; page: number; limit: number }): Promise<{ total: number; elements: Member[] }> {
    const asked = parseRoles(f.roles);
    const me = await this.groups.membershipOf(caller, group.id);
    if (!inGroup(me) && !caller.staff) return { total: await repo.count(this.d.db, group.id, MEMBER_OF), elements: [] };
    const roles = moderates(me) || caller.staff ? asked : (asked ?? MEMBER_OF).filter((r) => MEMBER_OF.includes(r));
    return repo.listByGroup(this.d.db, group.id, { roles, name: f.name?.trim().slice(0, 100) || null, page: f.page, limit: f.limit });
  }

  /** How many people are in each group (Group.membersCount, batched). */
  countMembers(groupIds: readonly number[]): Promise<Map<number, number>> {
    return repo.countMembers(this.d.db, groupIds);
  }

  /**
   * The memberships of an identity (Person.memberships), for its owner and the staff: all of them, or in one group
   * (by id, or by name — `name` or `name@host`).
   */
  async ofPerson(caller: Principal, person: Actor, f: { group?: string | null; groupId?: number | null; page: number; limit: number }): Promise<{ total: number; elements: Member[] }> {
    if (!(await caller.actsAs(person.id)) && !caller.staff) return { total: 0, elements: [] };
    let groupId = f.groupId ?? null;
    if (groupId === null && f.group) {
      const g = await this.groups.byUsername(caller, f.group, null, false).catch(() => null);
      if (!g) return { total: 0, elements: [] };
      groupId = g.id;
    }
    return repo.listByActor(this.d.db, [person.id], { groupId, page: f.page, limit: f.limit });
  }

  /** The memberships of all the caller's identities (User.memberships), optionally in groups whose name holds `name`. */
  async ofAccount(caller: Principal, f: { page: number; limit: number }): Promise<{ total: number; elements: Member[] }> {
    caller.requireUser();
    return repo.listByActor(this.d.db, await caller.actorIds(), { groupId: null, page: f.page, limit: f.limit });
  }

  /** The people in a group, a batch at a time (notices). */
  memberActorIds(groupId: number, afterId: number, limit: number, tx: Executor = this.d.db) {
    return repo.memberActorIds(tx, groupId, afterId, limit);
  }

  /** The groups some actors are in (members, moderators, administrators), with the membership. */
  async membershipsOf(actorIds: readonly number[], tx: Executor = this.d.db): Promise<Member[]> {
    return (await repo.allForActors(tx, actorIds)).filter((m) => inGroup(m));
  }

  /** Memberships by ids (batched; a timeline's entries), without checks. */
  findByIds(ids: readonly number[]): Promise<Member[]> {
    return repo.findByIds(this.d.db, ids);
  }

  /** Memberships by ids (internal). */
  findById(id: number): Promise<Member | null> {
    return repo.findById(this.d.db, id);
  }

  /**
   * The groups an actor's identities are in, and those they moderate or administer (the policies of group content:
   * who edits a group's events, who reads its members-only posts).
   */
  async groupsOf(actorIds: readonly number[], tx: Executor = this.d.db): Promise<GroupRoles> {
    const all = await repo.allForActors(tx, actorIds);
    return { memberOf: all.filter((m) => inGroup(m)).map((m) => m.groupId), moderates: all.filter((m) => moderates(m)).map((m) => m.groupId) };
  }

  /** The caller's groups and roles, read once per request (see `groupsOf`); pass the transaction when inside one. */
  async callerGroups(caller: Principal, tx?: Executor): Promise<GroupRoles> {
    if (caller.kind === "anonymous") return { memberOf: [], moderates: [] };
    return caller.remember(GROUP_ROLES, async (t) => this.groupsOf(await caller.actorIds(t), t ?? this.d.db), tx);
  }
}

export type GroupRoles = { memberOf: number[]; moderates: number[] };

/** Mobilizon's `roles` argument: a comma-separated list, any case ("member,moderator"); empty means every role. */
export function parseRoles(raw: string | null | undefined): MemberRole[] | null {
  const parts = (raw ?? "").split(",").map((r) => r.trim().toUpperCase()).filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length > MEMBER_ROLES.length) throw invalid("roles", "Too many roles");
  for (const r of parts) if (!isMemberRole(r)) throw invalid("roles", `Unknown role ${r.toLowerCase()}`);
  return parts as MemberRole[];
}

