import { loadConfig } from "../config/index.ts";
import { migrateToLatest, openDatabase } from "../db/index.ts";
import type { Command } from "./cli-kit.ts";

export const dbMigrate: Command = {
  name: "db migrate",
  usage: "db migrate",
  summary: "Apply pending database migrations",
  options: {},
  async run(_args, io) {
    const db = await openDatabase(loadConfig().database);
    try {
      const done = await migrateToLatest(db.db);
      io.out(done.length ? `Applied: ${done.join(", ")}` : "The database is up to date");
    } finally {
      await db.close();
    }
  },
};
