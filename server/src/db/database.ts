import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect, type Transaction } from "kysely";
import type { Database } from "./tables.ts";
import { createSqliteDialect } from "./sqlite-dialect.ts";
import { guardTransactions } from "./tx-guard.ts";

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;
export type DialectName = "sqlite" | "postgres";

export type DatabaseTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export interface DatabaseHandle {
  db: Db;
  dialect: DialectName;
  close(): Promise<void>;
}

/**
 * Opens the configured database: the SQLite file (created with its folder) or a PostgreSQL pool. The PostgreSQL
 * driver is loaded only when used, so a small SQLite instance does not carry it in memory.
 */
export async function openDatabase(target: DatabaseTarget, opts: { poolSize?: number } = {}): Promise<DatabaseHandle> {
  if (target.kind === "sqlite") {
    if (target.file !== ":memory:") mkdirSync(dirname(target.file), { recursive: true });
    const { dialect } = createSqliteDialect(target.file);
    const db = guardTransactions(new Kysely<Database>({ dialect }));
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  const { default: pg } = await import("pg");
  // PostgreSQL returns 64-bit counts as strings; our counts fit in a JS number.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: target.url, max: opts.poolSize ?? 10 });
  pool.on("error", () => {
    /* idle client errors are reported on the next query */
  });
  const db = guardTransactions(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }));
  return { db, dialect: "postgres", close: () => db.destroy() };
}
