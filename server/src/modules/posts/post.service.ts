import type { Db, Executor, Tx } from "../../db/index.ts";
import { invalid, newUuid, notFound, type Bus, type Clock, type Urls } from "../../kernel/index.ts";
import { sanitizeHtml, slugify } from "../content/index.ts";
import { checkTags, tagSlug } from "../events/index.ts";
import { GroupEvents, inGroup, moderates, type GroupEvent, type GroupService } from "../groups/index.ts";
import type { MediaService, PictureInput } from "../media/index.ts";
import type { Principal } from "../users/index.ts";
import { PostEvents, type PostEvent } from "./post.events.ts";
import { canRead, requireMayEdit, requireMayWrite, requireReadable, type PostViewer } from "./post.policy.ts";
import { postRepository as repo } from "./post.repository.ts";
import { checkLanguage, checkPostTitle, checkPostVisibility, MAX_POST_BODY, type Post, type PostVisibility } from "./post.types.ts";
import { createHash } from "node:crypto";

export type PostsDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, PostEvent | GroupEvent>; groups: GroupService; media: MediaService };

export type PostInput = {
  groupId?: number | null;
  title?: string | null;
  body?: string | null;
  draft?: boolean | null;
  visibility?: string | null;
  language?: string | null;
  publishAt?: Date | null;
  tags?: string[] | null;
  picture?: PictureInput;
};

/**
 * Use cases of a group's posts: write, edit, publish, delete, read, list. In a group elsewhere, what our moderators
 * write is kept here and sent to the group's server, which shares it.
 */
export class PostService {
  private readonly d: PostsDeps;
  constructor(d: PostsDeps) {
    this.d = d;
    // A deleted group takes its posts along.
    d.bus.on(GroupEvents.Deleted, async (e, tx) => {
      await this.d.media.clearReferences(tx, "post", await repo.idsByGroup(tx, e.payload.groupId));
      await repo.deleteByGroup(tx, e.payload.groupId);
    });
  }

  private now() {
    return this.d.clock.now();
  }

  private async viewer(caller: Principal, groupId: number, tx?: Executor): Promise<PostViewer> {
    const group = await this.d.groups.findGroup(groupId, tx);
    const privateGroup = group?.visibility === "private";
    if (caller.kind === "anonymous") return { actorIds: [], membership: null, staff: false, privateGroup };
    return { actorIds: await caller.actorIds(tx), membership: await this.d.groups.membershipOf(caller, groupId, tx), staff: caller.staff, privateGroup };
  }

  private body(raw: string): string {
    if (raw.length > MAX_POST_BODY) throw invalid("body", `The post is too long (at most ${MAX_POST_BODY} characters)`);
    const html = sanitizeHtml(raw, { mediaOrigin: this.d.urls.base });
    if (!html.replace(/<[^>]*>/g, "").trim() && !/<img/i.test(html)) throw invalid("body", "The post can't be empty");
    return html;
  }

  private payload(p: Post, authorId: number) {
    return { postId: p.id, groupId: p.groupId, authorId, title: p.title, slug: p.slug, url: p.url, visibility: p.visibility, draft: p.draft };
  }

  /** Writes a post for a group as the caller's identity that moderates it (createPost). */
  async create(caller: Principal, input: PostInput): Promise<Post> {
    caller.requireUser();
    if (input.groupId == null) throw invalid("attributedToId", "Which group is the post for?");
    const title = checkPostTitle(input.title ?? "");
    const body = this.body(input.body ?? "");
    const visibility = checkPostVisibility(input.visibility) ?? "PUBLIC";
    const language = checkLanguage(input.language) ?? null;
    const tags = checkTags(input.tags);
    const group = await this.d.groups.byId(caller, input.groupId);
    // A private group's posts are its members' only, whatever was asked.
    const shownTo = group.visibility === "private" ? "PRIVATE" : visibility;
    const author = requireMayWrite(await this.d.groups.membershipOf(caller, group.id));
    const picture = await this.d.media.prepare(input.picture, "picture");
    const own = await caller.actorIds();
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const uuid = newUuid();
      const slug = `${slugify(title) || "post"}-${uuid.slice(0, 8)}`;
      const pictureId = await this.d.media.resolvePicture(picture, "picture", author.actorId, own, tx);
      const draft = !!input.draft;
      const post = await repo.insert(
        tx,
        { uuid, slug, url: this.d.urls.post(slug), local: true, authorId: author.actorId, groupId: group.id, title, body, draft, visibility: shownTo, language, pictureId: pictureId ?? null, publishAt: draft ? null : (input.publishAt ?? now) },
        now,
      );
      await repo.setTags(tx, post.id, tags.map((t) => ({ title: t, slug: tagSlug(t) })));
      await this.d.media.setReferences(tx, "post", post.id, [post.body]);
      await this.d.bus.emit({ type: PostEvents.Created, payload: this.payload(post, author.actorId) }, tx);
      return post;
    });
  }

  /** Changes a post: its author or the group's moderators (updatePost). Publishing a draft dates it. */
  async update(caller: Principal, id: number, input: PostInput): Promise<Post> {
    caller.requireUser();
    const title = input.title != null ? checkPostTitle(input.title) : undefined;
    const body = input.body != null ? this.body(input.body) : undefined;
    const visibility = checkPostVisibility(input.visibility);
    const language = checkLanguage(input.language);
    const tags = input.tags != null ? checkTags(input.tags) : null;
    const current = await repo.findById(this.d.db, id);
    if (!current) throw notFound("Post");
    const v = await this.viewer(caller, current.groupId);
    requireReadable(current, v);
    requireMayEdit(current, v);
    if (input.groupId != null && input.groupId !== current.groupId) throw invalid("attributedToId", "A post stays in its group");
    if (input.draft === true && !current.draft) throw invalid("draft", "A published post can't go back to draft");
    const picture = await this.d.media.prepare(input.picture, "picture");
    const own = await caller.actorIds();
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const pictureId = await this.d.media.resolvePicture(picture, "picture", current.authorId, own, tx);
      const publishing = current.draft && input.draft === false;
      const updated = await repo.update(
        tx,
        id,
        {
          title,
          body,
          visibility: visibility && v.privateGroup ? "PRIVATE" : visibility,
          language,
          ...(pictureId !== undefined && { pictureId }),
          ...(publishing && { draft: false, publishAt: input.publishAt ?? now }),
          ...(!publishing && input.publishAt && !current.draft && { publishAt: input.publishAt }),
        },
        now,
      );
      if (tags) await repo.setTags(tx, id, tags.map((t) => ({ title: t, slug: tagSlug(t) })));
      if (body !== undefined) await this.d.media.setReferences(tx, "post", id, [updated.body]);
      await this.d.bus.emit({ type: PostEvents.Updated, payload: { ...this.payload(updated, v.membership?.actorId ?? current.authorId ?? 0), published: publishing } }, tx);
      return updated;
    });
  }

  /** Deletes a post: its author or the group's moderators (deletePost). */
  async delete(caller: Principal, id: number): Promise<Post> {
    caller.requireUser();
    const current = await repo.findById(this.d.db, id);
    if (!current) throw notFound("Post");
    const v = await this.viewer(caller, current.groupId);
    requireReadable(current, v);
    requireMayEdit(current, v);
    return this.d.db.transaction().execute(async (tx) => {
      await this.d.bus.emit({ type: PostEvents.Deleted, payload: this.payload(current, v.membership?.actorId ?? current.authorId ?? 0) }, tx);
      await this.d.media.setReferences(tx, "post", id, []);
      await repo.delete(tx, id);
      return current;
    });
  }

  /** A post by its slug, for whoever may read it; "not found" otherwise (post). */
  async bySlug(caller: Principal, slug: string): Promise<Post> {
    const p = await repo.findBySlug(this.d.db, slug.trim().slice(0, 300));
    if (!p) throw notFound("Post");
    return requireReadable(p, await this.viewer(caller, p.groupId));
  }

  /**
   * A group's posts as the viewer may see them (Group.posts): strangers its published public posts; members every
   * published one; moderators drafts too.
   */
  async byGroup(caller: Principal, groupId: number, page: number, limit: number) {
    const v = await this.viewer(caller, groupId);
    const members = inGroup(v.membership) || v.staff;
    if (v.privateGroup && !members) return { total: 0, elements: [] };
    return repo.byGroup(this.d.db, groupId, { members, drafts: moderates(v.membership), publicOnly: false, page, limit });
  }

  /** A group's published posts for its posts collection: public ones, and members-only ones for a member's server. */
  async forFederation(groupId: number, member: boolean, page: number, limit: number) {
    if (!member && (await this.d.groups.findGroup(groupId))?.visibility === "private") return { total: 0, elements: [] as Post[] };
    return repo.byGroup(this.d.db, groupId, { members: member, drafts: false, publicOnly: !member, page, limit });
  }

  /** A group's published public posts (its feeds and public page). */
  async publicOfGroup(groupId: number, limit: number) {
    if ((await this.d.groups.findGroup(groupId))?.visibility === "private") return { total: 0, elements: [] as Post[] };
    return repo.byGroup(this.d.db, groupId, { members: false, drafts: false, publicOnly: true, page: 1, limit });
  }

  // ---------------------------------------------------------------- from other servers (federation)

  /**
   * A post from another server (an Article), the federation adapter having checked who says so: of a group elsewhere,
   * as the group's server describes it, kept so that the group's page and members here see it; in one of our groups,
   * written or changed by one of its moderators elsewhere (`byActorId`), which our group then shares. Its text is
   * cleaned as ours are. A post written here is changed here only, unless its group is elsewhere (its server decides).
   */
  async upsertRemote(v: { url: string; groupId: number; authorId: number | null; title: string; body: string; visibility: PostVisibility; language: string | null; publishAt: Date | null; tags: string[]; byActorId?: number | null }): Promise<Post | null> {
    const group = await this.d.groups.findGroup(v.groupId);
    if (!group) return null;
    const ours = group.domain === null;
    if (ours && !v.byActorId) return null;
    const title = checkPostTitle(v.title.slice(0, 500).replace(/<[^>]*>/g, ""));
    const body = v.body.length > MAX_POST_BODY ? v.body.slice(0, MAX_POST_BODY) : v.body;
    const html = sanitizeHtml(body, { mediaOrigin: this.d.urls.base });
    const tags = checkTags(v.tags.slice(0, 10));
    const visibility = group.visibility === "private" ? "PRIVATE" : v.visibility;
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const known = await repo.findByUrl(tx, v.url);
      if (known && (known.groupId !== group.id || (known.local && ours))) return null;
      const post = known
        ? await repo.update(tx, known.id, { title, body: html, visibility, language: v.language, publishAt: v.publishAt ?? known.publishAt }, now)
        : await repo.insert(
            tx,
            { uuid: newUuid(), slug: `${slugify(title) || "post"}-${createHash("sha256").update(v.url).digest("hex").slice(0, 8)}`, url: v.url, local: false, authorId: v.authorId, groupId: group.id, title, body: html, draft: false, visibility, language: v.language, pictureId: null, publishAt: v.publishAt ?? now },
            now,
          );
      await repo.setTags(tx, post.id, tags.map((t) => ({ title: t, slug: tagSlug(t) })));
      if (ours && known) await this.d.bus.emit({ type: PostEvents.Updated, payload: { ...this.payload(post, v.byActorId!), published: false } }, tx);
      else if (ours) await this.d.bus.emit({ type: PostEvents.Created, payload: this.payload(post, v.byActorId!) }, tx);
      return post;
    });
  }

  /**
   * Removes a post deleted from another server, the federation adapter having checked who says so: the copy of one
   * of a group elsewhere, or a post of one of our groups deleted by its author or a moderator elsewhere (`byActorId`),
   * which our group then tells its followers and members.
   */
  async removeRemote(url: string, byActorId: number | null = null): Promise<boolean> {
    const p = await repo.findByUrl(this.d.db, url);
    const group = p ? await this.d.groups.findGroup(p.groupId) : null;
    if (!p || !group) return false;
    const ours = group.domain === null;
    if (ours && (!byActorId || p.local)) return false;
    await this.d.db.transaction().execute(async (tx) => {
      if (ours) await this.d.bus.emit({ type: PostEvents.Deleted, payload: this.payload(p, byActorId!) }, tx);
      await this.d.media.setReferences(tx, "post", p.id, []);
      await repo.delete(tx, p.id);
    });
    return true;
  }

  /** A post by its URL (federation), without checks. */
  findByUrl(url: string): Promise<Post | null> {
    return repo.findByUrl(this.d.db, url);
  }

  /** A post by id (federation jobs), without checks. */
  async findById(id: number): Promise<Post | null> {
    return repo.findById(this.d.db, id);
  }

  /** Tags of several posts (batched). */
  tagsOf(postIds: readonly number[]) {
    return repo.tagsByPosts(this.d.db, postIds);
  }

  /** Posts by ids (batched), without visibility checks: callers check. */
  findByIds(ids: readonly number[]) {
    return repo.findByIds(this.d.db, ids);
  }

  /** Whether the viewer may see a media because a post they may read shows it. */
  async showsMedia(caller: Principal, mediaId: number, describedIn: readonly number[]): Promise<boolean> {
    const posts = [...(await repo.showingPicture(this.d.db, mediaId)), ...(await repo.findByIds(this.d.db, describedIn))];
    for (const p of posts) if (canRead(p, await this.viewer(caller, p.groupId))) return true;
    return false;
  }
}
