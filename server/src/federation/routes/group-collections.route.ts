import type { Context, Hono } from "hono";
import { rateLimits, type Db } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Clock } from "../../kernel/index.ts";
import type { Actor } from "../../modules/actors/index.ts";
import { Principal } from "../../modules/users/index.ts";
import { wantsActivityJson, embedded } from "../context.ts";
import type { Documents } from "../documents.ts";
import { hostOf } from "../parse/json.ts";
import type { RemoteActors } from "../remote-actors.ts";
import { readSignature } from "../signatures.ts";
import { toDiscussionMessage } from "../converters/discussion.converter.ts";
import { toResourceDocument, toTodo, toTodoList } from "../converters/resource.converter.ts";
import { activityJson, collection, PAGE_SIZE } from "./actors.route.ts";

/** Key look-ups for signed reads, per server and ten minutes (each costs us a request to that server). */
const KEY_LOOKUPS_PER_SERVER = 100;

/**
 * A group's collections as Mobilizon lists them in its actor (federation.md §1.2): members, posts, events,
 * discussions, resources, todos — paged OrderedCollections, always with `orderedItems`, 200 even when empty (Mobilizon's
 * crawl stops on an error). Who reads decides what is listed: a signed GET by one of the group's members gets what
 * members see (the member list, members-only posts, the discussions with their opening message, the resources with
 * folders before what they hold, the todo lists then their todos); anyone else the public items, and nothing of the
 * members-only collections.
 */
export function mountGroupCollections(app: Hono, d: { db: Db; clock: Clock; services: Services; documents: Documents; actors: RemoteActors }) {
  const s = d.services;

  /** The remote actor whose signature this GET carries and verifies, or null. */
  async function requester(c: Context): Promise<Actor | null> {
    const url = new URL(c.req.url);
    const check = readSignature({ method: "GET", url: `${s.urls.base}${url.pathname}${url.search}`, headers: c.req.raw.headers, body: null }, d.clock.now());
    if (!check.ok) return null;
    const host = hostOf(check.keyId);
    if (!host || s.urls.isLocal(check.keyId)) return null;
    // A blocked server is read to as a stranger, whoever of its people is in the group.
    if (await s.peers.isBlocked(host)) return null;
    // A key we hold verifies at once; one we lack, or that no longer verifies (rotated), is read again from its server,
    // a bounded number of times per server (each costs us a request there), as for an inbox POST.
    const known = await s.federatedActors.keyById(check.keyId);
    if (known && check.verify(known.publicKeyPem)) {
      const [actor] = await s.actors.findByIds([known.actorId]);
      return actor && !actor.suspended ? actor : null;
    }
    if ((await rateLimits.hit(d.db, `signed-read:${host}`, 10 * 60_000, d.clock.now())) > KEY_LOOKUPS_PER_SERVER) return null;
    const key = await d.actors.keyFor(check.keyId, { refresh: !!known });
    return key && check.verify(key.pem) ? key.actor : null;
  }

  async function groupOf(c: Context): Promise<{ group: Actor; member: boolean } | Response> {
    const name = c.req.param("handle")!.slice(1);
    const group = await s.actors.findLocal(name);
    if (!group || group.type !== "Group" || group.suspended) return activityJson({ error: "not found" }, 404);
    const who = await requester(c);
    const member = who ? !!(await s.groups.memberOf(group.id, who.id)) : false;
    return { group, member };
  }

  const names = ["members", "posts", "events", "discussions", "resources", "todos"] as const;
  for (const name of names)
    app.get(`/:handle{@[a-z0-9_]+}/${name}`, async (c, next) => {
      // Browsers get the web app's page of the same name (as Mobilizon serves both at one URL).
      if (!wantsActivityJson(c.req.header("accept"))) return next();
      const found = await groupOf(c);
      if (found instanceof Response) return found;
      const { group, member } = found;
      const id = s.urls.collection(group.preferredUsername, name);
      const membersUrl = s.urls.collection(group.preferredUsername, "members");
      const byId = async (ids: (number | null)[]) => new Map((await s.actors.findByIds([...new Set(ids.filter((x): x is number => x !== null))])).map((a) => [a.id, a]));
      return collection(c, id, group.url, async (page) => {
        switch (name) {
          case "members": {
            if (!member) return { total: 0, items: [] };
            const r = await s.members.listForFederation(group.id, page, PAGE_SIZE);
            const actors = new Map((await s.actors.findByIds(r.elements.map((m) => m.actorId))).map((a) => [a.id, a]));
            return { total: r.total, items: r.elements.filter((m) => actors.has(m.actorId)).map((m) => ({ id: m.url, type: "Member", actor: actors.get(m.actorId)!.url, object: group.url, role: m.role.toLowerCase() })) };
          }
          case "posts": {
            const r = await s.posts.forFederation(group.id, member, page, PAGE_SIZE);
            const docs = await d.documents.posts(r.elements);
            return { total: r.total, items: docs.map(embedded) };
          }
          case "events": {
            // Published public events only, members or not (unlisted ones travel by their link; private ones stay here).
            const r = await s.events.byGroup(Principal.anonymous, group.id, { after: null, before: null, order: "BEGINS_ON", direction: "DESC", page, limit: PAGE_SIZE });
            const docs = await d.documents.events(r.elements);
            return { total: r.total, items: docs.map(embedded) };
          }
          case "discussions": {
            if (!member) return { total: 0, items: [] };
            const r = await s.discussions.forFederation(group.id, page, PAGE_SIZE);
            const people = await byId(r.elements.flatMap((x) => [x.discussion.creatorId, x.first?.actorId ?? null]));
            // One Note per discussion, as Mobilizon lists them, but its opening message as itself (its own id, `context`
            // = the discussion, `name` = its title: what a member's server gets when it is written), so that later
            // edits and deletions find it; a discussion whose every message was deleted has nothing to say.
            const items = r.elements.flatMap(({ discussion, first }) => {
              if (!first) return [];
              return [embedded(toDiscussionMessage(first, discussion, { authorUrl: people.get(first.actorId ?? 0)?.url ?? group.url, groupUrl: group.url, membersUrl }))];
            });
            return { total: r.total, items };
          }
          case "resources": {
            if (!member) return { total: 0, items: [] };
            const r = await s.resources.forFederation(group.id, page, PAGE_SIZE);
            const [people, parents] = await Promise.all([
              byId(r.elements.map((x) => x.creatorId)),
              s.resources.findByIds(r.elements.flatMap((x) => (x.parentId ? [x.parentId] : []))).then((rs) => new Map(rs.map((x) => [x.id, x]))),
            ]);
            const root = s.urls.collection(group.preferredUsername, "resources");
            return {
              total: r.total,
              items: r.elements.map((x) => {
                return embedded(toResourceDocument(x, { creatorUrl: people.get(x.creatorId ?? 0)?.url ?? group.url, groupUrl: group.url, folderUrl: (x.parentId && parents.get(x.parentId)?.url) || root, membersUrl }));
              }),
            };
          }
          case "todos": {
            if (!member) return { total: 0, items: [] };
            const r = await s.todos.forFederation(group.id, page, PAGE_SIZE);
            const todos = r.elements.flatMap((x) => ("todo" in x ? [x.todo] : []));
            const [people, lists] = await Promise.all([
              byId(todos.flatMap((t) => [t.creatorId, t.assignedToId])),
              s.todos.findLists(todos.map((t) => t.todoListId)).then((ls) => new Map(ls.map((l) => [l.id, l]))),
            ]);
            const items = r.elements.flatMap((x) => {
              if ("list" in x) {
                return [embedded(toTodoList(x.list, { groupUrl: group.url, membersUrl }))];
              }
              const t = x.todo;
              const list = lists.get(t.todoListId);
              if (!list) return [];
              return [embedded(toTodo(t, { creatorUrl: people.get(t.creatorId ?? 0)?.url ?? group.url, groupUrl: group.url, listUrl: list.url, assigneeUrl: people.get(t.assignedToId ?? 0)?.url ?? null, membersUrl }))];
            });
            return { total: r.total, items };
          }
        }
      });
    });
}
