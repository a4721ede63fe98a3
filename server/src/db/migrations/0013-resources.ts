import { columnTypes, type AnyDb } from "../schema-helpers.ts";

/**
 * A group's resources (issue 9): a shared folder of links and folders, each named by its path in the group
 * ("/Meetings/Minutes"), with what a link's page says of itself (its preview, as JSON).
 */
export async function up(db: AnyDb): Promise<void> {
  const t = columnTypes(db);
  await t
    .id(db.schema.createTable("resources"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("resource_url", "text")
    .addColumn("metadata", "text")
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("parent_id", "integer", (c) => c.references("resources.id").onDelete("cascade"))
    .addColumn("group_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("creator_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("published_at", t.timestamp)
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  // A folder's content; a resource by its path in its group.
  await db.schema.createIndex("resources_parent_idx").on("resources").columns(["group_id", "parent_id", "title"]).execute();
  await db.schema.createIndex("resources_path_idx").on("resources").columns(["group_id", "path"]).execute();

  await t
    .id(db.schema.createTable("todo_lists"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("group_id", "integer", (c) => c.notNull().references("actors.id").onDelete("cascade"))
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("todo_lists_group_idx").on("todo_lists").columns(["group_id", "id"]).execute();
  await t
    .id(db.schema.createTable("todos"))
    .addColumn("uuid", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("status", t.bool, (c) => c.notNull().defaultTo(t.falseDefault))
    .addColumn("due_date", t.timestamp)
    .addColumn("todo_list_id", "integer", (c) => c.notNull().references("todo_lists.id").onDelete("cascade"))
    .addColumn("creator_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("assigned_to_id", "integer", (c) => c.references("actors.id").onDelete("set null"))
    .addColumn("inserted_at", t.timestamp, (c) => c.notNull())
    .addColumn("updated_at", t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("todos_list_idx").on("todos").columns(["todo_list_id", "status", "id"]).execute();
}
