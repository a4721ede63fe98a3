export { outsideTransaction } from "./tx-guard.ts";
export { openDatabase, type Db, type Tx, type Executor, type DialectName, type DatabaseHandle, type DatabaseTarget } from "./database.ts";
export { migrateToLatest } from "./migrate.ts";
export { toDate, toBool } from "./values.ts";
export { rateLimits } from "./rate-limit.ts";
export { instanceSecret } from "./instance-secret.ts";
export type * from "./tables.ts";
export { searchWords, indexEvent, unindexEvent, matchEvents, geoTokens } from "./search.ts";
export { withinCircle, distanceKm, boundingBox, decodeGeohash, encodeGeohash, type Circle } from "./geo.ts";
