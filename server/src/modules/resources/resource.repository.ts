import { sql, type Selectable } from "kysely";
import { toDate, type Executor, type ResourcesTable } from "../../db/index.ts";
import type { LinkMetadata } from "./link-preview.ts";
import type { Resource } from "./resource.types.ts";

const parseMeta = (s: string | null): LinkMetadata | null => {
  if (!s) return null;
  try {
    return JSON.parse(s) as LinkMetadata;
  } catch {
    return null;
  }
};

const map = (r: Selectable<ResourcesTable>): Resource => ({
  id: r.id,
  uuid: r.uuid,
  url: r.url,
  title: r.title,
  summary: r.summary,
  type: r.type,
  resourceUrl: r.resource_url,
  metadata: parseMeta(r.metadata),
  path: r.path,
  parentId: r.parent_id,
  groupId: r.group_id,
  creatorId: r.creator_id,
  publishedAt: toDate(r.published_at),
  insertedAt: toDate(r.inserted_at)!,
  updatedAt: toDate(r.updated_at)!,
});

/** Writes and reads of a group's resources. */
export const resourceRepository = {
  async insert(db: Executor, r: Omit<Resource, "id" | "insertedAt" | "updatedAt">, now: Date): Promise<Resource> {
    const row = await db
      .insertInto("resources")
      .values({
        uuid: r.uuid,
        url: r.url,
        title: r.title,
        summary: r.summary,
        type: r.type,
        resource_url: r.resourceUrl,
        metadata: r.metadata ? JSON.stringify(r.metadata) : null,
        path: r.path,
        parent_id: r.parentId,
        group_id: r.groupId,
        creator_id: r.creatorId,
        published_at: r.publishedAt,
        inserted_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(row);
  },
  async update(db: Executor, id: number, patch: Partial<Pick<Resource, "title" | "summary" | "resourceUrl" | "metadata" | "path" | "parentId">>, now: Date): Promise<Resource> {
    const row = await db
      .updateTable("resources")
      .set({
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.summary !== undefined && { summary: patch.summary }),
        ...(patch.resourceUrl !== undefined && { resource_url: patch.resourceUrl }),
        ...(patch.metadata !== undefined && { metadata: patch.metadata ? JSON.stringify(patch.metadata) : null }),
        ...(patch.path !== undefined && { path: patch.path }),
        ...(patch.parentId !== undefined && { parent_id: patch.parentId }),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return map(row);
  },
  /** A folder moved or renamed: everything under it follows (one statement). */
  async movePrefix(db: Executor, groupId: number, oldPath: string, newPath: string): Promise<void> {
    await db
      .updateTable("resources")
      .set({ path: sql<string>`cast(${newPath} as text) || substr(path, cast(${oldPath.length + 1} as integer))` })
      .where("group_id", "=", groupId)
      .where(sql<boolean>`substr(path, 1, cast(${oldPath.length + 1} as integer)) = cast(${`${oldPath}/`} as text)`)
      .execute();
  },
  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("resources").where("id", "=", id).execute();
  },
  async findById(db: Executor, id: number): Promise<Resource | null> {
    const r = await db.selectFrom("resources").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByUrl(db: Executor, url: string): Promise<Resource | null> {
    const r = await db.selectFrom("resources").selectAll().where("url", "=", url).executeTakeFirst();
    return r ? map(r) : null;
  },
  async findByIds(db: Executor, ids: readonly number[]): Promise<Resource[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("resources").selectAll().where("id", "in", [...ids]).execute()).map(map);
  },
  /** The resource at a path in a group (a folder before a link of the same name). */
  async findByPath(db: Executor, groupId: number, path: string): Promise<Resource | null> {
    const r = await db.selectFrom("resources").selectAll().where("group_id", "=", groupId).where("path", "=", path).orderBy(sql`case when type = 'folder' then 0 else 1 end`).orderBy("id").executeTakeFirst();
    return r ? map(r) : null;
  },
  /** A folder's content (the root's when `parentId` is null): folders first, then by title. */
  async children(db: Executor, groupId: number, parentId: number | null, page: number, limit: number): Promise<{ total: number; elements: Resource[] }> {
    let q = db.selectFrom("resources").where("group_id", "=", groupId);
    q = parentId === null ? q.where("parent_id", "is", null) : q.where("parent_id", "=", parentId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy(sql`case when type = 'folder' then 0 else 1 end`)
      .orderBy("title")
      .orderBy("id")
      .limit(limit)
      .offset((page - 1) * limit)
      .execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  /** All of a group's resources by path: a folder comes before what it holds. */
  async byPath(db: Executor, groupId: number, page: number, limit: number): Promise<{ total: number; elements: Resource[] }> {
    const q = db.selectFrom("resources").where("group_id", "=", groupId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("path").orderBy("id").limit(limit).offset((page - 1) * limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  async deleteByGroup(db: Executor, groupId: number): Promise<void> {
    await db.deleteFrom("resources").where("group_id", "=", groupId).execute();
  },
};
