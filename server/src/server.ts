import { ConfigError, loadConfig, type Config } from "./config/index.ts";
import { saveCompileCache } from "./config/runtime.ts";
import { createApp } from "./app.ts";
import { createHttpApp } from "./http/app.ts";
import { serveHttp } from "./http/serve.ts";

/** Stops the start with a message for the person running it (no stack trace). */
function fail(message: string): never {
  process.stderr.write(`Convene cannot start.\n  ${message}\n`);
  process.exit(1);
}

/**
 * What went wrong while opening the data folder or the database, said in terms of the variable to look at; null for
 * an error nobody configured (a bug: its stack trace is worth more).
 */
export function explainStartError(e: unknown, config: Config): string | null {
  const err = e as NodeJS.ErrnoException & { code?: string; address?: string; port?: number };
  if (err?.code === "3D000")
    return `DATABASE_URL: the database does not exist on that server. Create it first (for example: createdb ${new URL(config.database.kind === "postgres" ? config.database.url : "postgres://x/convene").pathname.slice(1)}).`;
  if (err?.code === "28P01" || err?.code === "28000") return `DATABASE_URL: the server refused these credentials (${err.message}).`;
  if (err?.code === "ECONNREFUSED" && config.database.kind === "postgres") return `DATABASE_URL: no PostgreSQL server answers at ${err.address ?? "?"}:${err.port ?? "?"}.`;
  if (err?.code === "ENOTFOUND" && config.database.kind === "postgres") return `DATABASE_URL: the host of the database cannot be found (${err.message}).`;
  if (["ENOENT", "ENOTDIR", "EACCES", "EPERM", "EROFS"].includes(err?.code ?? ""))
    return `DATA_DIR: the data folder ${config.dataDir} cannot be created or written (${err.code}${err.path ? `: ${err.path}` : ""}).`;
  return null;
}

/** Starts the instance: HTTP server, and the job worker unless JOBS_IN_PROCESS=false (entry point: main.ts). */
export async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + "\n");
      process.exit(1);
    }
    throw e;
  }
  let app;
  try {
    app = await createApp(config);
  } catch (e) {
    const explained = explainStartError(e, config);
    if (explained) fail(explained);
    throw e;
  }
  const http = createHttpApp({ config, database: app.database, services: app.services, handler: app.graphql, logger: app.logger, mountFirst: (h) => app.federation.mount(h) });
  if (config.jobsInProcess) {
    app.worker.start();
    app.scheduler.start();
  }
  const server = serveHttp(http, config, { port: config.port, hostname: config.host }, (info) => {
    app.logger.info(`Convene is listening on http://${config.host}:${info.port}, public address ${config.baseUrl}`, {
      database: app.database.dialect,
      mail: config.smtpUrl ? "smtp" : `outbox ${config.mailOutboxDir}`,
    });
    saveCompileCache();
  });
  server.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EADDRINUSE") fail(`PORT: port ${config.port} on ${config.host} is already in use (another Convene, or another server).`);
    if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") fail(`HOST: ${config.host} is not an address of this machine (${e.code}).`);
    if (e.code === "EACCES") fail(`PORT: port ${config.port} needs privileges this process does not have (use a port above 1023 behind a proxy).`);
    throw e;
  });
  const stop = async () => {
    server.close();
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
