import type { Executor } from "../../db/index.ts";
import { addressRepository as repo } from "./address.repository.ts";
import type { Address, AddressInput } from "./address.types.ts";

/** Stores and reads places, in the caller's transaction (what shows a place owns it: an event, later a group). */
export const addresses = {
  /** Saves a place: a new one, or over the one `existingId` names. */
  save(tx: Executor, existingId: number | null, input: AddressInput, now: Date): Promise<Address> {
    return repo.save(tx, existingId, input, now);
  },
  /** Removes a place nothing shows any more. */
  remove(tx: Executor, id: number): Promise<void> {
    return repo.remove(tx, id);
  },
  /** Places by ids (batched reads). */
  byIds(db: Executor, ids: readonly number[]): Promise<Address[]> {
    return repo.byIds(db, ids);
  },
};
