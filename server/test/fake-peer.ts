// A stand-in remote server for inbox tests: it serves its actors' documents over real HTTP, records what is
// delivered to its inbox (answering like a chosen peer: Mastodon's 202, or Mobilizon's 200 "error"), and signs
// activities with Fedify 2.3.6 (an implementation independent of ours), in either signature scheme.
import { generateKeyPairSync, webcrypto } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { signRequest } from "@fedify/fedify";

export type Delivered = { path: string; headers: IncomingMessage["headers"]; body: Record<string, unknown> & { type?: string; object?: unknown } };

export class FakePeer {
  server!: Server;
  origin = "";
  readonly delivered: Delivered[] = [];
  readonly documents = new Map<string, unknown>();
  /** How the inbox answers: Mastodon-like 202, or Mobilizon's 200 with "error" when it cannot read a signature. */
  answer: (d: Delivered) => { status: number; body: string } = () => ({ status: 202, body: "" });
  private readonly keys = new Map<string, { pem: string; key: CryptoKey }>();

  async start(host = "127.0.0.1"): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        if (req.method === "POST") {
          let body: Delivered["body"] = {};
          try {
            body = JSON.parse(Buffer.concat(chunks).toString());
          } catch {
            /* recorded as empty */
          }
          const d = { path, headers: req.headers, body };
          this.delivered.push(d);
          const a = this.answer(d);
          res.writeHead(a.status, { "content-type": "application/json" }).end(a.body);
          return;
        }
        const doc = this.documents.get(path.split("?")[0]);
        if (doc === undefined) return void res.writeHead(404).end();
        if (doc === 410) return void res.writeHead(410, { "content-type": "application/activity+json" }).end(JSON.stringify({ type: "Tombstone" }));
        if (doc instanceof Uint8Array) return void res.writeHead(200, { "content-type": "image/png" }).end(doc);
        if (typeof doc === "object" && doc !== null && "redirect" in doc) return void res.writeHead(302, { location: String((doc as { redirect: string }).redirect) }).end();
        res.writeHead(200, { "content-type": "application/activity+json" }).end(JSON.stringify(doc));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, host, r));
    this.origin = `http://${host}:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Adds a Person (or another actor type) at `/users/<name>` (or the `path` given) with its own RSA key. */
  async actor(name: string, type = "Person", extra: Record<string, unknown> = {}, path = `/users/${name}`): Promise<string> {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const url = `${this.origin}${path}`;
    const key = (await webcrypto.subtle.importKey("pkcs8", privateKey.export({ type: "pkcs8", format: "der" }), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"])) as CryptoKey;
    this.keys.set(url, { pem: publicKey.export({ type: "spki", format: "pem" }).toString(), key });
    this.documents.set(path, {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id: url,
      type,
      preferredUsername: name,
      name: `${name} (remote)`,
      inbox: `${url}/inbox`,
      outbox: `${url}/outbox`,
      followers: `${url}/followers`,
      endpoints: { sharedInbox: `${this.origin}/inbox` },
      publicKey: { id: `${url}#main-key`, owner: url, publicKeyPem: this.keys.get(url)!.pem },
      ...extra,
    });
    return url;
  }

  /** A request carrying `activity` to `url`, signed by `signer` (an actor of this peer). */
  async signed(url: string, activity: unknown, signer: string, opts: { spec?: "draft-cavage-http-signatures-12" | "rfc9421"; body?: string } = {}): Promise<Request> {
    const body = opts.body ?? JSON.stringify(activity);
    const req = new Request(url, { method: "POST", headers: { "content-type": "application/activity+json" }, body });
    return signRequest(req, this.keys.get(signer)!.key, new URL(`${signer}#main-key`), { spec: opts.spec ?? "draft-cavage-http-signatures-12" });
  }

  /** A GET signed by one of this server's actors (an "authorized fetch"), with Fedify. */
  async signedGet(url: string, signer: string): Promise<Request> {
    const req = new Request(url, { method: "GET", headers: { accept: "application/activity+json" } });
    return signRequest(req, this.keys.get(signer)!.key, new URL(`${signer}#main-key`), { spec: "draft-cavage-http-signatures-12" });
  }

  /** Waits until a delivery matching `pred` arrived. */
  async waitFor(pred: (d: Delivered) => boolean, ms = 10_000): Promise<Delivered> {
    const end = Date.now() + ms;
    for (;;) {
      const found = this.delivered.find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no such delivery within ${ms} ms; got ${JSON.stringify(this.delivered.map((x) => x.body.type))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
