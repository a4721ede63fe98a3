import type { Executor } from "../../db/index.ts";
import { invalid, unauthenticated } from "../../kernel/index.ts";
import type { User } from "./user.types.ts";

/** The instance's staff: administrators and moderators (the one place this is decided). */
export const isStaff = (user: User | null): boolean => !!user && (user.role === "ADMINISTRATOR" || user.role === "MODERATOR");

/** A remote actor whose signature the inbox verified. */
export type RemoteCaller = { actorId: number; url: string; domain: string };

type IdentityLoader = (tx: Executor | undefined) => Promise<number[]>;

/**
 * Who is asking, made once per request (GraphQL, HTTP routes) or per inbound activity (the inbox): a local account
 * with its identities and role, a verified remote actor, or nobody. Services take it and check their policies
 * against it, so one rule holds whether the call came from a resolver or from another server.
 */
export class Principal {
  /** Nobody: a visitor, or a request whose token did not check out. */
  static readonly anonymous = new Principal(null, null, null);

  /** A local account; its identities are read on first use, once. */
  static ofUser(user: User, identities: IdentityLoader): Principal {
    return new Principal(user, null, identities);
  }

  /** A remote actor (an inbound activity, a signed fetch): it acts as itself only. */
  static ofRemote(remote: RemoteCaller): Principal {
    return new Principal(null, remote, null);
  }

  readonly user: User | null;
  readonly remote: RemoteCaller | null;
  private readonly load: IdentityLoader | null;
  private memo: Promise<readonly number[]> | null = null;

  private constructor(user: User | null, remote: RemoteCaller | null, load: IdentityLoader | null) {
    this.user = user;
    this.remote = remote;
    this.load = load;
  }

  get kind(): "anonymous" | "local" | "remote" {
    return this.user ? "local" : this.remote ? "remote" : "anonymous";
  }

  /** An administrator or moderator of this instance. */
  get staff(): boolean {
    return isStaff(this.user);
  }

  get admin(): boolean {
    return this.user?.role === "ADMINISTRATOR";
  }

  /** The local account, or "you need to be logged in". */
  requireUser(): User {
    if (!this.user) throw unauthenticated();
    return this.user;
  }

  /** The actors the caller acts as: a local account's profiles, or the remote actor; pass the transaction when inside one. */
  actorIds(tx?: Executor): Promise<readonly number[]> {
    if (this.remote) return Promise.resolve([this.remote.actorId]);
    if (!this.load) return Promise.resolve([]);
    this.memo ??= this.load(tx).catch((e: unknown) => {
      this.memo = null;
      throw e;
    });
    return this.memo;
  }

  /**
   * The identity a logged-in caller acts as: the one named (it must be theirs), else the account's default, else its
   * first profile.
   */
  async identity(actorId: number | null | undefined, field = "actorId"): Promise<number> {
    const user = this.requireUser();
    const own = await this.actorIds();
    const id = actorId ?? (user.defaultActorId !== null && own.includes(user.defaultActorId) ? user.defaultActorId : own[0]);
    if (id == null || !own.includes(id)) throw invalid(field, "This profile is not yours");
    return id;
  }

  /** Whether the caller acts as this actor. */
  async actsAs(actorId: number | null, tx?: Executor): Promise<boolean> {
    return actorId !== null && (await this.actorIds(tx)).includes(actorId);
  }

  /** The caller's identities changed (one was created or deleted): read them again next time. */
  identitiesChanged(): void {
    this.memo = null;
    this.derived.clear();
  }

  private readonly derived = new Map<string, Promise<unknown>>();

  /**
   * Something derived from the caller's identities (their groups and roles), read once per request; pass the
   * transaction when inside one (a read inside a transaction is not kept: it may see what is not committed).
   */
  remember<T>(key: string, read: (tx: Executor | undefined) => Promise<T>, tx?: Executor): Promise<T> {
    if (tx) return read(tx);
    let p = this.derived.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read(undefined).catch((e: unknown) => {
        this.derived.delete(key);
        throw e;
      });
      this.derived.set(key, p);
    }
    return p;
  }

  /**
   * What `remember` kept under `key`, and under the keys it heads (`key:…`), changed (the caller joined or left a
   * group): read it again next time.
   */
  forget(key: string): void {
    for (const k of [...this.derived.keys()]) if (k === key || k.startsWith(`${key}:`)) this.derived.delete(k);
  }
}
