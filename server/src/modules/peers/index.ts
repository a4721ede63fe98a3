/** Other servers: blocks, silences, what they run, and whether deliveries to them succeed. */
export { PeerService, type PeersDeps } from "./peer.service.ts";
export type { Peer } from "./peer.types.ts";
