/** Identities (profiles) and, later, groups and remote actors. */
export { ActorService, type ActorsDeps, type PersonInput } from "./actor.service.ts";
/** Domain events of identities. */
export { ActorEvents, type ActorEvent } from "./actor.events.ts";
export { checkUsername, type Actor, type ActorKey, type ActorType, type RemoteActorInput, type RemoteEndpoints } from "./actor.types.ts";
/** The instance actor, actors' keys, and remote actors as their servers describe them. */
export { FederatedActorService, type FederatedActorsDeps } from "./federated-actor.service.ts";
/** Finding actors on other servers (implemented by the federation adapter). */
export { isRemoteAddress, NO_REMOTE_LOOKUP, spendLookup, type RemoteLookup } from "./remote-lookup.ts";
