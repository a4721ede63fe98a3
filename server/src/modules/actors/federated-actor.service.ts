import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import type { Db, Executor, Tx } from "../../db/index.ts";
import type { Bus, Clock, Urls } from "../../kernel/index.ts";
import { ActorEvents, type ActorEvent } from "./actor.events.ts";
import { actorRepository as repo } from "./actor.repository.ts";
import type { Actor, ActorKey, RemoteActorInput } from "./actor.types.ts";

const makeKeyPair = promisify(generateKeyPair);

export type FederatedActorsDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, ActorEvent> };

/**
 * Actors as other servers see them: the instance actor (`relay`), the key pair of each local actor (made on first
 * use: most profiles never federate), and remote actors stored from their documents with their public keys.
 */
export class FederatedActorService {
  private readonly d: FederatedActorsDeps;
  private relay: Promise<Actor> | null = null;
  private readonly making = new Map<number, Promise<ActorKey>>();
  private readonly localKeys = new Map<number, ActorKey>();
  constructor(d: FederatedActorsDeps) {
    this.d = d;
  }

  /** The instance actor: an Application named `relay` (Mobilizon's name, which peers fall back to), made on first use. */
  instanceActor(): Promise<Actor> {
    this.relay ??= this.findOrCreateRelay().catch((e: unknown) => {
      this.relay = null;
      throw e;
    });
    return this.relay;
  }

  private async findOrCreateRelay(): Promise<Actor> {
    const existing = await repo.findLocalByUsername(this.d.db, "relay");
    if (existing) return existing;
    try {
      return await this.d.db.transaction().execute(async (tx) => {
        const a = await repo.insert(tx, {
          type: "Application",
          preferredUsername: "relay",
          name: null,
          summary: null,
          url: this.d.urls.relay(),
          userId: null,
          avatarId: null,
          bannerId: null,
          now: this.d.clock.now(),
          // Instance follows are always approved by an administrator, as in Mobilizon.
          manuallyApprovesFollowers: true,
        });
        await this.d.bus.emit({ type: ActorEvents.Created, payload: { actorId: a.id, userId: null } }, tx);
        return a;
      });
    } catch {
      // Another process made it at the same moment.
      return (await repo.findLocalByUsername(this.d.db, "relay"))!;
    }
  }

  /**
   * One of our actors that sends an activity: a deleted one too (its key stays, so that it signs the Delete that tells
   * other servers it is gone). Null when it is not ours.
   */
  async localSender(id: number): Promise<Actor | null> {
    const a = await repo.findByIdEvenDeleted(this.d.db, id);
    return a && a.domain === null ? a : null;
  }

  /** The key pair of a local actor, made and kept on first use (RSA 2048, what every peer reads). */
  async keyPairOf(actor: Pick<Actor, "id" | "url">): Promise<ActorKey> {
    // A local actor's key pair never changes once made: kept in memory (every delivery signs with one).
    const kept = this.localKeys.get(actor.id);
    if (kept) return kept;
    const existing = await repo.keyOf(this.d.db, actor.id);
    if (existing?.privateKeyPem) {
      if (this.localKeys.size > 5_000) this.localKeys.clear();
      this.localKeys.set(actor.id, existing);
      return existing;
    }
    let pending = this.making.get(actor.id);
    if (!pending) {
      pending = (async () => {
        const { publicKey, privateKey } = await makeKeyPair("rsa", {
          modulusLength: 2048,
          publicKeyEncoding: { type: "spki", format: "pem" },
          privateKeyEncoding: { type: "pkcs8", format: "pem" },
        });
        await repo.insertKeyIfAbsent(this.d.db, { actorId: actor.id, keyId: this.d.urls.key(actor.url), publicKeyPem: publicKey, privateKeyPem: privateKey }, this.d.clock.now());
        return (await repo.keyOf(this.d.db, actor.id))!;
      })().finally(() => this.making.delete(actor.id));
      this.making.set(actor.id, pending);
    }
    return pending;
  }

  /** A key we know by its id (a remote actor's, as last read), or null. */
  keyById(keyId: string, tx: Executor = this.d.db): Promise<ActorKey | null> {
    return repo.keyById(tx, keyId);
  }

  /** An actor by its ActivityPub id, deleted ones included. */
  findByUrl(url: string, tx: Executor = this.d.db): Promise<Actor | null> {
    return repo.findByUrl(tx, url);
  }

  /** A copy of a remote actor's avatar or banner, once made, becomes its picture (in the copy's transaction). */
  async setRemotePicture(tx: Tx, actorId: number, kind: "avatar" | "banner", mediaId: number): Promise<void> {
    const a = await repo.findById(tx, actorId);
    if (!a || a.domain === null) return;
    await repo.update(tx, actorId, kind === "avatar" ? { avatarId: mediaId } : { bannerId: mediaId }, this.d.clock.now());
    await this.d.bus.emit({ type: ActorEvents.Updated, payload: { actorId } }, tx);
  }

  /** A remote actor closed on its server: its row stays (a tombstone, so its URL is never taken again), its content goes. */
  async removeRemote(actorId: number): Promise<void> {
    await this.d.db.transaction().execute(async (tx) => {
      const a = await repo.findById(tx, actorId);
      if (!a || a.domain === null) return;
      await this.d.bus.emit({ type: ActorEvents.Deleted, payload: { actorId: a.id, userId: null, url: a.url, actorType: a.type, remote: true } }, tx);
      await repo.softDelete(tx, a.id, this.d.clock.now());
    });
  }

  /** Stores or refreshes a remote actor and its public key, as its server describes it. */
  async persistRemote(input: RemoteActorInput): Promise<Actor> {
    try {
      return await this.persist(input);
    } catch (e) {
      // Another process stored the same actor at the same moment: store this reading over it.
      if (await repo.findByUrl(this.d.db, input.url)) return this.persist(input);
      throw e;
    }
  }

  private persist(input: RemoteActorInput): Promise<Actor> {
    return this.d.db.transaction().execute(async (tx) => {
      const before = await repo.findByUrl(tx, input.url);
      const actor = await repo.upsertRemote(tx, input, this.d.clock.now());
      if (input.publicKey) {
        const key = await repo.keyOf(tx, actor.id);
        if (!key || key.keyId !== input.publicKey.id || key.publicKeyPem !== input.publicKey.pem)
          await repo.setRemoteKey(tx, actor.id, input.publicKey.id, input.publicKey.pem, this.d.clock.now());
      }
      await this.d.bus.emit({ type: before ? ActorEvents.Updated : ActorEvents.Created, payload: before ? { actorId: actor.id } : { actorId: actor.id, userId: null } } as ActorEvent, tx);
      return actor;
    });
  }
}
