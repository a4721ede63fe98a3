import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { MINUTE } from "../../kernel/index.ts";

export const ACCESS_TOKEN_TTL_MS = 15 * MINUTE;
export const REFRESH_TOKEN_TTL_MS = 60 * 24 * 60 * MINUTE;

export type AccessClaims = { userId: number; issuedAt: Date };

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

/** Tokens whose signature and claims were checked, by their text: a busy client sends the same one for 15 minutes. */
const VERIFIED_CACHE_SIZE = 5000;

type Checked = { userId: number; iat: number; exp: number };

/**
 * Signs and verifies short-lived access tokens: HS256 JWTs (RFC 7519) valid 15 minutes, as Mobilizon's clients
 * expect. Written on node:crypto directly: verification is synchronous (a few microseconds) and runs on every API
 * request, where WebCrypto's asynchronous jobs cost a tenth of the request time (see bench/RESULTS.md).
 */
export class AccessTokens {
  private readonly key: KeyObject;
  private readonly issuer: string;
  private readonly verified = new Map<string, Checked>();
  constructor(secret: string, issuer: string) {
    this.key = createSecretKey(Buffer.from(secret, "utf8"));
    this.issuer = issuer;
  }

  private mac(input: string): Buffer {
    return createHmac("sha256", this.key).update(input).digest();
  }

  sign(userId: number, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const payload = Buffer.from(
      JSON.stringify({ typ: "access", sub: String(userId), iss: this.issuer, iat, exp: iat + ACCESS_TOKEN_TTL_MS / 1000 }),
    ).toString("base64url");
    const input = `${HEADER}.${payload}`;
    return `${input}.${this.mac(input).toString("base64url")}`;
  }

  /**
   * The claims of a valid, unexpired access token, or null. A token's signature and claims never change, so a token
   * checked once is remembered (bounded, oldest first out) and only its time window is checked again.
   */
  verify(token: string, now: Date): AccessClaims | null {
    const checked = this.verified.get(token) ?? this.check(token);
    if (!checked) return null;
    const nowS = now.getTime() / 1000;
    if (checked.exp <= nowS || checked.iat > nowS + 60) return null;
    return { userId: checked.userId, issuedAt: new Date(checked.iat * 1000) };
  }

  private check(token: string): Checked | null {
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== HEADER) return null; // only our exact header: no "alg: none" games
    const given = Buffer.from(parts[2], "base64url");
    // Base64url has spare bits, so several spellings decode to one signature: only the one we write is accepted.
    if (given.toString("base64url") !== parts[2]) return null;
    const expected = this.mac(`${parts[0]}.${parts[1]}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: { typ?: unknown; sub?: unknown; iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    } catch {
      return null;
    }
    const userId = Number(claims.sub);
    if (claims.typ !== "access" || claims.iss !== this.issuer || !Number.isSafeInteger(userId)) return null;
    if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return null;
    const checked = { userId, iat: claims.iat, exp: claims.exp };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, checked);
    return checked;
  }
}
