import { createHash, createPublicKey, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from "node:crypto";

/**
 * HTTP Signatures on node:crypto (docs/adr/0013). Outgoing requests are signed with draft-cavage-http-signatures-12,
 * the only scheme Mobilizon understands (it answers 200 even when it cannot read an RFC 9421 signature, so a
 * "double knock" would never happen: federation.md §0). Incoming requests are verified under either scheme: cavage
 * (Mobilizon, Mastodon, Gancio, Pleroma) or RFC 9421 (Fedify-based servers, newer Mastodon).
 */

/** How far a signature's date may be from now, either way (Fedify's default: an hour). */
export const SIGNATURE_WINDOW_MS = 60 * 60_000;

export const sha256Base64 = (body: Uint8Array | string) => createHash("sha256").update(body).digest("base64");

/** The headers of a signed request, cavage style: Date, Digest (with a body), Signature. */
export function signCavage(
  req: { method: string; url: string; headers?: Record<string, string>; body?: Uint8Array | string | null },
  key: { keyId: string; privateKeyPem: string },
  now: Date = new Date(),
): Record<string, string> {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  headers.host = url.host;
  headers.date = now.toUTCString();
  const names = ["(request-target)", "host", "date"];
  if (req.body != null) {
    headers.digest = `SHA-256=${sha256Base64(req.body)}`;
    names.push("digest");
    if (headers["content-type"]) names.push("content-type");
  }
  const target = `${req.method.toLowerCase()} ${url.pathname}${url.search}`;
  const base = names.map((n) => (n === "(request-target)" ? `${n}: ${target}` : `${n}: ${headers[n]}`)).join("\n");
  const signature = cryptoSign("sha256", Buffer.from(base), key.privateKeyPem).toString("base64");
  headers.signature = `keyId="${key.keyId}",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"`;
  delete headers.host; // fetch sets it from the URL
  return headers;
}

export type IncomingRequest = {
  method: string;
  /** The URL as the sender addressed it (the public origin, not the proxy's). */
  url: string;
  headers: Headers;
  /** The exact bytes received (for the digest check), or null for a request without a body. */
  body: Uint8Array | null;
};

export type SignatureCheck =
  | { ok: true; keyId: string; verify: (publicKeyPem: string) => boolean }
  | { ok: false; reason: string; keyId?: string };

/**
 * Reads a request's signature (cavage or RFC 9421) and checks what can be checked without the key: the date window,
 * that the method, target, host and (with a body) digest are covered, and that the digest matches the body. The
 * caller fetches the key named by `keyId` and calls `verify` with its PEM.
 */
export function readSignature(req: IncomingRequest, now: Date = new Date()): SignatureCheck {
  if (!req.headers.get("signature") && !req.headers.get("signature-input") && !/^Signature /i.test(req.headers.get("authorization") ?? "")) return { ok: false, reason: "not signed" };
  if (req.body !== null) {
    const digest = checkDigest(req);
    if (digest) return { ok: false, reason: digest };
  }

  if (req.headers.get("signature-input")) return readRfc9421(req, now);
  const header = req.headers.get("signature") ?? /^Signature (.*)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!header) return { ok: false, reason: "not signed" };
  return readCavage(req, header, now);
}

/**
 * Every digest a request carries — Digest (RFC 3230), Content-Digest (RFC 9530) — must match its body (whichever the
 * signature covers is required by the signature checks): null when they do.
 */
function checkDigest(req: IncomingRequest): string | null {
  const body = req.body!;
  const contentDigest = req.headers.get("content-digest");
  const digest = req.headers.get("digest");
  if (!contentDigest && !digest) return "a request with a body must carry a Digest or Content-Digest";
  if (contentDigest) {
    const m = /(?:^|,)\s*sha-256=:([A-Za-z0-9+/=]+):/i.exec(contentDigest);
    const m512 = /(?:^|,)\s*sha-512=:([A-Za-z0-9+/=]+):/i.exec(contentDigest);
    if (!m && !m512) return "Content-Digest uses no algorithm this server knows (sha-256, sha-512)";
    if (m && m[1] !== sha256Base64(body)) return "Content-Digest does not match the body";
    if (m512 && m512[1] !== createHash("sha512").update(body).digest("base64")) return "Content-Digest does not match the body";
  }
  if (digest) {
    const m = /(?:^|,)\s*SHA-256=([A-Za-z0-9+/=]+)/i.exec(digest);
    if (!m) return "Digest uses no algorithm this server knows (SHA-256)";
    if (m[1] !== sha256Base64(body)) return "Digest does not match the body";
  }
  return null;
}

function parseParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const m of header.matchAll(/([a-zA-Z]+)=(?:"([^"]*)"|(\d+))/g)) params.set(m[1].toLowerCase(), m[2] ?? m[3]);
  return params;
}

function withinWindow(t: number, now: Date): boolean {
  return Number.isFinite(t) && Math.abs(now.getTime() - t) <= SIGNATURE_WINDOW_MS;
}

/** The algorithm a key calls for: RSA keys sign sha256 with PKCS#1 v1.5, Ed25519 keys sign the data itself. */
function verifyWith(publicKeyPem: string, data: Buffer, signature: Buffer, alg?: string): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return false;
  }
  try {
    if (key.asymmetricKeyType === "ed25519") return (!alg || alg === "ed25519" || alg === "hs2019") && cryptoVerify(null, data, key, signature);
    if (key.asymmetricKeyType === "rsa") {
      if (alg === "rsa-pss-sha512") return cryptoVerify("sha512", data, { key, padding: 6, saltLength: 64 }, signature);
      if (alg && !["rsa-sha256", "hs2019", "rsa-v1_5-sha256"].includes(alg)) return false;
      return cryptoVerify("sha256", data, key, signature);
    }
  } catch {
    return false;
  }
  return false;
}

function readCavage(req: IncomingRequest, header: string, now: Date): SignatureCheck {
  const p = parseParams(header);
  const keyId = p.get("keyid");
  const signature = p.get("signature");
  if (!keyId || !signature) return { ok: false, reason: "the signature names no keyId or carries no signature" };
  const names = (p.get("headers") ?? "date").toLowerCase().split(/\s+/).filter(Boolean);
  if (!names.includes("(request-target)")) return { ok: false, keyId, reason: "the signature does not cover (request-target)" };
  if (!names.includes("host")) return { ok: false, keyId, reason: "the signature does not cover host" };
  if (req.body !== null && !(names.includes("digest") && req.headers.get("digest"))) return { ok: false, keyId, reason: "the signature does not cover the digest" };
  if (names.includes("date")) {
    if (!withinWindow(Date.parse(req.headers.get("date") ?? ""), now)) return { ok: false, keyId, reason: "the Date is missing or too far from now" };
  } else if (names.includes("(created)")) {
    if (!withinWindow(Number(p.get("created")) * 1000, now)) return { ok: false, keyId, reason: "the signature was created too long ago" };
  } else return { ok: false, keyId, reason: "the signature covers no date" };
  if (p.get("expires") && Number(p.get("expires")) * 1000 < now.getTime()) return { ok: false, keyId, reason: "the signature has expired" };
  const url = new URL(req.url);
  const line = (n: string, target: string) => {
    if (n === "(request-target)") return `${n}: ${req.method.toLowerCase()} ${target}`;
    if (n === "(created)") return `${n}: ${p.get("created")}`;
    if (n === "(expires)") return `${n}: ${p.get("expires")}`;
    // The signed host is ours (from BASE_URL), never the Host header the sender chose: a request signed for another
    // server and replayed here must not verify (a reverse proxy that rewrites Host changes nothing either).
    if (n === "host") return `host: ${url.host}`;
    return `${n}: ${req.headers.get(n) ?? ""}`;
  };
  const bases = [names.map((n) => line(n, url.pathname + url.search)).join("\n")];
  // Mobilizon signs its GETs without the query string in (request-target).
  if (url.search) bases.push(names.map((n) => line(n, url.pathname)).join("\n"));
  const sig = Buffer.from(signature, "base64");
  const alg = p.get("algorithm")?.toLowerCase();
  return { ok: true, keyId, verify: (pem) => bases.some((b) => verifyWith(pem, Buffer.from(b), sig, alg)) };
}

/** One member of an RFC 8941 inner list with its parameters: `("@method" "@target-uri");created=1;keyid="…"`. */
function parseSignatureInput(value: string): { label: string; components: string[]; params: Map<string, string>; raw: string } | null {
  const m = /^\s*([a-zA-Z0-9_*.-]+)=(\(([^)]*)\)((?:;[a-zA-Z0-9_*.-]+=(?:"[^"]*"|[0-9]+|[a-zA-Z0-9_*.:-]+))*))/.exec(value);
  if (!m) return null;
  const components = [...m[3].matchAll(/"([^"]+)"/g)].map((c) => c[1].toLowerCase());
  const params = new Map<string, string>();
  for (const pm of m[4].matchAll(/;([a-zA-Z0-9_*.-]+)=(?:"([^"]*)"|([^;]+))/g)) params.set(pm[1].toLowerCase(), pm[2] ?? pm[3]);
  return { label: m[1], components, params, raw: m[2] };
}

function readRfc9421(req: IncomingRequest, now: Date): SignatureCheck {
  const input = parseSignatureInput(req.headers.get("signature-input")!);
  if (!input) return { ok: false, reason: "unreadable Signature-Input" };
  const keyId = input.params.get("keyid");
  if (!keyId) return { ok: false, reason: "the signature names no keyid" };
  const sigm = new RegExp(`(?:^|,)\\s*${input.label.replace(/[.*]/g, "\\$&")}=:([A-Za-z0-9+/=]+):`).exec(req.headers.get("signature") ?? "");
  if (!sigm) return { ok: false, keyId, reason: "no signature for the label of Signature-Input" };
  const c = input.components;
  if (!c.includes("@method")) return { ok: false, keyId, reason: "the signature does not cover @method" };
  if (!c.includes("@target-uri") && !(c.includes("@path") && (c.includes("@authority") || c.includes("host"))))
    return { ok: false, keyId, reason: "the signature does not cover the target" };
  if (req.body !== null && !((c.includes("content-digest") && req.headers.get("content-digest")) || (c.includes("digest") && req.headers.get("digest"))))
    return { ok: false, keyId, reason: "the signature does not cover the digest" };
  if (!withinWindow(Number(input.params.get("created")) * 1000, now)) return { ok: false, keyId, reason: "the signature was created too long ago" };
  if (input.params.get("expires") && Number(input.params.get("expires")) * 1000 < now.getTime()) return { ok: false, keyId, reason: "the signature has expired" };
  const url = new URL(req.url);
  const lines: string[] = [];
  for (const name of c) {
    let v: string | null;
    if (name === "@method") v = req.method.toUpperCase();
    else if (name === "@target-uri") v = url.href;
    else if (name === "@authority") v = url.host.toLowerCase();
    else if (name === "@scheme") v = url.protocol.slice(0, -1);
    else if (name === "@path") v = url.pathname;
    else if (name === "@query") v = url.search || "?";
    else if (name === "@request-target") v = url.pathname + url.search;
    else if (name.startsWith("@")) return { ok: false, keyId, reason: `unsupported component ${name}` };
    else v = name === "host" ? url.host : req.headers.get(name);
    if (v === null) return { ok: false, keyId, reason: `the request lacks the signed header ${name}` };
    lines.push(`"${name}": ${v.trim()}`);
  }
  lines.push(`"@signature-params": ${input.raw}`);
  const base = Buffer.from(lines.join("\n"));
  const sig = Buffer.from(sigm[1], "base64");
  const alg = input.params.get("alg")?.toLowerCase();
  return { ok: true, keyId, verify: (pem) => verifyWith(pem, base, sig, alg) };
}
