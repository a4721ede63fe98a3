import { randomBytes, randomUUID, createHash } from "node:crypto";

/** A random v4 UUID, used for public object URLs. */
export const newUuid = (): string => randomUUID();

/** An unguessable URL-safe token (e-mail links, refresh tokens, feed tokens). */
export const newToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

/** Tokens are stored hashed so that a database leak does not hand out live links. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("base64url");
