import type { Context, Hono } from "hono";
import { rateLimits, type Db } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Clock } from "../../kernel/index.ts";
import type { Actor } from "../../modules/actors/index.ts";
import { Principal } from "../../modules/users/index.ts";
import { wantsActivityJson } from "../context.ts";
import type { Documents } from "../documents.ts";
import { hostOf } from "../parse/json.ts";
import type { RemoteActors } from "../remote-actors.ts";
import { readSignature } from "../signatures.ts";
import { activityJson, collection, PAGE_SIZE } from "./actors.route.ts";

/** Signed reads whose key we fetch, per server and ten minutes (each may cost us a request to that server). */
const SIGNED_READS_PER_SERVER = 300;

/**
 * A group's collections as Mobilizon lists them in its actor (federation.md §1.2): members, posts, events,
 * discussions, resources, todos — paged OrderedCollections, always with `orderedItems`, 200 even when empty (Mobilizon's
 * crawl stops on an error). Who reads decides what is listed: a signed GET by one of the group's members gets what
 * members see (the member list, members-only posts); anyone else the public items, and nothing of
 * the members-only collections. Discussions, resources and todos do not federate yet: their collections are empty.
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
    if ((await rateLimits.hit(d.db, `signed-read:${host}`, 10 * 60_000, d.clock.now())) > SIGNED_READS_PER_SERVER) return null;
    const key = await d.actors.keyFor(check.keyId);
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
            const docs = await Promise.all(r.elements.map((p) => d.documents.post(p)));
            return { total: r.total, items: docs.map(({ "@context": _, ...doc }) => (void _, doc)) };
          }
          case "events": {
            // Published public and unlisted events only, members or not: a private event stays on this instance.
            const r = await s.events.byGroup(Principal.anonymous, group.id, { after: null, before: null, order: "BEGINS_ON", direction: "DESC", page, limit: PAGE_SIZE });
            const docs = await d.documents.events(r.elements);
            return { total: r.total, items: docs.map(({ "@context": _, ...doc }) => (void _, doc)) };
          }
          default:
            return { total: 0, items: [] };
        }
      });
    });
}
