import type { Command } from "./cli-kit.ts";
import { closeApp, openApp } from "./context.ts";

export const workerRun: Command = {
  name: "worker",
  usage: "worker",
  summary: "Run the background job worker (when the server runs with JOBS_IN_PROCESS=false)",
  options: {},
  async run(_args, io) {
    const app = await openApp();
    app.worker.start();
    app.scheduler.start();
    io.out("Worker running; Ctrl-C to stop");
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await closeApp();
  },
};
