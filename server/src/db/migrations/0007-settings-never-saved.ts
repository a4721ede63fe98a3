import type { AnyDb } from "../schema-helpers.ts";

/**
 * Accounts used to get a settings row with the defaults when they were created; Mobilizon's client reads a null
 * `loggedUser.settings` as "never saved" and shows its onboarding then (issue 7). Rows never saved since they were
 * made (updated when inserted) go: such accounts read null until their first save, as new ones now do.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.deleteFrom("user_settings").whereRef("updated_at", "=", "inserted_at").execute();
}
