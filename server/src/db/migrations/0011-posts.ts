import { sql } from "kysely";
import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * Group posts (issue 9): a group's small blog. Each post is written by a person for a group, public, unlisted or for
 * members only, possibly a draft; it shares the instance's tags with events.
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await t
    .id(db.schema.createTable("posts"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("local", t.bool, (c) => c.notNull().defaultTo(t.trueDefault))
    .addColumn("author_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("attributed_to_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("draft", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("language", "text")
    .addColumn("picture_id", "integer", (c) => c.references("media.id").onDelete("set null"))
    .addColumn("publish_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  // A group's posts, newest first (its page, Group.posts).
  await db.schema.createIndex("posts_group_idx").on("posts").columns(["attributed_to_id", "draft", "visibility", "publish_at"]).execute();
  await db.schema.createIndex("posts_author_idx").on("posts").column("author_id").execute();
  await db.schema.createIndex("posts_picture_idx").on("posts").column("picture_id").where(sql.ref("picture_id"), "is not", null).execute();

  await db.schema
    .createTable("post_tags")
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (c) => c.notNull().references("tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("post_tags_pk", ["post_id", "tag_id"])
    .execute();
}
