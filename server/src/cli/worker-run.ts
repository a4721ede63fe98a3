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
    // The worker's own timers do not hold the process (they must not keep a server from exiting): this one does,
    // until a signal asks the worker to stop.
    const keepAlive = setInterval(() => {}, 60_000);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    clearInterval(keepAlive);
    await closeApp();
  },
};
