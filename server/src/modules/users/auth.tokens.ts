import { SignJWT, jwtVerify } from "jose";
import { MINUTE } from "../../kernel/index.ts";

export const ACCESS_TOKEN_TTL_MS = 15 * MINUTE;
export const REFRESH_TOKEN_TTL_MS = 60 * 24 * 60 * MINUTE;

export type AccessClaims = { userId: number; issuedAt: Date };

/** Signs and verifies short-lived access tokens (HS256 JWT, 15 minutes), as Mobilizon's clients expect. */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly issuer: string;
  constructor(secret: string, issuer: string) {
    this.issuer = issuer;
    this.key = new TextEncoder().encode(secret);
  }

  async sign(userId: number, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ typ: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(userId))
      .setIssuer(this.issuer)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ACCESS_TOKEN_TTL_MS / 1000)
      .sign(this.key);
  }

  /** The claims of a valid, unexpired access token, or null. */
  async verify(token: string, now: Date): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.issuer,
        algorithms: ["HS256"],
        currentDate: now,
      });
      const userId = Number(payload.sub);
      if (payload.typ !== "access" || !Number.isInteger(userId) || typeof payload.iat !== "number") return null;
      return { userId, issuedAt: new Date(payload.iat * 1000) };
    } catch {
      return null;
    }
  }
}
