import { conflict, notFound } from "../../kernel/index.ts";
import type { Actor } from "../actors/index.ts";
import type { Follow, FollowService } from "../follows/index.ts";
import type { Principal } from "../users/index.ts";
import { requireModerator } from "./group.policy.ts";
import type { GroupService } from "./group.service.ts";
import { moderates, type Group } from "./group.types.ts";

/**
 * Following a group (people who want its news without being members): follow, unfollow, be told of new events or
 * not; a group that approves its followers by hand has its moderators approve or refuse them. Follows themselves
 * (and their federation) are the follows module's.
 */
export class GroupFollowerService {
  private readonly follows: FollowService;
  private readonly groups: GroupService;
  constructor(d: { follows: FollowService; groups: GroupService }) {
    this.follows = d.follows;
    this.groups = d.groups;
  }

  /** Follows a group as one of the caller's identities (followGroup); approved at once unless the group approves by hand. */
  async follow(caller: Principal, groupId: number, notify: boolean, actorId?: number | null): Promise<Follow> {
    const followerId = await caller.identity(actorId);
    const group = await this.groups.byId(caller, groupId);
    if (await this.follows.find(followerId, group.id)) throw conflict("groupId", "You are already following this group");
    // A remote group answers with its Accept; a local one here.
    const approved = group.domain === null && !group.manuallyApprovesFollowers;
    return (await this.follows.request({ followerId, targetId: group.id, approved, notify })).follow;
  }

  /** Stops following a group (unfollowGroup). */
  async unfollow(caller: Principal, groupId: number): Promise<Follow> {
    caller.requireUser();
    const [f] = await this.follows.ofTargets(await caller.actorIds(), [groupId]);
    if (!f) throw notFound("Follow");
    await this.follows.remove(f, "removed");
    return f;
  }

  /** Whether to be told of the group's new events (updateGroupFollow); one's own follows only. */
  async setNotify(caller: Principal, followId: number, notify: boolean): Promise<Follow> {
    caller.requireUser();
    const f = await this.follows.findById(followId);
    if (!f || !(await caller.actsAs(f.followerId))) throw notFound("Follow");
    return this.follows.setNotify(f, notify);
  }

  /** Approves or refuses a follower of a group that approves them by hand; its moderators (updateFollower). */
  async decide(caller: Principal, followId: number, approved: boolean): Promise<Follow> {
    caller.requireUser();
    const f = await this.follows.findById(followId);
    const group = f ? await this.groups.findGroup(f.targetId) : null;
    if (!f || !group) throw notFound("Follow");
    requireModerator(await this.groups.membershipOf(caller, group.id));
    if (approved) return this.follows.approve(f);
    await this.follows.remove(f, "rejected");
    return { ...f, approved: false };
  }

  /** A group's followers (Group.followers): for its moderators and administrators; others see an empty page. */
  async list(caller: Principal, group: Group, f: { approved: boolean | null; page: number; limit: number }) {
    if (!moderates(await this.groups.membershipOf(caller, group.id)) && !caller.staff) return { total: 0, elements: [] };
    return this.follows.followersOf(group.id, f);
  }

  /** The groups an identity follows (Person.follows), for its owner and the staff; optionally one group by name. */
  async ofPerson(caller: Principal, person: Actor, f: { group: string | null; page: number; limit: number }) {
    if (!(await caller.actsAs(person.id)) && !caller.staff) return { total: 0, elements: [] };
    if (f.group) {
      const g = await this.groups.byUsername(caller, f.group, null, false).catch(() => null);
      const found = g ? await this.follows.find(person.id, g.id) : null;
      return found ? { total: 1, elements: [found] } : { total: 0, elements: [] };
    }
    return this.follows.followingOf(person.id, { approved: null, page: f.page, limit: f.limit });
  }
}
