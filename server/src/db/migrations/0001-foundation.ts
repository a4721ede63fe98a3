import { sql } from "kysely";
import { columnTypes, type AnyDb } from "../schema-helpers.ts";

export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable("instance_settings")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await t
    .id(db.schema.createTable("users"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo("USER"))
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("en"))
    .addColumn("confirmed_at", t.timestamp)
    .addColumn("confirmation_sent_at", t.timestamp)
    .addColumn("disabled", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("default_actor_id", "integer")
    .addColumn("unconfirmed_email", "text")
    .addColumn("current_sign_in_at", t.timestamp)
    .addColumn("current_sign_in_ip", "text")
    .addColumn("last_sign_in_at", t.timestamp)
    .addColumn("last_sign_in_ip", "text")
    .addColumn("password_changed_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_confirmed_inserted_idx").on("users").columns(["confirmed_at", "inserted_at"]).execute();

  await db.schema
    .createTable("user_settings")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("timezone", "text")
    .addColumn("notification_on_day", t.bool, (c) => c.notNull().defaultTo(t.trueDefault))
    .addColumn("notification_each_week", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("notification_before_event", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("notification_pending_participation", "text", (c) => c.notNull().defaultTo("ONE_DAY"))
    .addColumn("notification_pending_membership", "text", (c) => c.notNull().defaultTo("ONE_DAY"))
    .addColumn("group_notifications", "text", (c) => c.notNull().defaultTo("ONE_DAY"))
    .addColumn("location_name", "text")
    .addColumn("location_geohash", "text")
    .addColumn("location_range", "integer")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();

  await t
    .id(db.schema.createTable("user_tokens"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("data", "text")
    .addColumn("expires_at", t.timestamp, (c) => c.notNull())
    .addColumn("used_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("user_tokens_user_kind_idx").on("user_tokens").columns(["user_id", "kind"]).execute();

  await t
    .id(db.schema.createTable("refresh_tokens"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("family", "text", (c) => c.notNull())
    .addColumn("expires_at", t.timestamp, (c) => c.notNull())
    .addColumn("used_at", t.timestamp)
    .addColumn("revoked_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("refresh_tokens_user_idx").on("refresh_tokens").column("user_id").execute();
  await db.schema.createIndex("refresh_tokens_family_idx").on("refresh_tokens").column("family").execute();

  await t
    .id(db.schema.createTable("media"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("actor_id", "integer")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("alt", "text")
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("width", "integer")
    .addColumn("height", "integer")
    .addColumn("blurhash", "text")
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("media_actor_idx").on("media").column("actor_id").execute();

  await t
    .id(db.schema.createTable("actors"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("preferred_username", "text", (c) => c.notNull())
    .addColumn("domain", "text")
    .addColumn("name", "text")
    .addColumn("summary", "text")
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("avatar_id", "integer", (c) => c.references("media.id").onDelete("set null"))
    .addColumn("banner_id", "integer", (c) => c.references("media.id").onDelete("set null"))
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("public"))
    .addColumn("suspended", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("manually_approves_followers", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .addColumn("deleted_at", t.timestamp)
    .execute();
  // One username per domain, local actors (domain NULL) included; deleted actors keep theirs reserved.
  await db.schema
    .createIndex("actors_username_domain_uidx")
    .on("actors")
    .unique()
    .expression(sql`preferred_username, coalesce(domain, '')`)
    .execute();
  await db.schema.createIndex("actors_user_idx").on("actors").column("user_id").execute();

  await t
    .id(db.schema.createTable("jobs"))
    .addColumn("queue", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("run_at", t.timestamp, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull().defaultTo(10))
    .addColumn("locked_until", t.timestamp)
    .addColumn("locked_by", "text")
    .addColumn("last_error", "text")
    .addColumn("failed_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due_idx").on("jobs").columns(["queue", "run_at"]).execute();

  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", t.timestamp, (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .execute();
}
