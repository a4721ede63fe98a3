import type { Db, Executor, Tx } from "../../db/index.ts";
import type { Bus, Clock, Urls } from "../../kernel/index.ts";
import { ActorEvents, type ActorEvent } from "../actors/index.ts";
import { CommentEvents, type CommentEvent } from "../comments/index.ts";
import { EventEvents, type EventEvent } from "../events/index.ts";
import { PostEvents, type PostEvent } from "../posts/index.ts";
import { ResourceEvents, type ResourceEvent } from "../resources/index.ts";
import { tombstoneRepository as repo } from "./tombstone.repository.ts";
import type { Tombstone } from "./tombstone.types.ts";

export type TombstonesDeps = { db: Db; clock: Clock; urls: Urls; bus: Bus<Tx, ActorEvent | EventEvent | CommentEvent | PostEvent | ResourceEvent> };

/**
 * Remembers what was deleted here, by URL, in the deleting transaction: remote servers that fetch it again learn
 * it is gone for good (410), which Mobilizon requires before it deletes its copy (federation.md §0.5).
 */
export class TombstoneService {
  private readonly d: TombstonesDeps;
  constructor(d: TombstonesDeps) {
    this.d = d;
    d.bus.on(EventEvents.Deleted, (e, tx) => this.record(tx, d.urls.event(e.payload.uuid), "Event", e.payload.organizerActorId));
    d.bus.on(CommentEvents.Deleted, (e, tx) => this.record(tx, e.payload.url, "Note", e.payload.actorId));
    d.bus.on(ActorEvents.Deleted, (e, tx) => this.record(tx, e.payload.url, e.payload.actorType, e.payload.actorId));
    // A published post's copies elsewhere go once its URL answers 410.
    d.bus.on(ResourceEvents.Deleted, (e, tx) => this.record(tx, e.payload.url, e.payload.type === "folder" ? "ResourceCollection" : "Document", e.payload.authorId));
    d.bus.on(PostEvents.Deleted, (e, tx) => (e.payload.draft ? Promise.resolve() : this.record(tx, e.payload.url, "Article", e.payload.authorId)));
  }

  private async record(tx: Tx, uri: string, formerType: string, actorId: number | null) {
    if (this.d.urls.isLocal(uri)) await repo.record(tx, { uri, formerType, actorId, deletedAt: this.d.clock.now() });
  }

  /** The tombstone of a URL of this instance, or null if nothing was deleted there. */
  find(uri: string, tx: Executor = this.d.db): Promise<Tombstone | null> {
    return repo.find(tx, uri);
  }
}
