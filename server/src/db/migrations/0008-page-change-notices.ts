import { sql } from "kysely";
import { dialectOf, type AnyDb } from "../schema-helpers.ts";

/**
 * PostgreSQL: server-rendered event pages are kept until their event, its address, its organizer or its picture
 * changes (db/row-cache.ts, `cachedText`): events and addresses tell of their changes like the tables of 0003 and 0004.
 */
export async function up(db: AnyDb): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  for (const table of ["events", "addresses"]) {
    await sql`
      create trigger ${sql.id(`${table}_notify_row_change`)}
      after update or delete or truncate on ${sql.table(table)}
      for each statement execute function convene_notify_row_change()`.execute(db);
  }
}
