import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * A group's timeline (issue 9): who created, changed or deleted what in the group — its members, settings, events,
 * posts, discussions and resources — in Mobilizon's subjects and parameters.
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await t
    .id(db.schema.createTable("activities"))
    .addColumn("group_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("subject_params", "text", (c) => c.notNull())
    .addColumn("author_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("object_type", "text")
    .addColumn("object_id", "integer")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  // A group's timeline, newest first, all kinds or one; the yearly clean-up by date.
  await db.schema.createIndex("activities_group_idx").on("activities").columns(["group_id", "inserted_at"]).execute();
  await db.schema.createIndex("activities_group_type_idx").on("activities").columns(["group_id", "type", "inserted_at"]).execute();
  await db.schema.createIndex("activities_inserted_idx").on("activities").column("inserted_at").execute();
}
