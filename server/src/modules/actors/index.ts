/** Identities (profiles) and, later, groups and remote actors. */
export { ActorService, type ActorsDeps, type PersonInput } from "./actor.service.ts";
/** Domain events of identities. */
export { ActorEvents, type ActorEvent } from "./actor.events.ts";
export { checkUsername, type Actor, type ActorType } from "./actor.types.ts";
