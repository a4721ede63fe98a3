import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from "kysely";
import { boundingBox, encodeGeohash, type Circle } from "./geo.ts";
import type { Database } from "./tables.ts";
import type { DialectName, Executor } from "./database.ts";

/**
 * The full-text search port (docs/adr/0008): FTS5 with diacritics removed on SQLite, a `tsvector` over unaccented
 * text with a GIN index on PostgreSQL. Both match every word of the query as a prefix, case- and accent-insensitively.
 */

/** Splits a user's query into words safe for both engines (letters and digits only). */
export function searchWords(term: string): string[] {
  return (term.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
}

/**
 * On SQLite, an event's place is indexed too, as geohash cells ("g" + 2 to 5 characters): a radius search then asks
 * the full-text index for the cells covering its circle, so text and place narrow each other inside one index lookup.
 */
export function geoTokens(latitude: number | null, longitude: number | null): string {
  if (latitude == null || longitude == null) return "";
  const h = encodeGeohash(latitude, longitude, 5);
  return [2, 3, 4, 5].map((n) => `g${h.slice(0, n)}`).join(" ");
}

/** The geohash cells (at most 32, as fine as possible) covering a circle's bounding box, as FTS tokens. */
export function coveringCells(c: Circle): string[] | null {
  const b = boundingBox(c);
  if (b.minLon < -180 || b.maxLon > 180 || b.minLat < -90 || b.maxLat > 90) return null;
  // Cell sizes in degrees (height, width) for geohash precisions 2..5.
  const sizes: [number, number, number][] = [[5, 0.0439, 0.0439], [4, 0.1758, 0.3516], [3, 1.406, 1.406], [2, 5.625, 11.25]];
  for (const [p, h, w] of sizes) {
    const rows = Math.ceil((b.maxLat - b.minLat) / h) + 1;
    const cols = Math.ceil((b.maxLon - b.minLon) / w) + 1;
    if (rows * cols > 32) continue;
    const cells = new Set<string>();
    for (let i = 0; i <= rows; i++)
      for (let j = 0; j <= cols; j++) {
        const lat = Math.min(b.maxLat, b.minLat + i * h);
        const lon = Math.min(b.maxLon, b.minLon + j * w);
        cells.add(`g${encodeGeohash(lat, lon, p)}`);
      }
    return [...cells];
  }
  return null;
}

/** Writes the searchable text of an event (title, description text, tags) and, on SQLite, its place. */
export async function indexEvent(db: Executor, dialect: DialectName, id: number, doc: { title: string; text: string; tags: string[]; latitude: number | null; longitude: number | null }) {
  if (dialect === "sqlite") {
    await sql`delete from events_fts where rowid = ${id}`.execute(db);
    await sql`insert into events_fts (rowid, title, description, tags, geo) values (${id}, ${doc.title}, ${doc.text}, ${doc.tags.join(" ")}, ${geoTokens(doc.latitude, doc.longitude)})`.execute(db);
  } else {
    await sql`update events set search_vector =
      setweight(to_tsvector('simple', convene_unaccent(${doc.title})), 'A') ||
      setweight(to_tsvector('simple', convene_unaccent(${doc.tags.join(" ")})), 'B') ||
      setweight(to_tsvector('simple', convene_unaccent(${doc.text})), 'C')
      where id = ${id}`.execute(db);
  }
}

export async function unindexEvent(db: Executor, dialect: DialectName, id: number) {
  if (dialect === "sqlite") await sql`delete from events_fts where rowid = ${id}`.execute(db);
}

/**
 * Restricts an events query to rows matching the words and gives a relevance score (higher is better). On SQLite the
 * full-text index drives the query (a join on its matches, ranked by bm25 once per match); on PostgreSQL a condition
 * on the GIN-indexed vector lets the planner choose.
 */
export function matchEvents<O>(
  qb: SelectQueryBuilder<Database, "events", O>,
  dialect: DialectName,
  words: string[],
  circle: Circle | null = null,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): { qb: SelectQueryBuilder<any, "events", O>; rank: Expression<number> } | null {
  if (dialect === "sqlite") {
    const cells = circle ? coveringCells(circle) : null;
    if (!words.length && !cells) return null;
    const text = words.length ? `{title description tags} : (${words.map((w) => `"${w}"*`).join(" ")})` : "";
    const place = cells ? `geo : (${cells.join(" OR ")})` : "";
    const q = [text, place].filter(Boolean).join(" AND ");
    const fts = sql<{ fts_id: number; fts_rank: number }>`(select rowid as fts_id, bm25(events_fts, 10.0, 1.0, 5.0, 0.0) as fts_rank from events_fts where events_fts match ${q})`.as("fts");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const joined = (qb as any).innerJoin(fts, (join: any) => join.onRef("fts.fts_id", "=", "events.id"));
    return { qb: joined, rank: sql<number>`(0 - fts.fts_rank)` };
  }
  if (!words.length) return null;
  const q = words.map((w) => `${w}:*`).join(" & ");
  return {
    qb: qb.where(sql<SqlBool>`events.search_vector @@ to_tsquery('simple', convene_unaccent(${q}))`),
    rank: sql<number>`ts_rank(events.search_vector, to_tsquery('simple', convene_unaccent(${q})))`,
  };
}
