import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect, type Dialect, type KyselyPlugin, type QueryId, type Transaction } from "kysely";
import { pgChangeWatch, sqliteChangeWatch, type ChangeWatch } from "./change-watch.ts";
import { attachRowCache, RowCache } from "./row-cache.ts";
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
  /** Runs one request: the row cache looks for other processes' changes once, at its first read. */
  unitOfWork<T>(fn: () => T): T;
  close(): Promise<void>;
}

/**
 * A write this process makes moves the cache's version as soon as it has run, and again when its transaction commits;
 * other processes learn of it from the database (SQLite's data version, PostgreSQL's notifications).
 */
function invalidateOnWrite(cache: RowCache): KyselyPlugin {
  const writes = new WeakSet<QueryId>();
  return {
    transformQuery({ node, queryId }) {
      if (node.kind === "UpdateQueryNode" || node.kind === "DeleteQueryNode") writes.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }) {
      // A statement that matched no row changed nothing (the job queue's polls, for one).
      if (writes.has(queryId) && result.numAffectedRows !== BigInt(0)) cache.invalidate();
      return result;
    },
  };
}

/**
 * Opens the configured database: the SQLite file (created with its folder) or a PostgreSQL pool. The PostgreSQL
 * driver is loaded only when used, so a small SQLite instance does not carry it in memory.
 */
export async function openDatabase(
  target: DatabaseTarget,
  opts: { poolSize?: number; cacheRows?: boolean; onWatchError?: (err: unknown) => void } = {},
): Promise<DatabaseHandle> {
  const cacheRows = opts.cacheRows ?? true;
  if (target.kind === "sqlite") {
    const inMemory = target.file === ":memory:";
    if (!inMemory) mkdirSync(dirname(target.file), { recursive: true });
    const { dialect } = createSqliteDialect(target.file);
    // The watch opens the file after the main connection has set WAL mode on it. An in-memory database has no second
    // connection to watch with, so it keeps no cache.
    return databaseHandle(dialect, "sqlite", cacheRows && !inMemory ? sqliteChangeWatch(target.file) : null);
  }
  const { default: pg } = await import("pg");
  // PostgreSQL returns 64-bit counts as strings; our counts fit in a JS number.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  // No JIT: our queries are short, and a cost estimate inflated by a busy table (the job queue's) made PostgreSQL
  // spend 200 ms compiling each job claim (measured in bench/federation.ts).
  const pool = new pg.Pool({ connectionString: target.url, max: opts.poolSize ?? 10, options: "-c jit=off" });
  pool.on("error", () => {
    /* idle client errors are reported on the next query */
  });
  const watch = cacheRows ? pgChangeWatch(() => new pg.Client({ connectionString: target.url, keepAlive: true }), opts.onWatchError) : null;
  return databaseHandle(new PostgresDialect({ pool }), "postgres", watch);
}

/** The guarded Kysely handle, reading through a row cache when there is a watch to keep it true. */
function databaseHandle(dialect: Dialect, name: DialectName, watch: ChangeWatch | null): DatabaseHandle {
  const cache = watch ? new RowCache(watch) : null;
  const db = guardTransactions(new Kysely<Database>({ dialect, plugins: cache ? [invalidateOnWrite(cache)] : [] }), {
    afterCommit: () => cache?.invalidate(),
  });
  if (cache) attachRowCache(db, cache);
  return {
    db,
    dialect: name,
    unitOfWork: watch ? (fn) => watch.unitOfWork(fn) : (fn) => fn(),
    close: async () => {
      await watch?.close();
      await db.destroy();
    },
  };
}
