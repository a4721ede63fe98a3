import { createApp, type App } from "../app.ts";
import { loadConfig } from "../config/index.ts";

let app: App | null = null;

/** Opens the instance (configuration, database, services) for a command; the same wiring as the server. */
export async function openApp(): Promise<App> {
  app ??= await createApp(loadConfig(), { migrate: true });
  return app;
}

export async function closeApp(): Promise<void> {
  await app?.close();
  app = null;
}
