import { sql } from "kysely";
import { containing, withinCircle, type Circle, type Executor } from "../../db/index.ts";
import { MEMBER_OF } from "./group.types.ts";

export type GroupSearchSort = "MATCH_DESC" | "MEMBER_COUNT_ASC" | "MEMBER_COUNT_DESC" | "CREATED_AT_ASC" | "CREATED_AT_DESC" | "LAST_EVENT_ACTIVITY";

/** Read models of groups for lists: the public search. It returns ids, loaded by the caller. */
export const groupQueries = {
  /**
   * Public groups (local and known remote ones) whose username, name or description holds the words, near a place,
   * sorted as asked. Unlisted and private groups are never found; suspended and deleted ones neither.
   */
  async search(
    db: Executor,
    s: { term: string; circle: Circle | null; excludeActorIds: readonly number[]; localOnly: boolean; languages: readonly string[]; sort: GroupSearchSort; page: number; limit: number },
  ): Promise<{ total: number; ids: number[] }> {
    let q = db
      .selectFrom("actors")
      .leftJoin("addresses", "addresses.id", "actors.physical_address_id")
      .where("actors.type", "=", "Group")
      .where("actors.deleted_at", "is", null)
      .where("actors.suspended", "=", false as never)
      .where("actors.visibility", "=", "public");
    if (s.localOnly) q = q.where("actors.domain", "is", null);
    const words = s.term.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    for (const w of words)
      q = q.where((eb) =>
        eb.or([
          eb("actors.preferred_username", "like", containing(w)),
          eb(sql`lower(coalesce(actors.name, ''))`, "like", containing(w)),
          eb(sql`lower(coalesce(actors.summary, ''))`, "like", containing(w)),
        ]),
      );
    if (s.circle) q = q.where(withinCircle("addresses.latitude", "addresses.longitude", s.circle));
    // A group speaks the languages of its public events and posts.
    if (s.languages.length > 0)
      q = q.where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom("events").select("events.id").whereRef("events.attributed_to_id", "=", "actors.id").where("events.language", "in", [...s.languages]).where("events.visibility", "=", "PUBLIC")),
          eb.exists(eb.selectFrom("posts").select("posts.id").whereRef("posts.attributed_to_id", "=", "actors.id").where("posts.language", "in", [...s.languages]).where("posts.visibility", "=", "PUBLIC")),
        ]),
      );
    if (s.excludeActorIds.length > 0)
      q = q.where("actors.id", "not in", (eb) =>
        eb.selectFrom("members").select("members.parent_id").where("members.actor_id", "in", [...s.excludeActorIds]).where("members.role", "in", [...MEMBER_OF]),
      );
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const members = sql<number>`(select count(*) from members m where m.parent_id = actors.id and m.role in ('MEMBER', 'MODERATOR', 'ADMINISTRATOR', 'CREATOR'))`;
    let rows = q.select("actors.id");
    switch (s.sort) {
      case "MEMBER_COUNT_ASC":
        rows = rows.orderBy(members, "asc");
        break;
      case "MEMBER_COUNT_DESC":
        rows = rows.orderBy(members, "desc");
        break;
      case "CREATED_AT_ASC":
        rows = rows.orderBy("actors.inserted_at", "asc");
        break;
      case "CREATED_AT_DESC":
        rows = rows.orderBy("actors.inserted_at", "desc");
        break;
      case "LAST_EVENT_ACTIVITY":
        rows = rows.orderBy(sql`coalesce((select max(e.updated_at) from events e where e.attributed_to_id = actors.id), actors.inserted_at)`, "desc");
        break;
      default: {
        // A name that is the term itself comes first, then names that start with it, then the rest, most members first.
        const t = s.term.trim().toLowerCase();
        if (t)
          rows = rows.orderBy(
            sql`case when actors.preferred_username = ${t} or lower(coalesce(actors.name, '')) = ${t} then 0 when lower(coalesce(actors.name, actors.preferred_username)) like ${`${t.replace(/[%_\\]/g, "")}%`} then 1 else 2 end`,
          );
        rows = rows.orderBy(members, "desc");
      }
    }
    const ids = await rows.orderBy("actors.id", "desc").limit(s.limit).offset((s.page - 1) * s.limit).execute();
    return { total: Number(n), ids: ids.map((r) => r.id) };
  },
};
