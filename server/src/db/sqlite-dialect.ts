import { DatabaseSync, type StatementSync, type SQLInputValue } from "node:sqlite";
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from "kysely";

/**
 * Kysely over Node's built-in `node:sqlite` (see docs/adr/0002). Kysely's SQLite driver expects better-sqlite3's
 * statement shape; this adapter provides it, caches prepared statements, converts booleans and dates on the way in
 * (SQLite has neither), and turns Kysely's deferred `begin` into `begin immediate` so two processes writing at once
 * wait on the busy timeout instead of failing on a read-to-write lock upgrade.
 */
export function createSqliteDialect(file: string): { dialect: SqliteDialect; raw: DatabaseSync } {
  const raw = new DatabaseSync(file, { timeout: 10_000 });
  // FULL: each commit is on disk before it returns, so an acknowledged write survives a power loss (NORMAL in WAL mode
  // may lose the last commits). docs/adr/0002.
  raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
  const cache = new Map<string, SqliteStatement>();

  const toParam = (v: unknown): SQLInputValue => {
    if (v === undefined || v === null) return null;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (v instanceof Date) return v.toISOString();
    return v as SQLInputValue;
  };

  const wrap = (stmt: StatementSync): SqliteStatement => {
    const reader = stmt.columns().length > 0;
    return {
      reader,
      all: (params) => stmt.all(...params.map(toParam)),
      run: (params) => {
        const r = stmt.run(...params.map(toParam));
        return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
      },
      iterate: (params) => stmt.iterate(...params.map(toParam)) as IterableIterator<unknown>,
    };
  };

  const database: SqliteDatabase = {
    close: () => raw.close(),
    prepare(sqlText: string) {
      const text = /^\s*begin\s*$/i.test(sqlText) ? "begin immediate" : sqlText;
      let s = cache.get(text);
      if (!s) {
        s = wrap(raw.prepare(text));
        if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
        cache.set(text, s);
      }
      return s;
    },
  };
  return { dialect: new SqliteDialect({ database }), raw };
}
