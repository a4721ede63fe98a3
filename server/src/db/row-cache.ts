import type { ChangeWatch } from "./change-watch.ts";

/**
 * Tables whose rows may be cached by id. On PostgreSQL each has a trigger that tells every process of a change
 * (migrations/0003); a table added here needs a migration adding its trigger.
 */
export const CACHED_TABLES = ["users", "actors", "media"] as const;
export type CachedTable = (typeof CACHED_TABLES)[number];

/**
 * Tables whose changes move the cache's version: the cached ones, and those rendered pages are made of (an event's
 * page: the event and its address; its organizer and picture are cached tables). On PostgreSQL each has the trigger
 * of migrations 0003, 0004 and 0008; SQLite's data version moves on any commit.
 */
export const WATCHED_TABLES = [...CACHED_TABLES, "events", "addresses"] as const;

const MAX_ENTRIES = 20_000;
/** What derived values (rendered pages) may hold in all, in characters. */
const MAX_DERIVED_CHARS = 8_000_000;

/**
 * Rows read on nearly every request (the caller's account, identity and avatar; the organizers and pictures of
 * listed events), kept between requests while the database
 * says nothing changed. Everything is dropped when the watch's version moves, so a change by any process is seen by
 * the next read (docs/adr/0009). Values are frozen: a caller can't change what another request will read.
 */
export class RowCache {
  private readonly entries = new Map<string, object>();
  private readonly derivedEntries = new Map<string, string | Uint8Array>();
  private derivedChars = 0;
  private seen: number | null = null;
  private readonly watch: ChangeWatch;
  constructor(watch: ChangeWatch) {
    this.watch = watch;
  }

  /** The version the next reads go by (null: cache nothing); a new one empties the cache. */
  private current(): number | null {
    const version = this.watch.version();
    if (version !== null && version !== this.seen) {
      this.clear();
      this.seen = version;
    }
    return version;
  }

  /** Whether what was read under `version` may be kept: nothing changed since, as this read or a later one saw. */
  private stillCurrent(version: number): boolean {
    return this.seen === version && this.watch.version() === version;
  }

  async byId<T extends object>(table: CachedTable, id: number, load: () => Promise<T | null>): Promise<T | null> {
    const version = this.current();
    if (version === null) return load();
    const key = `${table}:${id}`;
    const hit = this.entries.get(key);
    if (hit) return hit as T;
    const value = await load();
    if (value && this.stillCurrent(version)) this.keep(key, value);
    return value;
  }

  /** Several rows by id: the cached ones from memory, the others with one `loadMany` of the missing ids. */
  async byIds<T extends { id: number }>(table: CachedTable, ids: readonly number[], loadMany: (ids: number[]) => Promise<T[]>): Promise<T[]> {
    const version = this.current();
    if (version === null) return loadMany([...ids]);
    const found: T[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const hit = this.entries.get(`${table}:${id}`);
      if (hit) found.push(hit as T);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const loaded = await loadMany(missing);
    if (this.stillCurrent(version)) for (const row of loaded) this.keep(`${table}:${row.id}`, row);
    return found.concat(loaded);
  }

  /**
   * A text, or its bytes, computed from database reads (a rendered page), kept until anything changes in the database — the same
   * version rule as rows, so a change by any process is seen by the next request. Null (nothing to show) is not kept.
   */
  async derived<T extends string | Uint8Array>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const version = this.current();
    if (version === null) return load();
    const hit = this.derivedEntries.get(key);
    if (hit !== undefined) return hit as T;
    const value = await load();
    if (value !== null && value.length <= MAX_DERIVED_CHARS / 8 && this.stillCurrent(version)) {
      while (this.derivedChars + value.length > MAX_DERIVED_CHARS) {
        const [oldest, old] = this.derivedEntries.entries().next().value as [string, string | Uint8Array];
        this.derivedEntries.delete(oldest);
        this.derivedChars -= old.length;
      }
      this.derivedEntries.set(key, value);
      this.derivedChars += value.length;
    }
    return value;
  }

  private clear() {
    this.entries.clear();
    this.derivedEntries.clear();
    this.derivedChars = 0;
  }

  private keep(key: string, value: object) {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, Object.freeze(value));
  }

  /** Drops everything, as after a write by this process. */
  invalidate(): void {
    this.watch.bump();
    this.clear();
  }
}

const caches = new WeakMap<object, RowCache>();

/** Makes `db` (the database handle, never a transaction) read through `cache`. */
export function attachRowCache(db: object, cache: RowCache): void {
  caches.set(db, cache);
}

/**
 * Reads one row by id through the cache of `db`. A transaction (or a handle without a cache) always reads the
 * database: it must see its own writes and take its own locks.
 */
export function cachedRow<T extends object>(db: object, table: CachedTable, id: number, load: () => Promise<T | null>): Promise<T | null> {
  const cache = caches.get(db);
  return cache ? cache.byId(table, id, load) : load();
}

/** A text (or its bytes) derived from database reads, kept by the cache of `db` until anything changes (see `RowCache.derived`). */
export function cachedText<T extends string | Uint8Array>(db: object, key: string, load: () => Promise<T | null>): Promise<T | null> {
  const cache = caches.get(db);
  return cache ? cache.derived(key, load) : load();
}

/** Reads rows by id through the cache of `db` (see `cachedRow`); the order of the result is not that of `ids`. */
export function cachedRows<T extends { id: number }>(db: object, table: CachedTable, ids: readonly number[], loadMany: (ids: number[]) => Promise<T[]>): Promise<T[]> {
  const cache = caches.get(db);
  return cache ? cache.byIds(table, ids, loadMany) : loadMany([...ids]);
}
