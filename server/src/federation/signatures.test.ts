// Our HTTP Signatures against an independent implementation: Fedify 2.3.6 (what many fediverse servers run) signs,
// we verify; we sign, Fedify verifies. Both schemes Fedify speaks (draft-cavage, RFC 9421) are covered.
import assert from "node:assert/strict";
import { generateKeyPairSync, webcrypto } from "node:crypto";
import { describe, test } from "node:test";
import { signRequest, verifyRequest } from "@fedify/fedify";
import { readSignature, signCavage, type IncomingRequest } from "./signatures.ts";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
const actorUrl = "https://a.example/@alice";
const keyId = `${actorUrl}#main-key`;

async function cryptoKey(): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("pkcs8", privateKey.export({ type: "pkcs8", format: "der" }), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]) as Promise<CryptoKey>;
}

async function incoming(r: Request): Promise<IncomingRequest> {
  const body = r.method === "GET" ? null : new Uint8Array(await r.arrayBuffer());
  return { method: r.method, url: r.url, headers: r.headers, body };
}

const activity = JSON.stringify({ type: "Follow", actor: actorUrl, object: "https://b.example/@bob" });

describe("HTTP Signatures", () => {
  for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"] as const) {
    test(`a POST Fedify signs with ${spec} verifies here, and fails with another key or a changed body`, async () => {
      const req = new Request("https://b.example/inbox", { method: "POST", headers: { "content-type": "application/activity+json" }, body: activity });
      const signed = await signRequest(req, await cryptoKey(), new URL(keyId), { spec });
      const check = readSignature(await incoming(signed.clone()));
      assert.ok(check.ok, check.ok ? "" : check.reason);
      assert.equal(check.keyId, keyId);
      assert.equal(check.verify(publicKeyPem), true);
      assert.equal(check.verify(other), false, "another key does not verify");
      const tampered = await incoming(signed.clone());
      tampered.body = new TextEncoder().encode(activity.replace("Follow", "Block"));
      const bad = readSignature(tampered);
      assert.equal(bad.ok, false, "a body that does not match its digest is refused before any key is fetched");
    });

    test(`a GET Fedify signs with ${spec} verifies here`, async () => {
      const signed = await signRequest(new Request("https://b.example/@bob/outbox?page=2", { headers: { accept: "application/activity+json" } }), await cryptoKey(), new URL(keyId), { spec });
      const check = readSignature(await incoming(signed));
      assert.ok(check.ok && check.verify(publicKeyPem));
    });
  }

  test("a POST signed here (cavage, as Mobilizon needs) verifies with Fedify", async () => {
    const headers = signCavage({ method: "POST", url: "https://b.example/inbox", headers: { "content-type": "application/activity+json" }, body: activity }, { keyId, privateKeyPem });
    const req = new Request("https://b.example/inbox", { method: "POST", headers, body: activity });
    const documentLoader = async (url: string) => {
      assert.equal(url, keyId);
      return {
        contextUrl: null,
        documentUrl: url,
        document: {
          "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
          id: actorUrl,
          type: "Person",
          publicKey: { id: keyId, owner: actorUrl, publicKeyPem },
        },
      };
    };
    const key = await verifyRequest(req, { documentLoader, spec: "draft-cavage-http-signatures-12" });
    assert.ok(key, "Fedify accepts our signature");
    assert.equal(key.id?.href, keyId);
    assert.match(headers.signature, /headers="\(request-target\) host date digest content-type"/);
    assert.match(headers.digest, /^SHA-256=/);
  });

  test("refusals: unsigned, an old Date, a signature that leaves out the digest, a wrong Content-Digest", async () => {
    const plain = { method: "POST", url: "https://b.example/inbox", headers: new Headers({ digest: "SHA-256=x" }), body: new TextEncoder().encode(activity) };
    assert.equal(readSignature(plain).ok, false);
    const old = new Date(Date.now() - 2 * 3600_000);
    const h = signCavage({ method: "POST", url: "https://b.example/inbox", body: activity }, { keyId, privateKeyPem }, old);
    const r = readSignature({ ...plain, headers: new Headers(h) });
    assert.deepEqual([r.ok, !r.ok && r.reason], [false, "the Date is missing or too far from now"]);
    const fresh = signCavage({ method: "POST", url: "https://b.example/inbox", body: activity }, { keyId, privateKeyPem });
    const noDigest = new Headers(fresh);
    noDigest.set("signature", fresh.signature.replace(" digest", ""));
    assert.equal(readSignature({ ...plain, headers: noDigest }).ok, false);
    const wrong = new Headers(fresh);
    wrong.delete("digest");
    wrong.set("content-digest", "sha-256=:AAAA:");
    assert.equal(readSignature({ ...plain, headers: wrong }).ok, false);
  });

  test("a request signed for another server does not verify here, whatever Host it is replayed with; a second digest must match too", async () => {
    const headers = signCavage({ method: "POST", url: "https://evil.example/inbox", headers: { "content-type": "application/activity+json" }, body: activity }, { keyId, privateKeyPem });
    const replayed = new Headers(headers);
    replayed.set("host", "evil.example");
    const r = readSignature({ method: "POST", url: "https://b.example/inbox", headers: replayed, body: new TextEncoder().encode(activity) });
    assert.ok(r.ok && !r.verify(publicKeyPem), "the signed host was evil.example, this is b.example");
    const forged = JSON.stringify({ type: "Delete", actor: actorUrl, object: actorUrl });
    const mixed = new Headers(signCavage({ method: "POST", url: "https://b.example/inbox", headers: { "content-type": "application/activity+json" }, body: activity }, { keyId, privateKeyPem }));
    mixed.set("content-digest", `sha-256=:${(await import("./signatures.ts")).sha256Base64(forged)}:`);
    assert.equal(readSignature({ method: "POST", url: "https://b.example/inbox", headers: mixed, body: new TextEncoder().encode(forged) }).ok, false, "the covered Digest no longer matches");
  });
});
