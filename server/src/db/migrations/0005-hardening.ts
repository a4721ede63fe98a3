import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * Hardening (issue 7): media that something refers to (event descriptions, comments), uploaded files not yet known to
 * be committed, the indexes the new read paths use, and the per-activity notification toggles of the API.
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  // Which media a text refers to (an image in an event's description): such media are in use, not orphans.
  await db.schema
    .createTable("media_references")
    .addColumn("media_id", "integer", (c) => c.notNull().references("media.id").onDelete("cascade"))
    .addColumn("owner_type", "text", (c) => c.notNull())
    .addColumn("owner_id", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("media_references_pk", ["owner_type", "owner_id", "media_id"])
    .execute();
  await db.schema.createIndex("media_references_media_idx").on("media_references").column("media_id").execute();

  // Files written before the transaction that records them commits: the sweeper deletes those no row came to claim.
  await db.schema
    .createTable("upload_files")
    .addColumn("uuid", "text", (c) => c.primaryKey())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("upload_files_inserted_idx").on("upload_files").column("inserted_at").execute();

  // Who uses a media (its readers and the orphan sweep), and pending e-mail changes (housekeeping).
  await db.schema.createIndex("actors_avatar_idx").on("actors").column("avatar_id").execute();
  await db.schema.createIndex("actors_banner_idx").on("actors").column("banner_id").execute();
  await db.schema.createIndex("events_picture_idx").on("events").column("picture_id").execute();
  await db.schema.createIndex("media_inserted_idx").on("media").column("inserted_at").execute();
  await db.schema.createIndex("users_unconfirmed_email_idx").on("users").column("unconfirmed_email").execute();

  // updateActivitySetting: one toggle per activity kind and delivery method (Mobilizon's notification settings).
  await db.schema
    .createTable("activity_settings")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("enabled", t.bool, (c) => c.notNull())
    .addPrimaryKeyConstraint("activity_settings_pk", ["user_id", "key", "method"])
    .execute();
}
