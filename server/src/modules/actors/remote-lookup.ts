import type { Actor } from "./actor.types.ts";

/**
 * Finding actors on other servers (a port: the federation adapter implements it, the composition root plugs it in).
 * Results are stored remote actors; null when the server does not answer or has no such actor.
 */
export interface RemoteLookup {
  /** A server's instance actor, by domain (with its port where it has one): NodeInfo's FEP-2677 link, else `relay@domain`. */
  instanceActor(domain: string): Promise<Actor | null>;
  /** An actor by `user@host` (WebFinger) or by URL. */
  actor(address: string): Promise<Actor | null>;
}

/** What an instance without federation answers. */
export const NO_REMOTE_LOOKUP: RemoteLookup = {
  instanceActor: async () => null,
  actor: async () => null,
};
