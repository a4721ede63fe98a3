import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signs short strings with a key derived from the instance secret for one purpose only (a signature made for one use
 * is worthless for another). Lets the server hand out links it can check again without storing them.
 */
export class Signer {
  private readonly key: Buffer;
  constructor(secret: string, purpose: string) {
    this.key = createHmac("sha256", secret).update(`convene:${purpose}`).digest();
  }

  /** A URL-safe signature of `data` (43 characters). */
  sign(data: string): string {
    return createHmac("sha256", this.key).update(data).digest("base64url");
  }

  /** Whether `signature` is this signer's signature of `data`, compared in constant time. */
  verify(data: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(data));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
