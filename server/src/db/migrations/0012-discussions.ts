import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * Group discussions (issue 9): members-only threads of a group. Their messages are comments (one mechanism for events
 * and discussions): a comment belongs to an event or to a discussion.
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await t
    .id(db.schema.createTable("discussions"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("group_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("creator_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("last_comment_id", "integer")
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  // A group's discussions, most recently active first.
  await db.schema.createIndex("discussions_group_idx").on("discussions").columns(["group_id", "updated_at"]).execute();

  await db.schema.alterTable("comments").addColumn("discussion_id", "integer", (c) => c.references("discussions.id").onDelete("cascade")).execute();
  // A discussion's messages, oldest first.
  await db.schema.createIndex("comments_discussion_idx").on("comments").columns(["discussion_id", "id"]).execute();
}
