import { sql } from "kysely";
import type { AnyDb } from "../schema-helpers.ts";

/**
 * Tags get one slug rule for storing and searching, Unicode included (issue 7): letters and digits of any script,
 * lower-cased, accents dropped, every other run one dash. Tags stored under the old rule (ASCII only, or the lower-cased
 * title when nothing was left) are renamed; tags that now share a slug are merged into the oldest.
 * The rule is copied here on purpose: a migration must keep doing what it did when it landed.
 */
const slugOf = (title: string) =>
  title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");

export async function up(db: AnyDb): Promise<void> {
  const tags: { id: number; title: string; slug: string }[] = await db.selectFrom("tags").select(["id", "title", "slug"]).orderBy("id").execute();
  const keep = new Map<string, number>();
  for (const t of tags) {
    const slug = slugOf(t.title) || `tag-${t.id}`;
    const survivor = keep.get(slug);
    if (survivor === undefined) {
      keep.set(slug, t.id);
      continue;
    }
    // Merge: the events of this tag move to the survivor (unless they already carry it), then it goes.
    await sql`insert into event_tags (event_id, tag_id) select event_id, ${survivor} from event_tags where tag_id = ${t.id} and event_id not in (select event_id from event_tags where tag_id = ${survivor})`.execute(db);
    await db.deleteFrom("event_tags").where("tag_id", "=", t.id).execute();
    await db.deleteFrom("tags").where("id", "=", t.id).execute();
  }
  // Renames in two steps, so that no update collides with a slug another tag holds until its own turn.
  for (const [slug, id] of keep) await db.updateTable("tags").set({ slug: `~${id}~${slug}` }).where("id", "=", id).execute();
  for (const [slug, id] of keep) await db.updateTable("tags").set({ slug }).where("id", "=", id).execute();
}
