import { containing, cachedRow, toBool, toDate, type Executor, type UsersTable, type UserSettingsTable } from "../../db/index.ts";
import type { Selectable } from "kysely";
import type { NotificationPending, User, UserRole, UserSettings } from "./user.types.ts";

type Row = Selectable<UsersTable>;

const mapUser = (r: Row): User => ({
  id: r.id,
  email: r.email,
  role: r.role,
  locale: r.locale,
  confirmedAt: toDate(r.confirmed_at),
  confirmationSentAt: toDate(r.confirmation_sent_at),
  disabled: toBool(r.disabled),
  defaultActorId: r.default_actor_id,
  unconfirmedEmail: r.unconfirmed_email,
  currentSignInAt: toDate(r.current_sign_in_at),
  currentSignInIp: r.current_sign_in_ip,
  lastSignInAt: toDate(r.last_sign_in_at),
  lastSignInIp: r.last_sign_in_ip,
  passwordChangedAt: toDate(r.password_changed_at),
  insertedAt: toDate(r.inserted_at),
  updatedAt: toDate(r.updated_at),
});

const mapSettings = (r: Selectable<UserSettingsTable>): UserSettings => ({
  userId: r.user_id,
  timezone: r.timezone,
  notificationOnDay: toBool(r.notification_on_day),
  notificationEachWeek: toBool(r.notification_each_week),
  notificationBeforeEvent: toBool(r.notification_before_event),
  notificationPendingParticipation: r.notification_pending_participation as NotificationPending,
  notificationPendingMembership: r.notification_pending_membership as NotificationPending,
  groupNotifications: r.group_notifications as NotificationPending,
  location:
    r.location_geohash || r.location_name || r.location_range
      ? { name: r.location_name, geohash: r.location_geohash, range: r.location_range }
      : null,
});

export type UserWithHash = { user: User; passwordHash: string };

/** Reads and writes of the users aggregate (user, settings, one-time tokens, refresh tokens). */
export const userRepository = {
  /** Read on every authenticated request: through the row cache (outside transactions). */
  findById(db: Executor, id: number): Promise<User | null> {
    return cachedRow(db, "users", id, async () => {
      const r = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      return r ? mapUser(r) : null;
    });
  },

  async findByIds(db: Executor, ids: readonly number[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom("users").selectAll().where("id", "in", [...ids]).execute();
    return rows.map(mapUser);
  },

  async findByEmail(db: Executor, email: string): Promise<UserWithHash | null> {
    const r = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
    return r ? { user: mapUser(r), passwordHash: r.password_hash } : null;
  },

  async passwordHash(db: Executor, id: number): Promise<string | null> {
    const r = await db.selectFrom("users").select("password_hash").where("id", "=", id).executeTakeFirst();
    return r?.password_hash ?? null;
  },

  /**
   * Whether an account uses this address. A pending e-mail change does not reserve its new address: it would block the
   * address's owner from signing up; the change is checked again when its link is used.
   */
  async emailTaken(db: Executor, email: string, exceptUserId?: number): Promise<boolean> {
    const r = await db
      .selectFrom("users")
      .select("id")
      .where("email", "=", email)
      .$if(exceptUserId !== undefined, (q) => q.where("id", "!=", exceptUserId!))
      .executeTakeFirst();
    return !!r;
  },

  async insert(
    db: Executor,
    v: { email: string; passwordHash: string; role: UserRole; locale: string; confirmedAt: Date | null; now: Date },
  ): Promise<User> {
    const r = await db
      .insertInto("users")
      .values({
        email: v.email,
        password_hash: v.passwordHash,
        role: v.role,
        locale: v.locale,
        confirmed_at: v.confirmedAt,
        disabled: false,
        inserted_at: v.now,
        updated_at: v.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // No settings row yet: "never saved" is what sends Mobilizon's client to its onboarding screens.
    return mapUser(r);
  },

  async update(
    db: Executor,
    id: number,
    patch: Partial<{
      email: string;
      passwordHash: string;
      role: UserRole;
      locale: string;
      confirmedAt: Date | null;
      confirmationSentAt: Date | null;
      disabled: boolean;
      defaultActorId: number | null;
      unconfirmedEmail: string | null;
      currentSignInAt: Date;
      currentSignInIp: string | null;
      lastSignInAt: Date | null;
      lastSignInIp: string | null;
      passwordChangedAt: Date;
    }>,
    now: Date,
  ): Promise<User> {
    const r = await db
      .updateTable("users")
      .set({
        ...(patch.email !== undefined && { email: patch.email }),
        ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
        ...(patch.role !== undefined && { role: patch.role }),
        ...(patch.locale !== undefined && { locale: patch.locale }),
        ...(patch.confirmedAt !== undefined && { confirmed_at: patch.confirmedAt }),
        ...(patch.confirmationSentAt !== undefined && { confirmation_sent_at: patch.confirmationSentAt }),
        ...(patch.disabled !== undefined && { disabled: patch.disabled }),
        ...(patch.defaultActorId !== undefined && { default_actor_id: patch.defaultActorId }),
        ...(patch.unconfirmedEmail !== undefined && { unconfirmed_email: patch.unconfirmedEmail }),
        ...(patch.currentSignInAt !== undefined && { current_sign_in_at: patch.currentSignInAt }),
        ...(patch.currentSignInIp !== undefined && { current_sign_in_ip: patch.currentSignInIp }),
        ...(patch.lastSignInAt !== undefined && { last_sign_in_at: patch.lastSignInAt }),
        ...(patch.lastSignInIp !== undefined && { last_sign_in_ip: patch.lastSignInIp }),
        ...(patch.passwordChangedAt !== undefined && { password_changed_at: patch.passwordChangedAt }),
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return mapUser(r);
  },

  async delete(db: Executor, id: number): Promise<void> {
    await db.deleteFrom("refresh_tokens").where("user_id", "=", id).execute();
    await db.deleteFrom("user_tokens").where("user_id", "=", id).execute();
    await db.deleteFrom("user_settings").where("user_id", "=", id).execute();
    await db.deleteFrom("users").where("id", "=", id).execute();
  },

  async timezonesOf(db: Executor, userIds: readonly number[]): Promise<Map<number, string | null>> {
    if (userIds.length === 0) return new Map();
    const rows = await db.selectFrom("user_settings").select(["user_id", "timezone"]).where("user_id", "in", [...userIds]).execute();
    return new Map(rows.map((r) => [r.user_id, r.timezone]));
  },

  async settings(db: Executor, userId: number): Promise<UserSettings | null> {
    const r = await db.selectFrom("user_settings").selectAll().where("user_id", "=", userId).executeTakeFirst();
    return r ? mapSettings(r) : null;
  },

  async updateSettings(
    db: Executor,
    userId: number,
    patch: Partial<Omit<UserSettings, "userId" | "location">> & { location?: UserSettings["location"] },
    now: Date,
  ): Promise<UserSettings> {
    // The first save creates the row with the defaults; every save then applies the patch.
    await db
      .insertInto("user_settings")
      .values({
        user_id: userId,
        notification_on_day: true,
        notification_each_week: false,
        notification_before_event: false,
        notification_pending_participation: "ONE_DAY",
        notification_pending_membership: "ONE_DAY",
        group_notifications: "ONE_DAY",
        inserted_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("user_id").doNothing())
      .execute();
    const r = await db
      .updateTable("user_settings")
      .set({
        ...(patch.timezone !== undefined && { timezone: patch.timezone }),
        ...(patch.notificationOnDay !== undefined && { notification_on_day: patch.notificationOnDay }),
        ...(patch.notificationEachWeek !== undefined && { notification_each_week: patch.notificationEachWeek }),
        ...(patch.notificationBeforeEvent !== undefined && { notification_before_event: patch.notificationBeforeEvent }),
        ...(patch.notificationPendingParticipation !== undefined && {
          notification_pending_participation: patch.notificationPendingParticipation,
        }),
        ...(patch.notificationPendingMembership !== undefined && {
          notification_pending_membership: patch.notificationPendingMembership,
        }),
        ...(patch.groupNotifications !== undefined && { group_notifications: patch.groupNotifications }),
        ...(patch.location !== undefined && {
          location_name: patch.location?.name ?? null,
          location_geohash: patch.location?.geohash ?? null,
          location_range: patch.location?.range ?? null,
        }),
        updated_at: now,
      })
      .where("user_id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return mapSettings(r);
  },

  async activitySettings(db: Executor, userId: number): Promise<{ key: string; method: string; enabled: boolean }[]> {
    const rows = await db.selectFrom("activity_settings").select(["key", "method", "enabled"]).where("user_id", "=", userId).orderBy("key").orderBy("method").execute();
    return rows.map((r) => ({ key: r.key, method: r.method, enabled: toBool(r.enabled) }));
  },

  async setActivitySetting(db: Executor, userId: number, v: { key: string; method: string; enabled: boolean }): Promise<void> {
    await db
      .insertInto("activity_settings")
      .values({ user_id: userId, key: v.key, method: v.method, enabled: v.enabled })
      .onConflict((oc) => oc.columns(["user_id", "key", "method"]).doUpdateSet({ enabled: v.enabled }))
      .execute();
  },

  /** Where to write to the instance's moderators and administrators (confirmed, active accounts). */
  async staffRecipients(db: Executor): Promise<{ email: string; locale: string }[]> {
    return db
      .selectFrom("users")
      .select(["email", "locale"])
      .where("role", "in", ["ADMINISTRATOR", "MODERATOR"])
      .where("confirmed_at", "is not", null)
      .where("disabled", "=", false as never)
      .orderBy("id")
      .limit(100)
      .execute();
  },
  async countConfirmed(db: Executor): Promise<number> {
    const r = await db.selectFrom("users").select((eb) => eb.fn.countAll<number>().as("n")).where("confirmed_at", "is not", null).where("disabled", "=", false as never).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async list(db: Executor, opts: { email?: string | null; ip?: string | null; page: number; limit: number; direction: "asc" | "desc" }) {
    let q = db.selectFrom("users");
    if (opts.email) q = q.where("email", "like", containing(opts.email));
    if (opts.ip) q = q.where((eb) => eb.or([eb("current_sign_in_ip", "=", opts.ip!), eb("last_sign_in_ip", "=", opts.ip!)]));
    const [{ total }] = await q.select((eb) => eb.fn.countAll<number>().as("total")).execute();
    const rows = await q
      .selectAll()
      .orderBy("id", opts.direction)
      .limit(opts.limit)
      .offset((opts.page - 1) * opts.limit)
      .execute();
    return { total: Number(total), elements: rows.map(mapUser) };
  },

  // --- one-time tokens (confirmation, password reset, e-mail change) ---

  async insertToken(db: Executor, v: { userId: number; kind: "confirm" | "reset" | "email_change"; tokenHash: string; data?: string; expiresAt: Date; now: Date }) {
    // A new link replaces the older ones of the same kind: only the latest e-mail works.
    await db.deleteFrom("user_tokens").where("user_id", "=", v.userId).where("kind", "=", v.kind).execute();
    await db
      .insertInto("user_tokens")
      .values({ user_id: v.userId, kind: v.kind, token_hash: v.tokenHash, data: v.data ?? null, expires_at: v.expiresAt, inserted_at: v.now })
      .execute();
  },

  /** Voids every unused token of these kinds of an account (a password change voids its reset links). */
  async voidTokens(db: Executor, userId: number, kinds: ("confirm" | "reset" | "email_change")[]) {
    await db.deleteFrom("user_tokens").where("user_id", "=", userId).where("kind", "in", kinds).execute();
  },

  /** Forgets pending e-mail changes whose link has expired or been replaced (housekeeping). */
  async clearStaleEmailChanges(db: Executor, now: Date) {
    await db
      .updateTable("users")
      .set({ unconfirmed_email: null })
      .where("unconfirmed_email", "is not", null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("user_tokens")
              .select("user_tokens.id")
              .whereRef("user_tokens.user_id", "=", "users.id")
              .where("user_tokens.kind", "=", "email_change")
              .where("user_tokens.used_at", "is", null)
              .where("user_tokens.expires_at", ">", now),
          ),
        ),
      )
      .execute();
  },

  /** Marks a token used if it is of this kind, unused and unexpired; returns its user and data, or null. */
  async consumeToken(db: Executor, kind: "confirm" | "reset" | "email_change", tokenHash: string, now: Date): Promise<{ userId: number; data: string | null } | null> {
    const r = await db
      .updateTable("user_tokens")
      .set({ used_at: now })
      .where("token_hash", "=", tokenHash)
      .where("kind", "=", kind)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returning(["user_id", "data"])
      .executeTakeFirst();
    return r ? { userId: r.user_id, data: r.data } : null;
  },

  // --- refresh tokens ---

  async insertRefreshToken(db: Executor, v: { userId: number; tokenHash: string; family: string; expiresAt: Date; now: Date }) {
    await db
      .insertInto("refresh_tokens")
      .values({ user_id: v.userId, token_hash: v.tokenHash, family: v.family, expires_at: v.expiresAt, inserted_at: v.now })
      .execute();
  },

  async findRefreshToken(db: Executor, tokenHash: string) {
    const r = await db.selectFrom("refresh_tokens").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();
    return r
      ? { id: r.id, userId: r.user_id, family: r.family, expiresAt: toDate(r.expires_at), usedAt: toDate(r.used_at), revokedAt: toDate(r.revoked_at) }
      : null;
  },

  /** Marks a refresh token used, only if nobody did first (two concurrent refreshes: one wins). */
  async useRefreshToken(db: Executor, id: number, now: Date): Promise<boolean> {
    const r = await db
      .updateTable("refresh_tokens")
      .set({ used_at: now })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async revokeRefreshFamily(db: Executor, family: string, now: Date) {
    await db.updateTable("refresh_tokens").set({ revoked_at: now }).where("family", "=", family).where("revoked_at", "is", null).execute();
  },

  async revokeAllRefreshTokens(db: Executor, userId: number, now: Date) {
    await db.updateTable("refresh_tokens").set({ revoked_at: now }).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
  },

  async deleteExpiredRefreshTokens(db: Executor, now: Date) {
    await db.deleteFrom("refresh_tokens").where("expires_at", "<", now).execute();
  },

  async unconfirmedBefore(db: Executor, before: Date): Promise<number[]> {
    const rows = await db.selectFrom("users").select("id").where("confirmed_at", "is", null).where("inserted_at", "<", before).execute();
    return rows.map((r) => r.id);
  },
};
