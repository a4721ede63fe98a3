import { randomBytes } from "node:crypto";
import type { Db } from "./database.ts";

/**
 * The instance's signing secret: SECRET_KEY when configured, otherwise generated once and kept in the database so
 * that every process of the instance (server, workers, CLI) signs and verifies with the same key.
 */
export async function instanceSecret(db: Db, configured: string | null): Promise<string> {
  if (configured) return configured;
  const key = "secret_key";
  const existing = await db.selectFrom("instance_settings").select("value").where("key", "=", key).executeTakeFirst();
  if (existing) return existing.value;
  await db
    .insertInto("instance_settings")
    .values({ key, value: randomBytes(48).toString("base64url") })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db.selectFrom("instance_settings").select("value").where("key", "=", key).executeTakeFirstOrThrow();
  return row.value;
}
