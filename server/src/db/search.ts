import { sql, type Expression, type SqlBool } from "kysely";
import type { DialectName, Executor } from "./database.ts";

/**
 * The full-text search port (docs/adr/0008): FTS5 with diacritics removed on SQLite, a `tsvector` over unaccented
 * text with a GIN index on PostgreSQL. Both match every word of the query as a prefix, case- and accent-insensitively.
 */

/** Splits a user's query into words safe for both engines (letters and digits only). */
export function searchWords(term: string): string[] {
  return (term.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 10);
}

/** Writes the searchable text of an event (title, description text, tags). */
export async function indexEvent(db: Executor, dialect: DialectName, id: number, doc: { title: string; text: string; tags: string[] }) {
  if (dialect === "sqlite") {
    await sql`delete from events_fts where rowid = ${id}`.execute(db);
    await sql`insert into events_fts (rowid, title, description, tags) values (${id}, ${doc.title}, ${doc.text}, ${doc.tags.join(" ")})`.execute(db);
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

/** A condition on `events.id` matching the words, for a WHERE clause. */
export function eventMatches(dialect: DialectName, words: string[]): Expression<SqlBool> {
  if (dialect === "sqlite") {
    const q = words.map((w) => `"${w}"*`).join(" ");
    return sql<SqlBool>`events.id in (select rowid from events_fts where events_fts match ${q})`;
  }
  const q = words.map((w) => `${w}:*`).join(" & ");
  return sql<SqlBool>`events.search_vector @@ to_tsquery('simple', convene_unaccent(${q}))`;
}

/** A relevance score for ordering (higher is better). */
export function eventRank(dialect: DialectName, words: string[]): Expression<number> {
  if (dialect === "sqlite") {
    const q = words.map((w) => `"${w}"*`).join(" ");
    return sql<number>`coalesce((select -bm25(events_fts, 10.0, 1.0, 5.0) from events_fts where events_fts match ${q} and rowid = events.id), 0)`;
  }
  const q = words.map((w) => `${w}:*`).join(" & ");
  return sql<number>`ts_rank(events.search_vector, to_tsquery('simple', convene_unaccent(${q})))`;
}
