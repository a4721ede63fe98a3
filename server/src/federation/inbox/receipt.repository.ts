import type { Executor } from "../../db/index.ts";

/** Activities already accepted, by a key of their id, type and body (retries are applied once). */
export const receiptRepository = {
  /** Records a receipt; false when it was already there. */
  async record(db: Executor, key: string, now: Date): Promise<boolean> {
    const r = await db.insertInto("activity_receipts").values({ key, received_at: now }).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },
  /** Forgets receipts older than `before` (a retry comes within hours, not weeks). */
  async purge(db: Executor, before: Date): Promise<number> {
    const r = await db.deleteFrom("activity_receipts").where("received_at", "<", before).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
