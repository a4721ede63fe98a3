import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely } from "kysely";

/**
 * Inside a transaction, every query must go through the transaction object. A query on the plain database handle
 * from inside the transaction's callback would wait for a second connection: forever on SQLite (one connection,
 * held by the transaction), or see another snapshot and eat the pool on PostgreSQL. This guard turns that mistake
 * into an immediate error naming it, on both dialects.
 */
const inTransaction = new AsyncLocalStorage<true>();

export class NestedQueryError extends Error {
  constructor() {
    super("A query used the database handle inside a transaction: pass the transaction (tx) instead");
  }
}

/**
 * Marks the callbacks of `db.transaction().execute(cb)` (and calls `afterCommit` once one has committed), and makes
 * the handle's own executor (not the transaction's, which Kysely creates separately) refuse to hand out a connection
 * while such a callback runs.
 */
export function guardTransactions<DB>(db: Kysely<DB>, hooks: { afterCommit?: () => void } = {}): Kysely<DB> {
  const executor = db.getExecutor();
  const provide = executor.provideConnection.bind(executor);
  (executor as { provideConnection: typeof provide }).provideConnection = (consumer) => {
    if (inTransaction.getStore()) return Promise.reject(new NestedQueryError());
    return provide(consumer);
  };
  const original = db.transaction.bind(db);
  (db as { transaction: typeof db.transaction }).transaction = () => {
    const builder = original();
    const execute = builder.execute.bind(builder);
    (builder as { execute: typeof builder.execute }).execute = async (cb) => {
      const result = await execute((tx) => inTransaction.run(true, () => cb(tx)));
      hooks.afterCommit?.();
      return result;
    };
    return builder;
  };
  return db;
}

/**
 * Runs `fn` outside any transaction's context. Timers and callbacks started inside a transaction callback inherit
 * its context; work they start later (a worker woken by an enqueue) is not part of that transaction.
 */
export function outsideTransaction<T>(fn: () => T): T {
  return inTransaction.exit(fn);
}
