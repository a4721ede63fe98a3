import type { Hono } from "hono";
import type { Config } from "../config/index.ts";
import type { Db } from "../db/index.ts";
import type { Services } from "../graphql/context.ts";
import type { Logger } from "../kernel/index.ts";
import { Documents } from "./documents.ts";
import { mountActors } from "./routes/actors.route.ts";
import { mountDiscovery } from "./routes/discovery.route.ts";
import { mountObjects } from "./routes/objects.route.ts";

export type FederationDeps = { config: Config; db: Db; services: Services; logger: Logger; version: string };

/**
 * ActivityPub: discovery, the documents of local actors and objects, inboxes and deliveries (docs/adr/0013).
 * With FEDERATION=false none of it is served: the well-known endpoints answer 404.
 */
export class Federation {
  readonly documents: Documents;
  private readonly d: FederationDeps;
  constructor(d: FederationDeps) {
    this.d = d;
    this.documents = new Documents(d.services);
  }

  /** Adds the federation routes to the HTTP app, before the pages (they answer ActivityStreams requests only). */
  mount(app: Hono): void {
    const { config, services } = this.d;
    if (!config.federation) {
      for (const path of ["/.well-known/webfinger", "/.well-known/host-meta", "/.well-known/nodeinfo", "/.well-known/nodeinfo/*", "/relay", "/inbox"])
        app.all(path, (c) => c.json({ error: "this instance does not federate" }, 404));
      return;
    }
    mountDiscovery(app, {
      services,
      version: this.d.version,
      instanceName: config.instanceName,
      instanceDescription: config.instanceDescription,
      openRegistrations: () => config.registrations.open,
    });
    mountActors(app, { db: this.d.db, services, documents: this.documents });
    mountObjects(app, { services, documents: this.documents });
  }
}
