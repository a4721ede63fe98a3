import type { Context, Hono, Next } from "hono";
import type { Db } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Actor } from "../../modules/actors/index.ts";
import { collectionQueries } from "../collections.queries.ts";
import { AP_CONTENT_TYPE, CONTEXT, wantsActivityJson, embedded } from "../context.ts";
import type { Documents } from "../documents.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";

/** Items per collection page (Mobilizon's size). */
export const PAGE_SIZE = 10;
const MAX_PAGE = 100_000;

export const activityJson = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": AP_CONTENT_TYPE, vary: "Accept", "access-control-allow-origin": "*" } });

/** `?page=N`: absent (null), a page number, or "bad" for anything else (answered 400). */
export function pageParam(c: Context): number | null | "bad" {
  const raw = c.req.query("page");
  if (raw === undefined) return null;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE) return "bad";
  return Number(raw);
}

/**
 * A collection in Mobilizon's layout: the root embeds its first page; pages are `?page=N`, always with
 * `orderedItems` (empty ones too: Mobilizon's crawl stops on a page without it, federation.md §0.6).
 */
export async function collection(c: Context, id: string, owner: string, load: (page: number) => Promise<{ total: number; items: unknown[] }>) {
  const page = pageParam(c);
  if (page === "bad") return activityJson({ error: "page must be a positive integer" }, 400);
  const n = page ?? 1;
  const { total, items } = await load(n);
  const pageDoc = {
    id: `${id}?page=${n}`,
    type: "OrderedCollectionPage",
    partOf: id,
    attributedTo: owner,
    totalItems: total,
    orderedItems: items,
    ...(n * PAGE_SIZE < total && { next: `${id}?page=${n + 1}` }),
    ...(n > 1 && { prev: `${id}?page=${n - 1}` }),
  };
  if (page !== null) return activityJson({ "@context": CONTEXT, ...pageDoc });
  return activityJson({ "@context": CONTEXT, id, type: "OrderedCollection", attributedTo: owner, totalItems: total, first: pageDoc, ...(total > 0 && { last: `${id}?page=${Math.max(1, Math.ceil(total / PAGE_SIZE))}` }) });
}

/** Actors (`/@name`, `/relay`) and their outbox, followers and following collections, as ActivityStreams. */
export function mountActors(app: Hono, d: { db: Db; services: Services; documents: Documents }) {
  const { services: s, documents } = d;

  /** The local actor a handle names, or a 404/410 answer. */
  async function actorOf(handle: string): Promise<Actor | Response> {
    const name = handle.slice(1);
    const actor = name === "relay" ? await s.federatedActors.instanceActor() : await s.actors.findLocal(name);
    if (actor && !actor.suspended && actor.preferredUsername !== "anonymous") return actor;
    const gone = await s.tombstones.find(s.urls.actor(name));
    if (gone) return activityJson(toTombstone({ uri: gone.uri, formerType: gone.formerType, deletedAt: gone.deletedAt }), 410);
    return activityJson({ error: "not found" }, 404);
  }

  app.get("/relay", async () => activityJson(await documents.actor(await s.federatedActors.instanceActor())));

  app.get("/:handle{@[a-z0-9_]+}", async (c: Context, next: Next) => {
    if (!wantsActivityJson(c.req.header("accept"))) return next();
    const actor = await actorOf(c.req.param("handle")!);
    return actor instanceof Response ? actor : activityJson(await documents.actor(actor));
  });

  app.get("/:handle{@[a-z0-9_]+}/outbox", async (c) => {
    const actor = await actorOf(c.req.param("handle"));
    if (actor instanceof Response) return actor;
    const id = s.urls.outbox(actor.preferredUsername);
    if (actor.type === "Application")
      // The instance actor announces the instance's public events (what a following server reads when it starts).
      return collection(c, id, actor.url, async (page) => {
        const { total, items } = await collectionQueries.relayOutbox(d.db, page, PAGE_SIZE);
        const events = new Map((await s.events.findByIds(items.map((i) => i.id))).map((e) => [e.id, e]));
        const out = items
          .filter((i) => events.has(i.id))
          .map((i) => ({ id: `${events.get(i.id)!.url}/announces/relay`, type: "Announce", actor: actor.url, published: i.published.toISOString(), to: [s.urls.followers("relay")], cc: ["https://www.w3.org/ns/activitystreams#Public"], object: events.get(i.id)!.url }));
        return { total, items: out };
      });
    return collection(c, id, actor.url, async (page) => {
      const { total, items } = await collectionQueries.outbox(d.db, actor.id, page, PAGE_SIZE);
      const events = new Map((await s.events.findByIds(items.filter((i) => i.kind === "event").map((i) => i.id))).map((e) => [e.id, e]));
      const comments = new Map((await s.comments.findByIds(items.filter((i) => i.kind === "comment").map((i) => i.id))).map((x) => [x.id, x]));
      const commentEvents = new Map((await s.events.findByIds([...comments.values()].map((x) => x.eventId!))).map((e) => [e.id, e]));
      const eventItems = items.filter((i) => i.kind === "event" && events.has(i.id));
      const eventDocs = new Map((await documents.events(eventItems.map((i) => events.get(i.id)!))).map((doc, k) => [eventItems[k].id, doc]));
      const out: unknown[] = [];
      for (const i of items) {
        if (i.kind === "event" ? !eventDocs.has(i.id) : !comments.has(i.id)) continue;
        const object = i.kind === "event" ? eventDocs.get(i.id)! : await documents.comment(comments.get(i.id)!, commentEvents.get(comments.get(i.id)!.eventId!)!);
        const bare = embedded(object);
        out.push({ id: s.urls.activity(String(object.id), "activity"), type: "Create", actor: actor.url, published: i.published.toISOString(), to: bare.to, cc: bare.cc, object: bare });
      }
      return { total, items: out };
    });
  });

  for (const which of ["followers", "following"] as const)
    app.get(`/:handle{@[a-z0-9_]+}/${which}`, async (c) => {
      const actor = await actorOf(c.req.param("handle"));
      if (actor instanceof Response) return actor;
      const id = s.urls[which](actor.preferredUsername);
      return collection(c, id, actor.url, async (page) => {
        // Who follows a group is its moderators' to know (Group.followers): the collection lists nobody.
        if (actor.type === "Group") return { total: 0, items: [] };
        const r = await collectionQueries[which](d.db, actor.id, page, PAGE_SIZE);
        return { total: r.total, items: r.urls };
      });
    });
}
