import type * as Argon2 from "@node-rs/argon2";
import { rateLimits, type Db, type Executor, type Tx } from "../../db/index.ts";
import {
  addMs,
  addressKey,
  DomainError,
  HOUR,
  invalid,
  MINUTE,
  SECOND,
  newToken,
  hashToken,
  notFound,
  type Clock,
  type Bus,
  type Urls,
  type JobQueue,
  type OutgoingEmail,
} from "../../kernel/index.ts";
import { AccessTokens, REFRESH_TOKEN_TTL_MS } from "./auth.tokens.ts";
import { confirmationEmail, emailChangeNewEmail, emailChangeOldEmail, passwordChangedEmail, resetEmail } from "./user.emails.ts";
import { UserEvents, type UserEvent, type UserField } from "./user.events.ts";
import { accountAccess, requireAdmin, requireModerator, requireUser } from "./user.policy.ts";
import { userRepository as repo } from "./user.repository.ts";
import {
  ACTIVITY_KEYS,
  ACTIVITY_METHODS,
  checkPassword,
  checkTimezone,
  listMatches,
  normaliseEmail,
  normaliseLocale,
  NOTIFICATION_PENDING,
  USER_ROLES,
  type ActivitySetting,
  type NotificationPending,
  type User,
  type UserRole,
  type UserSettings,
} from "./user.types.ts";

export type UsersDeps = {
  db: Db;
  clock: Clock;
  queue: JobQueue<Executor>;
  bus: Bus<Tx, UserEvent>;
  tokens: AccessTokens;
  urls: Urls;
  settings: {
    instanceName: string;
    defaultLocale: string;
    registrations: { open: boolean; allowlist: string[]; denylist: string[] };
  };
};

export type Session = { accessToken: string; refreshToken: string; user: User };

const CONFIRM_TTL = 48 * HOUR;
const RESET_TTL = 2 * HOUR;
const LOGIN_WINDOW = 15 * MINUTE;
const LOGIN_MAX_PER_PAIR = 10;
const LOGIN_MAX_PER_ADDRESS = 50;
const LOGIN_SLOW_AFTER = 20;
const LOGIN_CEILING = 100;
const LOGIN_SLOW_INTERVAL = 10 * SECOND;
const MAIL_WINDOW = HOUR;
const MAIL_MAX_PER_EMAIL = 5;
const REGISTER_MAX_PER_ADDRESS = 20;

// Argon2id with the library's OWASP-aligned defaults (19 MiB, 2 passes). A dummy hash is verified for unknown
// accounts so that a login answers in the same time whether the account exists or not.
// 2 = Argon2id in the library's Algorithm enum (a const enum, which type stripping cannot read).
const ARGON = { algorithm: 2 } as const;

// The native argon2 module is loaded with the first password to hash or check: a server at rest does not map it.
let argon2: Promise<typeof Argon2> | null = null;
const loadArgon2 = () => (argon2 ??= import("@node-rs/argon2"));
const hash = async (password: string, opts: Argon2.Options) => (await loadArgon2()).hash(password, opts);
/** Checks a password against its hash; a malformed hash is a mismatch. */
const verify = async (passwordHash: string, password: string) => (await loadArgon2()).verify(passwordHash, password);
let dummyHash: Promise<string> | null = null;

/** Use cases of accounts: registration, confirmation, sessions, passwords, e-mail, settings, administration. */
export class UserService {
  private readonly d: UsersDeps;
  constructor(d: UsersDeps) {
    this.d = d;
  }

  private now() {
    return this.d.clock.now();
  }

  private mailCtx(user: { email: string; locale: string }, to = user.email) {
    return { to, locale: user.locale, instanceName: this.d.settings.instanceName, urls: this.d.urls };
  }

  private async sendEmail(tx: Executor, email: OutgoingEmail) {
    await this.d.queue.enqueue(tx, "email.send", email as unknown as Record<string, unknown>, { queue: "mailers" });
  }

  private async limit(key: string, windowMs: number, max: number) {
    const hits = await rateLimits.hit(this.d.db, key, windowMs, this.now());
    if (hits > max) throw new DomainError("rate_limited", "Too many attempts, please try again later");
  }

  /** Hashes a password with argon2id. */
  hashPassword(password: string): Promise<string> {
    return hash(password, ARGON);
  }

  // ---------------------------------------------------------------- registration

  /** Creates an unconfirmed account and e-mails its confirmation link (createUser). */
  async register(input: { email: string; password: string; locale?: string | null }, ip: string | null): Promise<User> {
    const email = normaliseEmail(input.email);
    checkPassword(input.password, email);
    const { open, allowlist, denylist } = this.d.settings.registrations;
    if (listMatches(denylist, email)) throw new DomainError("email_not_allowed", "Your email is not on the allowlist", "email");
    if (!open && !listMatches(allowlist, email))
      throw new DomainError("registrations_closed", "Registrations are not open", "email");
    if (ip) await this.limit(`register:ip:${addressKey(ip)}`, HOUR, REGISTER_MAX_PER_ADDRESS);
    const locale = normaliseLocale(input.locale, this.d.settings.defaultLocale);
    const passwordHash = await this.hashPassword(input.password);
    return this.d.db.transaction().execute(async (tx) => {
      if (await repo.emailTaken(tx, email)) throw new DomainError("conflict", "This email is already used.", "email");
      const now = this.now();
      const user = await repo.insert(tx, { email, passwordHash, role: "USER", locale, confirmedAt: null, now });
      await this.issueConfirmation(tx, user);
      await this.d.bus.emit({ type: UserEvents.Registered, payload: { userId: user.id } }, tx);
      return user;
    });
  }

  private async issueConfirmation(tx: Tx, user: User) {
    const token = newToken();
    const now = this.now();
    await repo.insertToken(tx, { userId: user.id, kind: "confirm", tokenHash: hashToken(token), expiresAt: addMs(now, CONFIRM_TTL), now });
    await repo.update(tx, user.id, { confirmationSentAt: now }, now);
    await this.sendEmail(tx, confirmationEmail(this.mailCtx(user), token));
  }

  /** Sends the confirmation link again; answers the same whatever the address (resendConfirmationEmail). */
  async resendConfirmation(rawEmail: string, locale?: string | null): Promise<string> {
    const email = normaliseEmail(rawEmail);
    await this.limit(`mail:confirm:${email}`, MAIL_WINDOW, MAIL_MAX_PER_EMAIL);
    await this.d.db.transaction().execute(async (tx) => {
      const found = await repo.findByEmail(tx, email);
      if (!found || found.user.confirmedAt) return;
      const user = locale ? await repo.update(tx, found.user.id, { locale: normaliseLocale(locale, found.user.locale) }, this.now()) : found.user;
      await this.issueConfirmation(tx, user);
    });
    return email;
  }

  /** Confirms the account with the e-mailed token and opens a session (validateUser). */
  async confirm(token: string): Promise<Session> {
    const user = await this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const t = await repo.consumeToken(tx, "confirm", hashToken(token), now);
      if (!t) throw new DomainError("invalid_token", "The token you provided is invalid. Make sure that the URL is exactly the one provided inside the email you got.", "token");
      const u = await repo.update(tx, t.userId, { confirmedAt: now }, now);
      await this.d.bus.emit({ type: UserEvents.Confirmed, payload: { userId: u.id } }, tx);
      return u;
    });
    return this.openSession(user, null);
  }

  // ---------------------------------------------------------------- sessions

  /**
   * Checks the password and opens a session (login). Every attempt is counted before the password is verified, so
   * concurrent guesses cannot all slip under the limit while the first ones are being checked:
   * - per account and address: LOGIN_MAX_PER_PAIR attempts a window (a guesser at one address is stopped there);
   * - per address: LOGIN_MAX_PER_ADDRESS attempts a window, whatever the accounts (password spraying);
   * - per account from everywhere: past LOGIN_SLOW_AFTER attempts a window, each address the account never signed in
   *   from gets one attempt every LOGIN_SLOW_INTERVAL, and past LOGIN_CEILING none at all. Guessing from many addresses
   *   slows to a crawl, while the owner at an address they used before is never slowed or locked out.
   * A successful attempt is taken back from the counts. Counters are keyed by a hash of the address typed: the key's
   * size does not depend on what a stranger sends.
   */
  async login(rawEmail: string, password: string, ip: string | null): Promise<Session> {
    const email = rawEmail.trim().toLowerCase();
    const failed = () => new DomainError("bad_credentials", "Impossible to authenticate, either your email or password are invalid.");
    if (email.length > 254 || password.length > 1000) throw failed();
    const now = this.now();
    const from = ip ? addressKey(ip) : "unknown";
    const who = hashToken(email).slice(0, 22);
    const pairKey = `login:pair:${who}:${from}`;
    const addressKeyName = `login:ip:${from}`;
    const accountKey = `login:account:${who}`;
    const tooMany = () => new DomainError("rate_limited", "Too many login attempts, please try again in a few minutes");
    const [pair, address, account] = await Promise.all([pairKey, addressKeyName, accountKey].map((k) => rateLimits.hit(this.d.db, k, LOGIN_WINDOW, now)));
    if (pair > LOGIN_MAX_PER_PAIR || address > LOGIN_MAX_PER_ADDRESS) throw tooMany();

    const found = await repo.findByEmail(this.d.db, email);
    const knownAddress = !!(found && ip && [found.user.currentSignInIp, found.user.lastSignInIp].some((known) => known && addressKey(known) === from));
    if (account > LOGIN_SLOW_AFTER && !knownAddress) {
      if (account > LOGIN_CEILING) throw new DomainError("rate_limited", "This account is under a flood of login attempts: sign in from a device you used before, or try again in a few minutes");
      const paced = await rateLimits.hit(this.d.db, `login:paced:${who}:${from}`, LOGIN_SLOW_INTERVAL, now);
      if (paced > 1) throw new DomainError("rate_limited", "Many attempts were made on this account: please wait a few seconds before trying again");
    }
    dummyHash ??= this.hashPassword("not a real password, only for timing");
    const ok = await verify(found?.passwordHash ?? (await dummyHash), password).catch(() => false);
    if (!found || !ok) throw failed();
    if (!found.user.confirmedAt) throw new DomainError("account_not_confirmed", "User not confirmed", "email");
    if (found.user.disabled) throw new DomainError("account_disabled", "This user has been disabled", "email");
    await rateLimits.reset(this.d.db, pairKey);
    await rateLimits.undo(this.d.db, addressKeyName);
    await rateLimits.undo(this.d.db, accountKey);
    return this.openSession(found.user, ip);
  }

  private async openSession(user: User, ip: string | null): Promise<Session> {
    const now = this.now();
    const refreshToken = newToken();
    const updated = await this.d.db.transaction().execute(async (tx) => {
      await repo.insertRefreshToken(tx, { userId: user.id, tokenHash: hashToken(refreshToken), family: newToken(12), expiresAt: addMs(now, REFRESH_TOKEN_TTL_MS), now });
      return repo.update(
        tx,
        user.id,
        { lastSignInAt: user.currentSignInAt, lastSignInIp: user.currentSignInIp, currentSignInAt: now, currentSignInIp: ip },
        now,
      );
    });
    return { accessToken: this.d.tokens.sign(user.id, now), refreshToken, user: updated };
  }

  /** Rotates a refresh token; a token used twice revokes its whole family (refreshToken). */
  async refresh(token: string): Promise<{ accessToken: string; refreshToken: string }> {
    const now = this.now();
    const invalidToken = () => new DomainError("invalid_token", "Cannot refresh the token", "refreshToken");
    const found = await repo.findRefreshToken(this.d.db, hashToken(token));
    if (!found || found.revokedAt || found.expiresAt.getTime() <= now.getTime()) throw invalidToken();
    const user = await repo.findById(this.d.db, found.userId);
    if (!user || user.disabled) throw invalidToken();
    const next = newToken();
    const won = await this.d.db.transaction().execute(async (tx) => {
      if (!(await repo.useRefreshToken(tx, found.id, now))) {
        // Reuse of a rotated token: someone else holds a copy. End every session of this family.
        await repo.revokeRefreshFamily(tx, found.family, now);
        return false;
      }
      await repo.insertRefreshToken(tx, { userId: user.id, tokenHash: hashToken(next), family: found.family, expiresAt: addMs(now, REFRESH_TOKEN_TTL_MS), now });
      return true;
    });
    if (!won) throw invalidToken();
    return { accessToken: this.d.tokens.sign(user.id, now), refreshToken: next };
  }

  /** Ends the session of this refresh token (logout). */
  async logout(user: User | null, token: string): Promise<string> {
    const u = requireUser(user);
    const found = await repo.findRefreshToken(this.d.db, hashToken(token));
    if (!found || found.userId !== u.id) throw new DomainError("invalid_token", "Token not found", "refreshToken");
    await repo.revokeRefreshFamily(this.d.db, found.family, this.now());
    return token;
  }

  /** The user an access token stands for, if the token is valid and the account usable. */
  async authenticate(accessToken: string): Promise<User | null> {
    const now = this.now();
    const claims = this.d.tokens.verify(accessToken, now);
    if (!claims) return null;
    const user = await repo.findById(this.d.db, claims.userId);
    if (!user || user.disabled || !user.confirmedAt) return null;
    // Tokens issued before a password change are void.
    if (user.passwordChangedAt && claims.issuedAt.getTime() < Math.floor(user.passwordChangedAt.getTime() / 1000) * 1000) return null;
    return user;
  }

  // ---------------------------------------------------------------- passwords

  /** E-mails a reset link; answers the same whether the address is known or not (sendResetPassword). */
  async sendResetPassword(rawEmail: string, locale?: string | null): Promise<string> {
    const email = normaliseEmail(rawEmail);
    await this.limit(`mail:reset:${email}`, MAIL_WINDOW, MAIL_MAX_PER_EMAIL);
    await this.d.db.transaction().execute(async (tx) => {
      const found = await repo.findByEmail(tx, email);
      if (!found || found.user.disabled) return;
      const now = this.now();
      const token = newToken();
      await repo.insertToken(tx, { userId: found.user.id, kind: "reset", tokenHash: hashToken(token), expiresAt: addMs(now, RESET_TTL), now });
      const l = locale ? normaliseLocale(locale, found.user.locale) : found.user.locale;
      await this.sendEmail(tx, resetEmail(this.mailCtx({ email, locale: l }), token));
    });
    return email;
  }

  /** Sets a new password with a reset token, ends every session, opens a new one (resetPassword). */
  async resetPassword(token: string, password: string): Promise<Session> {
    checkPassword(password, null);
    const passwordHash = await this.hashPassword(password);
    const user = await this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const t = await repo.consumeToken(tx, "reset", hashToken(token), now);
      if (!t) throw new DomainError("invalid_token", "The token you provided is invalid. Make sure that the URL is exactly the one provided inside the email you got.", "token");
      const current = await repo.findById(tx, t.userId);
      if (!current || current.disabled) throw new DomainError("invalid_token", "The token you provided is invalid.", "token");
      checkPassword(password, current.email); // throws: the transaction rolls back and the token stays usable
      await repo.revokeAllRefreshTokens(tx, current.id, now);
      await repo.voidTokens(tx, current.id, ["reset"]);
      // The link proved the mailbox is theirs: an unconfirmed account becomes confirmed.
      const updated = await repo.update(tx, current.id, { passwordHash, passwordChangedAt: now, confirmedAt: current.confirmedAt ?? now }, now);
      await this.updated(tx, current.id, ["password"]);
      return updated;
    });
    return this.openSession(user, null);
  }

  /** Changes the password after checking the old one; ends every other session (changePassword). */
  async changePassword(user: User | null, oldPassword: string, newPassword: string): Promise<User> {
    const u = requireUser(user);
    const current = await repo.passwordHash(this.d.db, u.id);
    if (!current || !(await verify(current, oldPassword).catch(() => false)))
      throw new DomainError("bad_credentials", "The current password is invalid", "oldPassword");
    if (oldPassword === newPassword) throw invalid("newPassword", "The new password must be different");
    checkPassword(newPassword, u.email, "newPassword");
    const passwordHash = await this.hashPassword(newPassword);
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      await repo.revokeAllRefreshTokens(tx, u.id, now);
      // A reset link sent before the change would let whoever holds it undo it.
      await repo.voidTokens(tx, u.id, ["reset"]);
      const updated = await repo.update(tx, u.id, { passwordHash, passwordChangedAt: now }, now);
      await this.updated(tx, u.id, ["password"]);
      await this.sendEmail(tx, passwordChangedEmail(this.mailCtx(updated)));
      return updated;
    });
  }

  // ---------------------------------------------------------------- e-mail change

  /** Starts an e-mail change: confirmation to the new address, notice to the old one (changeEmail). */
  async changeEmail(user: User | null, rawEmail: string, password: string): Promise<User> {
    const u = requireUser(user);
    const current = await repo.passwordHash(this.d.db, u.id);
    if (!current || !(await verify(current, password).catch(() => false)))
      throw new DomainError("bad_credentials", "The password provided is invalid", "password");
    const email = normaliseEmail(rawEmail);
    if (email === u.email) throw invalid("email", "The new email must be different");
    if (listMatches(this.d.settings.registrations.denylist, email))
      throw new DomainError("email_not_allowed", "Your email is not on the allowlist", "email");
    return this.d.db.transaction().execute(async (tx) => {
      if (await repo.emailTaken(tx, email, u.id)) throw new DomainError("conflict", "The new email is already in use", "email");
      const now = this.now();
      const token = newToken();
      await repo.insertToken(tx, { userId: u.id, kind: "email_change", tokenHash: hashToken(token), data: email, expiresAt: addMs(now, CONFIRM_TTL), now });
      const updated = await repo.update(tx, u.id, { unconfirmedEmail: email }, now);
      await this.updated(tx, u.id, ["email"]);
      await this.sendEmail(tx, emailChangeNewEmail(this.mailCtx(u, email), token));
      await this.sendEmail(tx, emailChangeOldEmail(this.mailCtx(u), email));
      return updated;
    });
  }

  /** Completes an e-mail change with the token sent to the new address (validateEmail). */
  async validateEmail(token: string): Promise<User> {
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      const t = await repo.consumeToken(tx, "email_change", hashToken(token), now);
      if (!t || !t.data) throw new DomainError("invalid_token", "The token you provided is invalid.", "token");
      const user = await repo.findById(tx, t.userId);
      if (!user || user.unconfirmedEmail !== t.data) throw new DomainError("invalid_token", "The token you provided is invalid.", "token");
      const clash = await repo.findByEmail(tx, t.data);
      if (clash) throw new DomainError("conflict", "The new email is already in use", "email");
      const updated = await repo.update(tx, user.id, { email: t.data, unconfirmedEmail: null }, now);
      await this.updated(tx, user.id, ["email"]);
      return updated;
    });
  }

  // ---------------------------------------------------------------- account

  /**
   * Deletes an account and its identities (deleteAccount). The owner confirms with the password; an administrator may
   * delete another account by id.
   */
  async deleteAccount(caller: User | null, opts: { password?: string | null; userId?: number | null }): Promise<{ id: number }> {
    const u = requireUser(caller);
    let targetId = u.id;
    if (opts.userId != null && opts.userId !== u.id) {
      requireAdmin(u);
      targetId = opts.userId;
    } else {
      const current = await repo.passwordHash(this.d.db, u.id);
      if (!opts.password || !current || !(await verify(current, opts.password).catch(() => false)))
        throw new DomainError("bad_credentials", "The password provided is invalid", "password");
    }
    return this.deleteById(targetId);
  }

  /** Deletes an account by id, without checks (CLI, housekeeping). */
  async deleteById(id: number): Promise<{ id: number }> {
    return this.d.db.transaction().execute(async (tx) => {
      const user = await repo.findById(tx, id);
      if (!user) throw notFound("User");
      await this.d.bus.emit({ type: UserEvents.Deleted, payload: { userId: id } }, tx);
      await repo.delete(tx, id);
      return { id };
    });
  }

  /** Saves the interface language (updateLocale). */
  async updateLocale(user: User | null, locale: string | null | undefined): Promise<User> {
    const u = requireUser(user);
    const l = normaliseLocale(locale, "");
    if (!l) throw invalid("locale", "Unsupported locale");
    return this.d.db.transaction().execute(async (tx) => {
      const updated = await repo.update(tx, u.id, { locale: l }, this.now());
      await this.updated(tx, u.id, ["locale"]);
      return updated;
    });
  }

  /** Settings of a user; pass the caller's transaction when inside one. */
  async settings(userId: number, tx: Executor = this.d.db): Promise<UserSettings | null> {
    return repo.settings(tx, userId);
  }

  /** The notification toggles an account saved (its defaults are the client's), for its owner only. */
  async activitySettings(viewer: User | null, account: User): Promise<ActivitySetting[]> {
    return accountAccess(viewer, account) === "owner" ? repo.activitySettings(this.d.db, account.id) : [];
  }

  /**
   * Saves one notification toggle (updateActivitySetting): which activity, told how. Kept now; the notifications
   * feature reads them when it sends.
   */
  async setActivitySetting(user: User | null, input: ActivitySetting): Promise<ActivitySetting> {
    const u = requireUser(user);
    if (!(ACTIVITY_KEYS as readonly string[]).includes(input.key)) throw invalid("key", `Unknown activity ${input.key.slice(0, 50)}`);
    if (!(ACTIVITY_METHODS as readonly string[]).includes(input.method)) throw invalid("method", `Unknown method ${input.method.slice(0, 50)}`);
    await this.d.db.transaction().execute(async (tx) => {
      await repo.setActivitySetting(tx, u.id, input);
      await this.updated(tx, u.id, ["activity_settings"]);
    });
    return { key: input.key, method: input.method, enabled: input.enabled };
  }

  /** The settings of an account, for its owner only (User.settings). */
  async settingsFor(viewer: User | null, account: User): Promise<UserSettings | null> {
    return accountAccess(viewer, account) === "owner" ? repo.settings(this.d.db, account.id) : null;
  }

  /** Saves notification, timezone and location settings (setUserSettings). */
  async setSettings(
    user: User | null,
    input: Partial<{
      timezone: string | null;
      notificationOnDay: boolean | null;
      notificationEachWeek: boolean | null;
      notificationBeforeEvent: boolean | null;
      notificationPendingParticipation: string | null;
      notificationPendingMembership: string | null;
      groupNotifications: string | null;
      location: { name?: string | null; geohash?: string | null; range?: number | null } | null;
    }>,
  ): Promise<UserSettings> {
    const u = requireUser(user);
    const pending = (field: string, v: string | null | undefined): NotificationPending | undefined => {
      if (v == null) return undefined;
      if (!(NOTIFICATION_PENDING as readonly string[]).includes(v)) throw invalid(field, `Unknown value ${v}`);
      return v as NotificationPending;
    };
    const bool = (v: boolean | null | undefined) => (v == null ? undefined : v);
    let location: UserSettings["location"] | undefined;
    if (input.location !== undefined) {
      if (input.location === null) location = null;
      else {
        const { name, geohash, range } = input.location;
        if (geohash != null && !/^[0123456789bcdefghjkmnpqrstuvwxyz]{1,12}$/.test(geohash)) throw invalid("location", "Invalid geohash");
        if (range != null && (!Number.isFinite(range) || range < 0 || range > 20000)) throw invalid("location", "Invalid range");
        if (name != null && name.length > 200) throw invalid("location", "Location name too long");
        location = { name: name ?? null, geohash: geohash ?? null, range: range ?? null };
      }
    }
    return this.d.db.transaction().execute(async (tx) => {
      const saved = await repo.updateSettings(
      tx,
      u.id,
      {
        timezone: input.timezone == null ? undefined : checkTimezone(input.timezone),
        notificationOnDay: bool(input.notificationOnDay),
        notificationEachWeek: bool(input.notificationEachWeek),
        notificationBeforeEvent: bool(input.notificationBeforeEvent),
        notificationPendingParticipation: pending("notificationPendingParticipation", input.notificationPendingParticipation),
        notificationPendingMembership: pending("notificationPendingMembership", input.notificationPendingMembership),
        groupNotifications: pending("groupNotifications", input.groupNotifications),
        location,
      },
      this.now(),
    );
      await this.updated(tx, u.id, ["settings"]);
      return saved;
    });
  }

  // ---------------------------------------------------------------- reads and administration

  /** A user by id, or null; pass the caller's transaction when inside one. */
  findById(id: number, tx: Executor = this.d.db): Promise<User | null> {
    return repo.findById(tx, id);
  }

  /** Users by ids (DataLoader batch). */
  findByIds(ids: readonly number[], tx: Executor = this.d.db): Promise<User[]> {
    return repo.findByIds(tx, ids);
  }

  /** The timezone setting of several users (notices in batches). */
  timezonesOf(userIds: readonly number[], tx: Executor = this.d.db): Promise<Map<number, string | null>> {
    return repo.timezonesOf(tx, userIds);
  }

  /** A user by e-mail, or null. */
  async findByEmail(email: string): Promise<User | null> {
    return (await repo.findByEmail(this.d.db, email.trim().toLowerCase()))?.user ?? null;
  }

  /** A user as seen by a moderator or administrator (user(id)). */
  async getForStaff(caller: User | null, id: number): Promise<User> {
    requireModerator(caller);
    const u = await repo.findById(this.d.db, id);
    if (!u) throw notFound("User");
    return u;
  }

  /** Paginated users for moderators (users). */
  async list(caller: User | null, opts: { email?: string | null; ip?: string | null; page?: number | null; limit?: number | null; direction?: string | null }) {
    requireModerator(caller);
    const page = Math.max(1, opts.page ?? 1);
    const limit = Math.min(100, Math.max(1, opts.limit ?? 10));
    return repo.list(this.d.db, { email: opts.email, ip: opts.ip, page, limit, direction: opts.direction === "ASC" ? "asc" : "desc" });
  }

  /** The instance's moderators and administrators, to write to (reports). */
  staffRecipients(): Promise<{ email: string; locale: string }[]> {
    return repo.staffRecipients(this.d.db);
  }

  /** How many confirmed accounts the instance has (statistics). */
  countConfirmed(): Promise<number> {
    return repo.countConfirmed(this.d.db);
  }

  /** Creates a confirmed account directly (CLI `users new`). */
  async adminCreate(input: { email: string; password: string; role?: UserRole; locale?: string }): Promise<User> {
    const email = normaliseEmail(input.email);
    checkPassword(input.password, email);
    const role = input.role ?? "USER";
    if (!USER_ROLES.includes(role)) throw invalid("role", "Unknown role");
    const passwordHash = await this.hashPassword(input.password);
    return this.d.db.transaction().execute(async (tx) => {
      if (await repo.emailTaken(tx, email)) throw new DomainError("conflict", "This email is already used.", "email");
      const now = this.now();
      return repo.insert(tx, { email, passwordHash, role, locale: normaliseLocale(input.locale, this.d.settings.defaultLocale), confirmedAt: now, now });
    });
  }

  /** Changes role, password, e-mail, disabled or confirmed state (CLI `users modify`). */
  async adminModify(
    id: number,
    patch: { role?: UserRole; password?: string; email?: string; disabled?: boolean; confirmed?: boolean },
  ): Promise<User> {
    const user = await repo.findById(this.d.db, id);
    if (!user) throw notFound("User");
    if (patch.role !== undefined && !USER_ROLES.includes(patch.role)) throw invalid("role", "Unknown role");
    const email = patch.email !== undefined ? normaliseEmail(patch.email) : undefined;
    if (patch.password !== undefined) checkPassword(patch.password, email ?? user.email);
    const passwordHash = patch.password !== undefined ? await this.hashPassword(patch.password) : undefined;
    return this.d.db.transaction().execute(async (tx) => {
      const now = this.now();
      if (email !== undefined && email !== user.email && (await repo.emailTaken(tx, email, id)))
        throw new DomainError("conflict", "This email is already used.", "email");
      if (passwordHash !== undefined || patch.disabled) await repo.revokeAllRefreshTokens(tx, id, now);
      if (passwordHash !== undefined) await repo.voidTokens(tx, id, ["reset"]);
      const fields: UserField[] = [];
      if (patch.role !== undefined) fields.push("role");
      if (email !== undefined) fields.push("email");
      if (passwordHash !== undefined) fields.push("password");
      if (patch.disabled !== undefined) fields.push("disabled");
      await this.updated(tx, id, fields);
      return repo.update(
        tx,
        id,
        {
          role: patch.role,
          email,
          passwordHash,
          passwordChangedAt: passwordHash !== undefined ? now : undefined,
          disabled: patch.disabled,
          confirmedAt: patch.confirmed === undefined ? undefined : patch.confirmed ? (user.confirmedAt ?? now) : null,
        },
        now,
      );
    });
  }

  /** Sets the default identity of an account (used by the actors module, which checks ownership). */
  async setDefaultActor(tx: Tx, userId: number, actorId: number | null): Promise<User> {
    const updated = await repo.update(tx, userId, { defaultActorId: actorId }, this.now());
    await this.updated(tx, userId, ["default_actor"]);
    return updated;
  }

  private async updated(tx: Tx, userId: number, fields: UserField[]) {
    if (fields.length) await this.d.bus.emit({ type: UserEvents.Updated, payload: { userId, fields } }, tx);
  }

  /** Deletes accounts never confirmed within the grace period (hourly task). */
  async purgeUnconfirmed(graceMs = CONFIRM_TTL): Promise<number> {
    const ids = await repo.unconfirmedBefore(this.d.db, new Date(this.now().getTime() - graceMs));
    for (const id of ids) await this.deleteById(id);
    await repo.deleteExpiredRefreshTokens(this.d.db, this.now());
    await repo.clearStaleEmailChanges(this.d.db, this.now());
    return ids.length;
  }
}
