import { toDate, type Executor } from "../../db/index.ts";
import type { Tombstone } from "./tombstone.types.ts";

/** Reads and writes of tombstones. */
export const tombstoneRepository = {
  async record(db: Executor, t: Tombstone): Promise<void> {
    await db
      .insertInto("tombstones")
      .values({ uri: t.uri, former_type: t.formerType, actor_id: t.actorId, deleted_at: t.deletedAt })
      .onConflict((oc) => oc.column("uri").doNothing())
      .execute();
  },
  async find(db: Executor, uri: string): Promise<Tombstone | null> {
    const r = await db.selectFrom("tombstones").selectAll().where("uri", "=", uri).executeTakeFirst();
    return r ? { uri: r.uri, formerType: r.former_type, actorId: r.actor_id, deletedAt: toDate(r.deleted_at)! } : null;
  },
};
