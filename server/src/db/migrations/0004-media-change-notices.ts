import { sql } from "kysely";
import { dialectOf, type AnyDb } from "../schema-helpers.ts";

/** PostgreSQL: media rows are cached too (avatars, event pictures), so their changes are told like those of 0003. */
export async function up(db: AnyDb): Promise<void> {
  if (dialectOf(db) !== "postgres") return;
  await sql`
    create trigger media_notify_row_change
    after update or delete or truncate on media
    for each statement execute function convene_notify_row_change()`.execute(db);
}
