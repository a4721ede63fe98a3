/** What was deleted here, so its URL answers 410 Gone. */
export { TombstoneService, type TombstonesDeps } from "./tombstone.service.ts";
export type { Tombstone } from "./tombstone.types.ts";
