import { isIP } from "node:net";
import { resolve } from "node:path";
import { z } from "zod";

/** A comma-separated list of e-mail addresses or whole domains, lower-cased. */
const emailList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().regex(/^([^@\s]+@)?[a-z0-9.-]+\.[a-z]{2,}$|^[^@\s]+@[a-z0-9.-]+$/, {
        message: "each entry must be an e-mail address or a domain",
      }),
    ),
  );

const bool = (dflt: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return dflt;
      const s = v.toLowerCase();
      if (["1", "true", "yes", "on"].includes(s)) return true;
      if (["0", "false", "no", "off"].includes(s)) return false;
      ctx.addIssue({ code: "custom", message: "must be true or false" });
      return z.NEVER;
    });

/**
 * TRUST_PROXY: `false` (no proxy), `true` (a proxy on this machine: loopback addresses), or the proxies' addresses
 * and CIDR ranges, comma-separated.
 */
const trustProxy = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const s = (v ?? "").trim().toLowerCase();
    if (["", "0", "false", "no", "off"].includes(s)) return [];
    if (["1", "true", "yes", "on", "loopback"].includes(s)) return ["127.0.0.0/8", "::1/128"];
    const ranges = s.split(",").map((r) => r.trim()).filter(Boolean);
    for (const r of ranges) {
      const [address, prefix, extra] = r.split("/");
      const family = isIP(address);
      const max = family === 6 ? 128 : 32;
      if (family === 0 || extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))) {
        ctx.addIssue({ code: "custom", message: `"${r}" is not an address or CIDR range (use true, false, or a list such as 10.0.0.0/8,::1)` });
        return z.NEVER;
      }
    }
    return ranges;
  });

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  HOST: z.string().default("0.0.0.0"),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// URL (leave unset for SQLite)" })
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: "must look like smtp://user:pass@host:port" })
    .optional(),
  EMAIL_FROM: z.email().optional(),
  INSTANCE_NAME: z.string().min(1).max(100).default("Convene"),
  INSTANCE_DESCRIPTION: z.string().max(1000).default("A Convene instance: events and groups for your community."),
  DEFAULT_LOCALE: z.enum(["en", "fr"]).default("en"),
  REGISTRATIONS_OPEN: bool(true),
  REGISTRATIONS_ALLOWLIST: emailList,
  REGISTRATIONS_DENYLIST: emailList,
  SECRET_KEY: z.string().min(32, { message: "must be at least 32 characters" }).optional(),
  JOBS_IN_PROCESS: bool(true),
  ANONYMOUS_PARTICIPATION: bool(true),
  ONLY_ADMINS_CREATE_GROUPS: bool(false),
  FEDERATION: bool(true),
  ALLOW_PRIVATE_ADDRESSES: bool(false),
  GEOCODER: z.enum(["offline", "nominatim", "photon", "addok"]).default("offline"),
  GEOCODER_URL: z.url({ protocol: /^https?$/ }).optional(),
  MAP_TILES_URL: z.string().regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, { message: "must be a tile URL with {z}, {x} and {y}" }).optional(),
  MAP_TILES_ATTRIBUTION: z.string().max(500).optional(),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  WEB_DIST: z.string().optional(),
  UPLOAD_LIMIT: z.coerce.number().int().min(10_000).default(10_485_760),
  AVATAR_UPLOAD_LIMIT: z.coerce.number().int().min(10_000).default(2_097_152),
  BANNER_UPLOAD_LIMIT: z.coerce.number().int().min(10_000).default(4_194_304),
});

export type Config = {
  port: number;
  host: string;
  baseUrl: string;
  hostname: string;
  dataDir: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  smtpUrl: string | null;
  mailOutboxDir: string;
  emailFrom: string;
  instanceName: string;
  instanceDescription: string;
  defaultLocale: "en" | "fr";
  registrations: { open: boolean; allowlist: string[]; denylist: string[] };
  secretKey: string | null;
  jobsInProcess: boolean;
  anonymousParticipation: boolean;
  /** Config.restrictions.onlyAdminCanCreateGroups: only the instance's administrators create groups. */
  onlyAdminsCreateGroups: boolean;
  geocoder: { provider: "offline" | "nominatim" | "photon" | "addok"; url: string | null };
  mapTiles: { url: string; attribution: string } | null;
  /** Addresses and CIDR ranges of trusted reverse proxies; empty when none. */
  trustProxy: string[];
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  webDist: string;
  uploads: { dir: string; limit: number; avatarLimit: number; bannerLimit: number };
  exportsDir: string;
  /** Whether the instance speaks ActivityPub (WebFinger, NodeInfo, inboxes, deliveries). */
  federation: boolean;
  /**
   * Whether outbound fetches and deliveries may reach loopback and private addresses, and `http://` peers are
   * accepted: for tests and closed networks only. False: every such fetch is refused.
   */
  allowPrivateAddresses: boolean;
};

export class ConfigError extends Error {}

/** Reads and validates the configuration from an environment; throws ConfigError naming the wrong variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable counts as unset (`DATABASE_URL= npm start` selects SQLite).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0] ?? "?")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.GEOCODER !== "offline" && !e.GEOCODER_URL) throw new ConfigError(`Invalid configuration:\n  GEOCODER_URL: required when GEOCODER=${e.GEOCODER}`);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  // Relative to the folder the command was run from: npm runs scripts in the project's root but tells where it was
  // called as INIT_CWD, and the README promises ./data of that folder.
  const dataDir = resolve(present.INIT_CWD ?? process.cwd(), e.DATA_DIR);
  const hostname = new URL(baseUrl).host;
  return {
    port: e.PORT,
    host: e.HOST,
    baseUrl,
    hostname,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "sqlite", file: resolve(dataDir, "convene.sqlite") },
    smtpUrl: e.SMTP_URL ?? null,
    mailOutboxDir: resolve(dataDir, "mail"),
    emailFrom: e.EMAIL_FROM ?? `noreply@${new URL(baseUrl).hostname}`,
    instanceName: e.INSTANCE_NAME,
    instanceDescription: e.INSTANCE_DESCRIPTION,
    defaultLocale: e.DEFAULT_LOCALE,
    registrations: {
      open: e.REGISTRATIONS_OPEN,
      allowlist: e.REGISTRATIONS_ALLOWLIST,
      denylist: e.REGISTRATIONS_DENYLIST,
    },
    secretKey: e.SECRET_KEY ?? null,
    jobsInProcess: e.JOBS_IN_PROCESS,
    anonymousParticipation: e.ANONYMOUS_PARTICIPATION,
    onlyAdminsCreateGroups: e.ONLY_ADMINS_CREATE_GROUPS,
    geocoder: { provider: e.GEOCODER, url: e.GEOCODER_URL ?? null },
    mapTiles: e.MAP_TILES_URL ? { url: e.MAP_TILES_URL, attribution: e.MAP_TILES_ATTRIBUTION ?? "" } : null,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    webDist: resolve(e.WEB_DIST ?? new URL("../../../web/dist", import.meta.url).pathname),
    exportsDir: resolve(dataDir, "exports"),
    federation: e.FEDERATION,
    allowPrivateAddresses: e.ALLOW_PRIVATE_ADDRESSES,
    uploads: { dir: resolve(dataDir, "uploads"), limit: e.UPLOAD_LIMIT, avatarLimit: e.AVATAR_UPLOAD_LIMIT, bannerLimit: e.BANNER_UPLOAD_LIMIT },
  };
}
