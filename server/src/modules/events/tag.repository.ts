import type { Executor } from "../../db/index.ts";

/** The ids of these tags, made when new (events and group posts share the instance's tags): two statements in all. */
export async function ensureTagIds(db: Executor, tags: readonly { title: string; slug: string }[]): Promise<number[]> {
  if (tags.length === 0) return [];
  await db.insertInto("tags").values(tags.map(({ title, slug }) => ({ title, slug }))).onConflict((oc) => oc.column("slug").doNothing()).execute();
  return (await db.selectFrom("tags").select("id").where("slug", "in", tags.map((t) => t.slug)).execute()).map((r) => r.id);
}

/** One tag per slug (two titles may make the same slug), the first one kept. */
export function uniqueBySlug<T extends { slug: string }>(tags: readonly T[]): T[] {
  const seen = new Set<string>();
  return tags.filter((t) => !seen.has(t.slug) && seen.add(t.slug) !== undefined);
}
