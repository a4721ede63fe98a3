import type { Db, Executor, Tx } from "../../db/index.ts";
import { conflict, invalid, newUuid, notFound, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import { checkUrl } from "../content/index.ts";
import { GroupEvents, inGroup, type Group, type GroupEvent, type GroupService, type Member } from "../groups/index.ts";
import type { Principal } from "../users/index.ts";
import type { LinkMetadata } from "./link-preview.ts";
import type { LinkPreviewer } from "./link-previewer.ts";
import { ResourceEvents, type ResourceEvent } from "./resource.events.ts";
import { resourceRepository as repo } from "./resource.repository.ts";
import { checkResourceTitle, checkSummary, childPath, isFolder, RESOURCE_TYPES, type Resource, type RootFolder } from "./resource.types.ts";

export type ResourcesDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, ResourceEvent | GroupEvent>; groups: GroupService; previewer: LinkPreviewer };

export type ResourceInput = { title?: string | null; summary?: string | null; parentId?: number | null; resourceUrl?: string | null; type?: string | null };

/**
 * Use cases of a group's shared directory: its members add links (with a preview of the page) and folders, rename
 * and move them, delete them (a folder with what it holds). Everyone else sees nothing of it. In a group elsewhere,
 * what our people change is kept here and sent to the group's server, which shares it with its other members.
 */
export class ResourceService {
  private readonly d: ResourcesDeps;
  constructor(d: ResourcesDeps) {
    this.d = d;
    d.bus.on(GroupEvents.Deleted, (e, tx) => repo.deleteByGroup(tx, e.payload.groupId));
  }

  private now() {
    return this.d.clock.now();
  }

  /** The group and the caller's membership, if they are in it; "not found" otherwise. */
  private async asMember(caller: Principal, groupId: number, tx?: Executor): Promise<{ group: Group; member: Member }> {
    caller.requireUser();
    const group = await this.d.groups.findGroup(groupId, tx);
    const member = group ? await this.d.groups.membershipOf(caller, group.id, tx) : null;
    if (!group || !inGroup(member)) throw notFound("Resource");
    return { group, member: member! };
  }

  private async folder(tx: Executor, groupId: number, parentId: number | null | undefined): Promise<Resource | null> {
    if (parentId == null) return null;
    const p = await repo.findById(tx, parentId);
    if (!p || p.groupId !== groupId || !isFolder(p)) throw invalid("parentId", "This folder does not exist");
    return p;
  }

  /** A page's preview, for a member adding a link; failures leave the link without one. */
  private async metadataOf(userId: number, url: string | null): Promise<LinkMetadata | null> {
    if (!url) return null;
    try {
      await this.d.previewer.spend(userId);
      return await this.d.previewer.preview(url);
    } catch {
      return null;
    }
  }

  private payload(r: Resource, authorId: number) {
    return { resourceId: r.id, url: r.url, groupId: r.groupId, authorId, title: r.title, path: r.path, type: r.type };
  }

  /** Adds a link or a folder to a group's resources (createResource). */
  async create(caller: Principal, groupId: number, input: ResourceInput): Promise<Resource> {
    const user = caller.requireUser();
    const title = checkResourceTitle(input.title ?? "");
    const summary = checkSummary(input.summary) ?? null;
    const type = input.type ?? "link";
    if (!(RESOURCE_TYPES as readonly string[]).includes(type)) throw invalid("type", "Unknown type of resource");
    const resourceUrl = type === "folder" ? null : checkUrl(input.resourceUrl, "resourceUrl");
    if (type !== "folder" && !resourceUrl) throw invalid("resourceUrl", "A link needs its address");
    const { group, member } = await this.asMember(caller, groupId);
    const metadata = await this.metadataOf(user.id, resourceUrl);
    return this.d.db.transaction().execute(async (tx) => {
      const parent = await this.folder(tx, group.id, input.parentId);
      const path = childPath(parent?.path ?? null, title);
      if (type === "folder" && (await repo.findByPath(tx, group.id, path))?.type === "folder") throw conflict("title", "A folder of this name is already here");
      const uuid = newUuid();
      const r = await repo.insert(
        tx,
        { uuid, url: `${this.d.urls.base}/resource/${uuid}`, title, summary, type, resourceUrl, metadata, path, parentId: parent?.id ?? null, groupId: group.id, creatorId: member.actorId, publishedAt: this.now() },
        this.now(),
      );
      await this.d.bus.emit({ type: ResourceEvents.Created, payload: this.payload(r, member.actorId) }, tx);
      return r;
    });
  }

  /** Renames, describes, re-links or moves a resource (updateResource); a folder's content follows it. */
  async update(caller: Principal, id: number, input: ResourceInput & { moveToRoot?: boolean }): Promise<Resource> {
    const user = caller.requireUser();
    const title = input.title != null ? checkResourceTitle(input.title) : undefined;
    const summary = checkSummary(input.summary);
    const current = await repo.findById(this.d.db, id);
    if (!current) throw notFound("Resource");
    const { member } = await this.asMember(caller, current.groupId);
    const resourceUrl = input.resourceUrl != null && !isFolder(current) ? checkUrl(input.resourceUrl, "resourceUrl") : undefined;
    const metadata = resourceUrl && resourceUrl !== current.resourceUrl ? await this.metadataOf(user.id, resourceUrl) : undefined;
    return this.d.db.transaction().execute(async (tx) => {
      const fresh = await repo.findById(tx, id);
      if (!fresh) throw notFound("Resource");
      const moving = input.moveToRoot || (input.parentId != null && input.parentId !== fresh.parentId);
      const parent = moving ? await this.folder(tx, fresh.groupId, input.moveToRoot ? null : input.parentId) : await this.folder(tx, fresh.groupId, fresh.parentId);
      if (parent && isFolder(fresh) && (parent.id === fresh.id || parent.path.startsWith(`${fresh.path}/`))) throw invalid("parentId", "A folder can't go inside itself");
      const newTitle = title ?? fresh.title;
      const path = childPath(parent?.path ?? null, newTitle);
      if (path !== fresh.path && isFolder(fresh) && (await repo.findByPath(tx, fresh.groupId, path))?.type === "folder") throw conflict("title", "A folder of this name is already there");
      const updated = await repo.update(tx, id, { title, summary, ...(resourceUrl !== undefined && { resourceUrl }), ...(metadata !== undefined && { metadata }), path, ...(moving && { parentId: parent?.id ?? null }) }, this.now());
      if (isFolder(fresh) && path !== fresh.path) await repo.movePrefix(tx, fresh.groupId, fresh.path, path);
      if (moving) await this.d.bus.emit({ type: ResourceEvents.Moved, payload: { ...this.payload(updated, member.actorId), oldPath: fresh.path } }, tx);
      else await this.d.bus.emit({ type: ResourceEvents.Updated, payload: { ...this.payload(updated, member.actorId), oldTitle: fresh.title } }, tx);
      return updated;
    });
  }

  /** Deletes a resource, a folder with everything in it (deleteResource). */
  async delete(caller: Principal, id: number): Promise<Resource> {
    const current = await repo.findById(this.d.db, id);
    if (!current) throw notFound("Resource");
    const { member } = await this.asMember(caller, current.groupId);
    return this.d.db.transaction().execute(async (tx) => {
      await this.d.bus.emit({ type: ResourceEvents.Deleted, payload: this.payload(current, member.actorId) }, tx);
      await repo.delete(tx, id);
      return current;
    });
  }

  /** A resource by its path in a group (`/` is the root folder), for the group's members (resource). */
  async byPath(caller: Principal, groupName: string, path: string): Promise<Resource | RootFolder> {
    caller.requireUser();
    const group = await this.d.groups.byUsername(caller, groupName, null, false).catch(() => null);
    if (!group) throw notFound("Resource");
    await this.asMember(caller, group.id);
    const p = path.trim().slice(0, 2000);
    if (p === "/" || p === "") return { root: true, groupId: group.id };
    const r = await repo.findByPath(this.d.db, group.id, p.startsWith("/") ? p : `/${p}`);
    if (!r) throw notFound("Resource");
    return r;
  }

  /** A folder's content (the root's for a RootFolder); the caller reached the folder as a member. */
  children(folder: Resource | RootFolder, page: number, limit: number) {
    return "root" in folder ? repo.children(this.d.db, folder.groupId, null, page, limit) : repo.children(this.d.db, folder.groupId, folder.id, page, limit);
  }

  /** The root of a group's resources for its members; others get an empty page (Group.resources). */
  async ofGroup(caller: Principal, groupId: number, page: number, limit: number) {
    if (caller.kind === "anonymous" || !inGroup(await this.d.groups.membershipOf(caller, groupId))) return { total: 0, elements: [] };
    return repo.children(this.d.db, groupId, null, page, limit);
  }

  /** A link's preview (previewResourceLink): for logged-in people, within their hourly budget. */
  async preview(caller: Principal, url: string): Promise<LinkMetadata> {
    const user = caller.requireUser();
    await this.d.previewer.spend(user.id);
    return this.d.previewer.preview(url);
  }

  // ---------------------------------------------------------------- from other servers (federation)

  /** All of a group's resources, folders before what they hold, for its resources collection (the caller checked who reads). */
  forFederation(groupId: number, page: number, limit: number) {
    return repo.byPath(this.d.db, groupId, page, limit);
  }

  /**
   * A resource from another server (created, renamed, moved), the federation adapter having checked who says so: in a
   * group elsewhere, as the group's server describes it, kept for the group's members here; in one of our groups, a
   * member elsewhere adding or changing one (`byActorId`), which our group then shares with its other members. It goes
   * under the folder named (the root when that folder is not known).
   */
  async receive(v: { groupId: number; url: string; type: "folder" | "link"; title: string; summary: string | null; resourceUrl: string | null; parentUrl: string | null; creatorId: number | null; byActorId?: number | null }): Promise<Resource | null> {
    const group = await this.d.groups.findGroup(v.groupId);
    if (!group) return null;
    const ours = group.domain === null;
    if (ours && !v.byActorId) return null;
    const title = checkResourceTitle(v.title.slice(0, 500));
    const summary = checkSummary(v.summary?.slice(0, 2000) ?? null) ?? null;
    const resourceUrl = v.type === "link" ? checkUrl(v.resourceUrl, "resourceUrl") : null;
    if (v.type === "link" && !resourceUrl) return null;
    return this.d.db.transaction().execute(async (tx) => {
      const parent = v.parentUrl ? await repo.findByUrl(tx, v.parentUrl) : null;
      const folder = parent && parent.groupId === group.id && isFolder(parent) ? parent : null;
      const path = childPath(folder?.path ?? null, title);
      const known = await repo.findByUrl(tx, v.url);
      if (known && known.groupId !== group.id) return null;
      if (known) {
        // What it is does not change (a link stays a link); its folder cannot go inside itself nor onto another folder.
        if (isFolder(known) !== (v.type === "folder")) return known;
        if (isFolder(known) && (folder?.id === known.id || folder?.path.startsWith(`${known.path}/`))) return known;
        if (isFolder(known) && path !== known.path && (await repo.findByPath(tx, group.id, path))?.type === "folder") return known;
        const moving = (folder?.id ?? null) !== known.parentId;
        if (!moving && title === known.title && summary === known.summary && resourceUrl === known.resourceUrl) return known;
        // A link pointed elsewhere loses the preview of the page it pointed to.
        const metadata = resourceUrl !== known.resourceUrl ? null : known.metadata;
        const updated = await repo.update(tx, known.id, { title, summary, resourceUrl, metadata, path, parentId: folder?.id ?? null }, this.now());
        if (isFolder(known) && path !== known.path) await repo.movePrefix(tx, group.id, known.path, path);
        if (ours && moving) await this.d.bus.emit({ type: ResourceEvents.Moved, payload: { ...this.payload(updated, v.byActorId!), oldPath: known.path } }, tx);
        else if (ours) await this.d.bus.emit({ type: ResourceEvents.Updated, payload: { ...this.payload(updated, v.byActorId!), oldTitle: known.title } }, tx);
        return updated;
      }
      if (v.type === "folder" && (await repo.findByPath(tx, group.id, path))?.type === "folder") return null;
      const r = await repo.insert(tx, { uuid: newUuid(), url: v.url, title, summary, type: v.type, resourceUrl, metadata: null, path, parentId: folder?.id ?? null, groupId: group.id, creatorId: v.creatorId, publishedAt: this.now() }, this.now());
      if (ours) await this.d.bus.emit({ type: ResourceEvents.Created, payload: this.payload(r, v.byActorId!) }, tx);
      return r;
    });
  }

  /**
   * A resource deleted from another server (with what a folder holds), the federation adapter having checked who says
   * so: the copy of one of a group elsewhere, or one of our group's, deleted by a member elsewhere (`byActorId`),
   * which our group then tells its other members.
   */
  async removeRemote(url: string, byActorId: number | null = null): Promise<boolean> {
    const r = await repo.findByUrl(this.d.db, url);
    const group = r ? await this.d.groups.findGroup(r.groupId) : null;
    if (!r || !group || (group.domain === null && !byActorId)) return false;
    await this.d.db.transaction().execute(async (tx) => {
      if (group.domain === null) await this.d.bus.emit({ type: ResourceEvents.Deleted, payload: this.payload(r, byActorId!) }, tx);
      await repo.delete(tx, r.id);
    });
    return true;
  }

  /** A resource by its ActivityPub id (federation), without checks; pass the transaction when inside one. */
  findByUrl(url: string, tx: Executor = this.d.db): Promise<Resource | null> {
    return repo.findByUrl(tx, url);
  }

  /** A resource by id (federation), without checks; pass the transaction when inside one. */
  findById(id: number, tx: Executor = this.d.db): Promise<Resource | null> {
    return repo.findById(tx, id);
  }

  /** Resources by ids (their parents; callers reached them as members). */
  findByIds(ids: readonly number[]) {
    return repo.findByIds(this.d.db, ids);
  }
}
