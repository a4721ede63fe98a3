import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from "kysely";
import type { DialectName } from "./database.ts";

/**
 * The one visible place where migrations branch on the dialect: column types for ids, timestamps and booleans.
 * Migrations are forward-only and never edited once landed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

export const dialectOf = (db: AnyDb): DialectName =>
  db.getExecutor().adapter instanceof SqliteAdapter ? "sqlite" : "postgres";

export function columnTypes(db: AnyDb) {
  const pg = dialectOf(db) === "postgres";
  return {
    timestamp: pg ? ("timestamptz" as const) : ("text" as const),
    bool: pg ? ("boolean" as const) : ("integer" as const),
    falseDefault: pg ? sql`false` : sql`0`,
    trueDefault: pg ? sql`true` : sql`1`,
    now: pg ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
    /** Adds an auto-incrementing integer primary key named `id`. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    id: <T extends string>(t: CreateTableBuilder<T, any>) =>
      pg
        ? t.addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()),
  };
}
