import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely } from "kysely";
import { outsideUnitOfWork } from "./change-watch.ts";

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
      const callbacks: (() => void)[] = [];
      const result = await execute((tx) => {
        commitCallbacks.set(tx, callbacks);
        return inTransaction.run(true, () => cb(tx));
      });
      hooks.afterCommit?.();
      for (const fn of callbacks) runOutside(fn);
      return result;
    };
    return builder;
  };
  return db;
}

const commitCallbacks = new WeakMap<object, (() => void)[]>();

const runOutside = (fn: () => void) => {
  try {
    inTransaction.exit(() => outsideUnitOfWork(fn));
  } catch {
    /* a commit callback only nudges (wakes a worker); the committed work stands */
  }
};

/**
 * Runs `fn` once what `executor` wrote is committed: after its transaction commits (never, if it rolls back), or at
 * once for the plain database handle, whose statements commit as they run. Outside the transaction's and the
 * request's context, so that work it starts (a woken worker) is neither.
 */
export function afterCommit(executor: object, fn: () => void): void {
  const list = commitCallbacks.get(executor);
  if (list) list.push(fn);
  else runOutside(fn);
}
