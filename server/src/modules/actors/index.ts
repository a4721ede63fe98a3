/** Identities (profiles) and, later, groups and remote actors. */
export { ActorService, type ActorsDeps, type PersonInput } from "./actor.service.ts";
export { checkUsername, type Actor, type ActorType } from "./actor.types.ts";
