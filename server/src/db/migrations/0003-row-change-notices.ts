import { sql } from "kysely";
import { dialectOf, type AnyDb } from "../schema-helpers.ts";

/**
 * PostgreSQL: after a statement updates or deletes rows of a table whose rows processes cache (db/row-cache.ts), tell
 * every listening process, once the transaction commits (docs/adr/0009). SQLite needs nothing: each process watches
 * the file's data version.
 */
export async function up(db: AnyDb): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  await sql`
    create function convene_notify_row_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('convene_row_changes', tg_table_name);
      return null;
    end $$`.execute(db);
  for (const table of ["users", "actors"]) {
    await sql`
      create trigger ${sql.id(`${table}_notify_row_change`)}
      after update or delete or truncate on ${sql.table(table)}
      for each statement execute function convene_notify_row_change()`.execute(db);
  }
}
