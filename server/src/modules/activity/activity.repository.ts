import { sql, type Selectable } from "kysely";
import { toDate, type ActivitiesTable, type Executor } from "../../db/index.ts";
import type { Activity, ActivityType, ObjectType } from "./activity.types.ts";

const map = (r: Selectable<ActivitiesTable>): Activity => {
  let params: Record<string, string> = {};
  try {
    params = JSON.parse(r.subject_params);
  } catch {
    /* an unreadable row shows without parameters */
  }
  return { id: r.id, groupId: r.group_id, type: r.type as ActivityType, subject: r.subject, params, authorId: r.author_id, objectType: r.object_type as ObjectType | null, objectId: r.object_id, insertedAt: toDate(r.inserted_at)! };
};

/** Writes and reads of group timelines. */
export const activityRepository = {
  async insert(db: Executor, a: Omit<Activity, "id" | "insertedAt">, now: Date): Promise<void> {
    await db
      .insertInto("activities")
      .values({ group_id: a.groupId, type: a.type, subject: a.subject, subject_params: JSON.stringify(a.params), author_id: a.authorId, object_type: a.objectType, object_id: a.objectId, inserted_at: now })
      .execute();
  },
  /** A group's timeline, newest first, since a date; of one kind; by some authors or by others than them. */
  async ofGroup(
    db: Executor,
    groupId: number,
    f: { since: Date | null; type: ActivityType | null; authors: { ids: readonly number[]; mine: boolean } | null; hidden: readonly string[]; page: number; limit: number },
  ): Promise<{ total: number; elements: Activity[] }> {
    let q = db.selectFrom("activities").where("group_id", "=", groupId);
    if (f.hidden.length > 0) q = q.where("subject", "not in", [...f.hidden]);
    if (f.since) q = q.where("inserted_at", ">=", f.since);
    if (f.type) q = q.where("type", "=", f.type);
    if (f.authors && f.authors.ids.length > 0)
      q = f.authors.mine ? q.where("author_id", "in", [...f.authors.ids]) : q.where((eb) => eb.or([eb("author_id", "not in", [...f.authors!.ids]), eb("author_id", "is", null)]));
    else if (f.authors?.mine) return { total: 0, elements: [] };
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("inserted_at", "desc").orderBy("id", "desc").limit(f.limit).offset((f.page - 1) * f.limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
  /**
   * Removes entries older than `before`, except each group's `keep` most recent ones. Returns how many went.
   */
  async prune(db: Executor, before: Date, keep: number): Promise<number> {
    const r = await db
      .deleteFrom("activities")
      .where("inserted_at", "<", before)
      .where(
        "id",
        "not in",
        db
          .selectFrom((eb) =>
            eb
              .selectFrom("activities")
              .select(["id", sql<number>`row_number() over (partition by group_id order by inserted_at desc, id desc)`.as("rank")])
              .as("ranked"),
          )
          .select("ranked.id")
          .where("ranked.rank", "<=", keep),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  },
};
