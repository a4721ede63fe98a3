import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * Groups (issue 9), first part: a group is an actor of type Group with how people join it (`openness`) and a place;
 * its members are memberships with a role (Mobilizon's roles) and the id of the activity that made them (a Join, an
 * Invite, or ours); follows say whether the follower wants to be told of new events (`notify`).
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await db.schema.alterTable("actors").addColumn("openness", "text").execute();
  await db.schema.alterTable("actors").addColumn("physical_address_id", "integer", (c) => c.references("addresses.id").onDelete("set null")).execute();
  // Groups are listed and searched by type (the admin list, searchGroups).
  await db.schema.createIndex("actors_type_idx").on("actors").columns(["type", "domain"]).execute();

  await t
    .id(db.schema.createTable("members"))
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("parent_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("actor_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("invited_by_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("message", "text")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  // One membership per person and group; a group's members by role (lists, counts, who administers it).
  await db.schema.createIndex("members_pair_uidx").on("members").columns(["actor_id", "parent_id"]).unique().execute();
  await db.schema.createIndex("members_parent_role_idx").on("members").columns(["parent_id", "role", "id"]).execute();

  // A group's events by date (its page, Group.organizedEvents).
  await db.schema.createIndex("events_attributed_begins_idx").on("events").columns(["attributed_to_id", "begins_on"]).execute();

  await db.schema.alterTable("follows").addColumn("notify", t.bool, (c) => c.notNull().defaultTo(t.trueDefault)).execute();
  // What an actor follows (a person's followed groups).
  await db.schema.createIndex("follows_follower_idx").on("follows").columns(["follower_id", "approved"]).execute();
}
