import { ConfigError, loadConfig } from "./config/index.ts";
import { saveCompileCache } from "./config/runtime.ts";
import { createApp } from "./app.ts";
import { createHttpApp } from "./http/app.ts";
import { serveHttp } from "./http/serve.ts";

/** Starts the instance: HTTP server, and the job worker unless JOBS_IN_PROCESS=false (entry point: main.ts). */
export async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(e.message + "\n");
      process.exit(1);
    }
    throw e;
  }
  const app = await createApp(config);
  const http = createHttpApp({ config, database: app.database, services: app.services, handler: app.graphql, logger: app.logger });
  if (config.jobsInProcess) {
    app.worker.start();
    app.scheduler.start();
  }
  const server = serveHttp(http, config, { port: config.port, hostname: config.host }, (info) => {
    app.logger.info(`Convene is listening on ${config.baseUrl}`, {
      port: info.port,
      database: app.database.dialect,
      mail: config.smtpUrl ? "smtp" : `outbox ${config.mailOutboxDir}`,
    });
    saveCompileCache();
  });
  const stop = async () => {
    server.close();
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

