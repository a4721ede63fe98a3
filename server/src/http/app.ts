import { Hono } from "hono";
import { sql } from "kysely";
import type { Config } from "../config/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import type { Services } from "../graphql/context.ts";
import type { GraphQLHandler } from "../graphql/handler.ts";
import type { Logger } from "../kernel/index.ts";
import { mountApi } from "./api.route.ts";
import { trustedProxies } from "./client-ip.ts";
import { mountCommentLinks } from "./comment-links.route.ts";
import { mountExports } from "./exports.route.ts";
import { mountFeeds } from "./feeds.route.ts";
import { mountMapTiles } from "./map-tiles.route.ts";
import { mountMedia } from "./media.route.ts";
import { mountEventPages } from "./event-page.route.ts";
import { mountGroupPages } from "./group-page.route.ts";
import { loadIndexHtml, mountWebApp } from "./static.route.ts";

/** The HTTP surface: /api, /healthz, /media, and the web app with its client-side routes. */
export function createHttpApp(deps: {
  config: Config;
  database: DatabaseHandle;
  services: Services;
  handler: GraphQLHandler;
  logger: Logger;
  /** Routes that answer before the pages on the same paths (federation: ActivityStreams for servers). */
  mountFirst?: (app: Hono) => void;
}) {
  const app = new Hono();

  // Each request is one unit of work for the row cache: other processes' changes are looked for once per request.
  // (Security headers are set by the Node server, http/serve.ts.)
  app.use("*", (_c, next) => deps.database.unitOfWork(next));

  app.onError((err, c) => {
    deps.logger.error("unhandled HTTP error", { path: c.req.path, err });
    return c.json({ errors: [{ message: "Internal server error", code: "internal_error", status_code: 500 }] }, 500);
  });

  // Liveness without touching the database (process up and serving); /healthz also checks the database.
  app.get("/livez", (c) => c.json({ status: "ok" }));

  app.get("/healthz", async (c) => {
    try {
      await sql`select 1`.execute(deps.database.db);
      return c.json({ status: "ok" });
    } catch {
      return c.json({ status: "database unreachable" }, 503);
    }
  });

  mountApi(app, { ...deps, proxies: trustedProxies(deps.config.trustProxy) });
  deps.mountFirst?.(app);
  mountMedia(app, deps.services.media);
  mountMapTiles(app);
  mountFeeds(app, deps.services.feeds);
  mountCommentLinks(app, deps.services.comments);
  mountExports(app, deps.config.exportsDir);
  const indexHtml = loadIndexHtml(deps.config.webDist);
  mountEventPages(app, { db: deps.database.db, services: deps.services, indexHtml: () => indexHtml, instanceName: deps.config.instanceName });
  mountGroupPages(app, { services: deps.services, indexHtml: () => indexHtml, instanceName: deps.config.instanceName });
  mountWebApp(app, deps.config.webDist, indexHtml);
  return app;
}
