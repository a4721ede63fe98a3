import { Migrator, type Migration, type MigrationProvider } from "kysely/migration";
import type { Db } from "./database.ts";
import * as m0001 from "./migrations/0001-foundation.ts";
import * as m0002 from "./migrations/0002-events.ts";
import * as m0003 from "./migrations/0003-row-change-notices.ts";
import * as m0004 from "./migrations/0004-media-change-notices.ts";
import * as m0005 from "./migrations/0005-hardening.ts";
import * as m0006 from "./migrations/0006-tag-slugs.ts";
import * as m0007 from "./migrations/0007-settings-never-saved.ts";
import * as m0008 from "./migrations/0008-page-change-notices.ts";
import * as m0009 from "./migrations/0009-federation.ts";
import * as m0010 from "./migrations/0010-groups.ts";
import * as m0011 from "./migrations/0011-posts.ts";
import * as m0012 from "./migrations/0012-discussions.ts";
import * as m0013 from "./migrations/0013-resources.ts";
import * as m0014 from "./migrations/0014-activities.ts";

/** Every migration in order. Forward-only: a landed migration is never edited; add a new one. */
const MIGRATIONS: Record<string, Migration> = {
  "0001-foundation": m0001,
  "0002-events": m0002,
  "0003-row-change-notices": m0003,
  "0004-media-change-notices": m0004,
  "0005-hardening": m0005,
  "0006-tag-slugs": m0006,
  "0007-settings-never-saved": m0007,
  "0008-page-change-notices": m0008,
  "0009-federation": m0009,
  "0010-groups": m0010,
  "0011-posts": m0011,
  "0012-discussions": m0012,
  "0013-resources": m0013,
  "0014-activities": m0014,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies pending migrations; safe to call from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider, migrationTableName: "schema_migrations", migrationLockTableName: "schema_migrations_lock" });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
