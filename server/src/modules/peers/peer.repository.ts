import type { Selectable } from "kysely";
import { containing, toBool, toDate, type Executor, type InstancesTable } from "../../db/index.ts";
import type { Peer } from "./peer.types.ts";

const map = (r: Selectable<InstancesTable>): Peer => ({
  domain: r.domain,
  software: r.software,
  softwareVersion: r.software_version,
  nodeName: r.node_name,
  blocked: toBool(r.blocked),
  silenced: toBool(r.silenced),
  failingSince: toDate(r.failing_since),
  lastFailure: r.last_failure,
  failedDeliveries: Number(r.failed_deliveries),
});

/** Reads and writes of peers (the `instances` table). */
export const peerRepository = {
  async find(db: Executor, domain: string): Promise<Peer | null> {
    const r = await db.selectFrom("instances").selectAll().where("domain", "=", domain).executeTakeFirst();
    return r ? map(r) : null;
  },
  /** Whether any of these domains is blocked. */
  async anyBlocked(db: Executor, domains: string[]): Promise<boolean> {
    const r = await db.selectFrom("instances").select("domain").where("domain", "in", domains).where("blocked", "=", true as never).executeTakeFirst();
    return !!r;
  },
  async ensure(db: Executor, domain: string, now: Date): Promise<void> {
    await db.insertInto("instances").values({ domain, inserted_at: now, updated_at: now }).onConflict((oc) => oc.column("domain").doNothing()).execute();
  },
  async update(db: Executor, domain: string, patch: Partial<{ blocked: boolean; silenced: boolean; software: string | null; softwareVersion: string | null; nodeName: string | null }>, now: Date): Promise<void> {
    await db
      .updateTable("instances")
      .set({
        ...(patch.blocked !== undefined && { blocked: patch.blocked }),
        ...(patch.silenced !== undefined && { silenced: patch.silenced }),
        ...(patch.software !== undefined && { software: patch.software }),
        ...(patch.softwareVersion !== undefined && { software_version: patch.softwareVersion }),
        ...(patch.nodeName !== undefined && { node_name: patch.nodeName }),
        updated_at: now,
      })
      .where("domain", "=", domain)
      .execute();
  },
  async deliveryFailed(db: Executor, domain: string, message: string, now: Date): Promise<void> {
    await db
      .updateTable("instances")
      .set((eb) => ({ failed_deliveries: eb("failed_deliveries", "+", 1), last_failure: message.slice(0, 500), failing_since: eb.fn.coalesce("failing_since", eb.val(now)) as never, updated_at: now }))
      .where("domain", "=", domain)
      .execute();
  },
  async deliverySucceeded(db: Executor, domain: string, now: Date): Promise<void> {
    await db.updateTable("instances").set({ failed_deliveries: 0, failing_since: null, last_failure: null, updated_at: now }).where("domain", "=", domain).where("failing_since", "is not", null).execute();
  },
  async list(db: Executor, f: { filter: string; blocked: boolean | null; failing: boolean | null; page: number; limit: number }): Promise<{ total: number; elements: Peer[] }> {
    let q = db.selectFrom("instances");
    if (f.filter) q = q.where("domain", "like", containing(f.filter));
    if (f.blocked !== null) q = q.where("blocked", "=", f.blocked as never);
    if (f.failing !== null) q = f.failing ? q.where("failing_since", "is not", null) : q.where("failing_since", "is", null);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q.selectAll().orderBy("domain").limit(f.limit).offset((f.page - 1) * f.limit).execute();
    return { total: Number(n), elements: rows.map(map) };
  },
};
