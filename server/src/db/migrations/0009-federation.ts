import { sql } from "kysely";
import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * Federation (issue 8): where remote actors receive (their inboxes and collections), actors' keys, follows, the
 * tombstones of deleted objects (410 Gone), the peers (instances) with their blocks and delivery health, the ids of
 * participations (a Join's id) and of remote media, the activities already received, and an ordering key on jobs so
 * that deliveries about one object leave in order.
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);

  for (const column of ["inbox_url", "shared_inbox_url", "outbox_url", "followers_url", "following_url", "members_url"])
    await db.schema.alterTable("actors").addColumn(column, "text").execute();
  await db.schema.alterTable("actors").addColumn("last_refreshed_at", t.timestamp).execute();
  await db.schema.createIndex("actors_domain_idx").on("actors").column("domain").execute();
  await db.schema.createIndex("actors_shared_inbox_idx").on("actors").column("shared_inbox_url").execute();

  // One RSA key pair per actor (the private half only for local actors), made on first use.
  await db.schema
    .createTable("actor_keys")
    .addColumn("actor_id", "integer", (c) => c.primaryKey().references("actors.id").onDelete("cascade"))
    .addColumn("key_id", "text", (c) => c.notNull().unique())
    .addColumn("public_key_pem", "text", (c) => c.notNull())
    .addColumn("private_key_pem", "text")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();

  await t
    .id(db.schema.createTable("follows"))
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("follower_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("target_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("approved", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("follows_pair_uidx").on("follows").columns(["follower_id", "target_id"]).unique().execute();
  await db.schema.createIndex("follows_target_idx").on("follows").columns(["target_id", "approved"]).execute();

  // What was deleted here, so that its URL answers 410 Gone with a Tombstone (and is never reused).
  await db.schema
    .createTable("tombstones")
    .addColumn("uri", "text", (c) => c.primaryKey())
    .addColumn("former_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("deleted_at", t.timestamp, (c) => c.notNull())
    .execute();

  // Other servers, by host: what they run, whether an admin blocked or silenced them, how deliveries to them fare.
  await db.schema
    .createTable("instances")
    .addColumn("domain", "text", (c) => c.primaryKey())
    .addColumn("software", "text")
    .addColumn("software_version", "text")
    .addColumn("node_name", "text")
    .addColumn("blocked", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("silenced", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("failing_since", t.timestamp)
    .addColumn("last_failure", "text")
    .addColumn("failed_deliveries", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema.alterTable("participants").addColumn("url", "text").execute();
  await db.schema.createIndex("participants_url_uidx").on("participants").column("url").unique().where(sql.ref("url"), "is not", null).execute();
  await db.schema.alterTable("media").addColumn("remote_url", "text").execute();

  // Activities already applied, by a key of their id, type and body: a retried delivery is applied once, while
  // Mobilizon's Updates (same id, new body) are each applied.
  await db.schema
    .createTable("activity_receipts")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("received_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("activity_receipts_received_idx").on("activity_receipts").column("received_at").execute();

  // An actor's outbox lists its comments.
  await db.schema.createIndex("comments_actor_idx").on("comments").column("actor_id").execute();

  await db.schema.alterTable("jobs").addColumn("ordering_key", "text").execute();
  await db.schema.createIndex("jobs_ordering_idx").on("jobs").columns(["ordering_key", "id"]).where(sql.ref("ordering_key"), "is not", null).execute();
}
