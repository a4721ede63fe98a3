import type { Logger } from "../kernel/index.ts";
import type { Actor } from "../modules/actors/index.ts";
import type { ApFetcher } from "./fetcher.ts";
import { asArray, hostOf, idOf, isObject, type Json } from "./parse/json.ts";

/** At most this many items are read from an outbox when a follow starts. */
export const CRAWL_ITEMS = 50;
const CRAWL_PAGES = 5;

/**
 * Reads an actor's outbox (root, embedded or linked first page, next pages) and returns the ids of the objects it
 * announces or creates, at most CRAWL_ITEMS, from the outbox's own server. A page that fails ends the reading
 * without failing what was read (Mobilizon aborts the whole crawl: we keep what we have).
 */
export async function crawlOutbox(fetcher: ApFetcher, outbox: string, logger: Logger): Promise<string[]> {
  const host = hostOf(outbox);
  const ids: string[] = [];
  const root = await fetcher.get(outbox);
  if (root.kind !== "ok") return ids;
  let page: Json | null = root.json;
  if (!("orderedItems" in page) && !("items" in page)) {
    const first = page.first;
    if (isObject(first)) page = first;
    else if (idOf(first)) {
      const r = await fetcher.get(idOf(first)!);
      page = r.kind === "ok" ? r.json : null;
    } else page = null;
  }
  for (let n = 0; page && n < CRAWL_PAGES && ids.length < CRAWL_ITEMS; n++) {
    for (const item of asArray(page.orderedItems ?? page.items)) {
      const object = isObject(item) && (item.type === "Announce" || item.type === "Create") ? item.object : item;
      const id = idOf(object);
      if (id && hostOf(id) === host && !ids.includes(id)) ids.push(id);
      if (ids.length >= CRAWL_ITEMS) break;
    }
    const next = idOf(page.next);
    if (!next || hostOf(next) !== host) break;
    const r = await fetcher.get(next);
    if (r.kind !== "ok") {
      logger.info("outbox page not read", { page: next, result: r.kind });
      break;
    }
    page = r.json;
  }
  return ids;
}

/**
 * Reads a collection's first pages (root, embedded or linked first page, next pages) as `as` — one of our members of
 * the group reading what members see — and returns its items as embedded objects (what the collection's server
 * says of them), at most CRAWL_ITEMS, from the collection's own server. Items are objects of that server unless
 * `anyIds` (a group's Member objects carry the URL their joiner's server gave them).
 */
export async function crawlItems(fetcher: ApFetcher, url: string, as: Actor | null, anyIds = false, seen?: { complete: boolean }): Promise<Json[]> {
  const host = hostOf(url);
  const out: Json[] = [];
  const root = await fetcher.get(url, as);
  if (root.kind !== "ok") return out;
  const total = typeof root.json.totalItems === "number" ? root.json.totalItems : null;
  let page: Json | null = root.json;
  let read = 0;
  if (!("orderedItems" in page) && !("items" in page)) {
    const first = page.first;
    if (isObject(first)) page = first;
    else if (idOf(first) && hostOf(idOf(first)) === host) {
      const r = await fetcher.get(idOf(first)!, as);
      page = r.kind === "ok" ? r.json : null;
    } else page = null;
  }
  for (let n = 0; page && n < CRAWL_PAGES && out.length < CRAWL_ITEMS; n++) {
    for (const item of asArray(page.orderedItems ?? page.items)) {
      read++;
      const object = isObject(item) && (item.type === "Announce" || item.type === "Create") ? item.object : item;
      if (isObject(object) && (anyIds || hostOf(idOf(object)) === host)) out.push(object);
      if (out.length >= CRAWL_ITEMS) break;
    }
    const next = idOf(page.next);
    if (!next || hostOf(next) !== host) break;
    const r = await fetcher.get(next, as);
    page = r.kind === "ok" ? r.json : null;
  }
  // Everything the collection holds was read (its server said how many): what it does not list is no longer in it.
  if (seen) seen.complete = total !== null && read >= total && read <= CRAWL_ITEMS;
  return out;
}
