import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { AccessTokens } from "./auth.tokens.ts";

const now = new Date("2026-01-01T12:00:00Z");
const tokens = new AccessTokens("a-secret-that-is-long-enough-for-tests-0123456789", "https://convene.test");

test("a signed token verifies and carries its user", () => {
  const t = tokens.sign(42, now);
  assert.deepEqual(tokens.verify(t, new Date(now.getTime() + 60_000)), { userId: 42, issuedAt: now });
});

test("expired, tampered, foreign and alg-none tokens are refused", () => {
  const t = tokens.sign(42, now);
  assert.equal(tokens.verify(t, new Date(now.getTime() + 16 * 60_000)), null);
  const [h, p, s] = t.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url").toString()), sub: "1" })).toString("base64url");
  assert.equal(tokens.verify(`${h}.${forged}.${s}`, now), null);
  assert.equal(tokens.verify(new AccessTokens("another-secret-entirely-0123456789-abcdefgh", "https://convene.test").sign(42, now), now), null);
  assert.equal(tokens.verify(new AccessTokens("a-secret-that-is-long-enough-for-tests-0123456789", "https://elsewhere").sign(42, now), now), null);
  const none = Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url");
  assert.equal(tokens.verify(`${none}.${p}.`, now), null);
  assert.equal(tokens.verify("not a token", now), null);
});

test("the token is a standard HS256 JWT", () => {
  const t = tokens.sign(7, now);
  const [h, p, s] = t.split(".");
  assert.deepEqual(JSON.parse(Buffer.from(h, "base64url").toString()), { alg: "HS256", typ: "JWT" });
  const sig = createHmac("sha256", "a-secret-that-is-long-enough-for-tests-0123456789").update(`${h}.${p}`).digest("base64url");
  assert.equal(s, sig);
});

test("a token checked once is still refused once expired, and a variant of it is checked afresh", () => {
  const t = tokens.sign(9, now);
  assert.ok(tokens.verify(t, now));
  assert.ok(tokens.verify(t, new Date(now.getTime() + 14 * 60_000)));
  assert.equal(tokens.verify(t, new Date(now.getTime() + 15 * 60_000)), null);
  assert.equal(tokens.verify(t, new Date(now.getTime() - 5 * 60_000)), null, "not valid before it was issued");
  const [h, p, s] = t.split(".");
  const flipped = s.slice(0, -1) + (s.endsWith("A") ? "B" : "A");
  assert.equal(tokens.verify(`${h}.${p}.${flipped}`, now), null);
  assert.equal(tokens.verify(`${h}.${p}.${s}x`, now), null);
});
