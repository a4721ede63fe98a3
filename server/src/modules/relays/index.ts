/** Instance follows (relays) and the list of known servers, for administrators. */
export { RelayService, domainOf, type RelaysDeps } from "./relay.service.ts";
export type { InstanceRow } from "./relay.queries.ts";
