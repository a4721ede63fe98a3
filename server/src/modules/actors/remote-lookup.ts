import { rateLimits, type Executor } from "../../db/index.ts";
import { addressKey, DomainError } from "../../kernel/index.ts";
import type { Principal } from "../users/index.ts";
import type { Actor } from "./actor.types.ts";

/** Look-ups on other servers one visitor (account or address) may cause in ten minutes: each costs outbound requests. */
const LOOKUPS_PER_10_MIN = 30;

/** Counts one look-up against the caller's allowance, or refuses it (rate_limited). */
export async function spendLookup(db: Executor, now: Date, caller: Principal, ip: string | null): Promise<void> {
  const who = caller.user ? `user:${caller.user.id}` : `ip:${addressKey(ip ?? "unknown")}`;
  if ((await rateLimits.hit(db, `lookup:${who}`, 10 * 60_000, now)) > LOOKUPS_PER_10_MIN)
    throw new DomainError("rate_limited", "Too many look-ups on other servers, please wait a few minutes");
}

/**
 * Finding actors on other servers (a port: the federation adapter implements it, the composition root plugs it in).
 * Results are stored remote actors; null when the server does not answer or has no such actor.
 */
export interface RemoteLookup {
  /** A server's instance actor, by domain (with its port where it has one): NodeInfo's FEP-2677 link, else `relay@domain`. */
  instanceActor(domain: string): Promise<Actor | null>;
  /** An actor by `user@host` (WebFinger) or by URL. */
  actor(address: string): Promise<Actor | null>;
  /** An object by URL, read from its origin and stored when it is an event: the id of that event here. */
  event(url: string): Promise<number | null>;
  /** Where `account`'s own server lets them act on `uri` (WebFinger's OStatus subscribe template), or null. */
  interactionUrl(account: string, uri: string): Promise<string | null>;
}

/** What an instance without federation answers. */
export const NO_REMOTE_LOOKUP: RemoteLookup = {
  instanceActor: async () => null,
  actor: async () => null,
  event: async () => null,
  interactionUrl: async () => null,
};

/** Whether a search term names something on another server: `@user@host`, `user@host`, or a URL. */
export const isRemoteAddress = (term: string): boolean => /^@?[^@\s/]+@[a-z0-9.-]+(:\d{1,5})?$/i.test(term.trim()) || /^https?:\/\/\S+$/i.test(term.trim());
