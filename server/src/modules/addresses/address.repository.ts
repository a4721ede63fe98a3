import type { Selectable } from "kysely";
import type { AddressesTable, Executor } from "../../db/index.ts";
import type { Address, AddressInput } from "./address.types.ts";

const map = (r: Selectable<AddressesTable>): Address => ({
  id: r.id,
  description: r.description,
  street: r.street,
  locality: r.locality,
  postalCode: r.postal_code,
  region: r.region,
  country: r.country,
  latitude: r.latitude,
  longitude: r.longitude,
  type: r.type,
  url: r.url,
  originId: r.origin_id,
  timezone: r.timezone,
});

/** Reads and writes of addresses. */
export const addressRepository = {
  async save(db: Executor, existingId: number | null, a: AddressInput, now: Date): Promise<Address> {
    const values = {
      description: a.description,
      street: a.street,
      locality: a.locality,
      postal_code: a.postalCode,
      region: a.region,
      country: a.country,
      latitude: a.latitude,
      longitude: a.longitude,
      type: a.type,
      url: a.url,
      origin_id: a.originId,
      timezone: a.timezone,
    };
    const r = existingId
      ? await db.updateTable("addresses").set(values).where("id", "=", existingId).returningAll().executeTakeFirstOrThrow()
      : await db.insertInto("addresses").values({ ...values, inserted_at: now }).returningAll().executeTakeFirstOrThrow();
    return map(r);
  },

  async remove(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("addresses").where("id", "=", id).execute();
  },

  async byIds(db: Executor, ids: readonly number[]): Promise<Address[]> {
    if (ids.length === 0) return [];
    return (await db.selectFrom("addresses").selectAll().where("id", "in", [...ids]).execute()).map(map);
  },};
