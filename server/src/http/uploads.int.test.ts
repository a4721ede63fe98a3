// Uploads over a real socket: streamed with a byte cap whatever the request declares, refused before reading when the
// caller is a stranger, and accepted in both multipart forms (Mobilizon's Absinthe form and the GraphQL spec's).
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { buildUser, startInstance, type TestInstance } from "../../test/kit.ts";

const BOUNDARY = "----conveneTestBoundary";

/** Opens a chunked multipart POST (no Content-Length) and returns the request and a promise of the answer. */
function openUpload(url: string, token: string | null) {
  const req = request(`${url}/api`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "transfer-encoding": "chunked", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
  return { req, answer };
}

const part = (name: string, value: string) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (name: string) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"; filename="big.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;

describe("uploads over HTTP", () => {
  let inst: TestInstance;
  let url: string;
  let token: string;
  let actorId: number;
  before(async () => {
    inst = await startInstance();
    url = await inst.listen();
    const u = await buildUser(inst);
    token = u.accessToken;
    actorId = u.actor.id;
  });
  after(() => inst.stop());

  test("a 200 MB chunked upload is cut at the limit, and the server's memory does not grow past it", async () => {
    const limit = inst.config.uploads.limit;
    const { req, answer } = openUpload(url, token);
    req.on("error", () => {}); // the server may reset the connection after answering
    req.write(part("query", `mutation($f: Upload!) { uploadMedia(name: "big", file: $f) { id } }`));
    req.write(part("variables", JSON.stringify({ f: "file" })));
    req.write(fileHead("file"));
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    let sent = 0;
    let answered = false;
    void answer.then(() => (answered = true));
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    while (!answered && sent < 200 * 1024 * 1024) {
      // The server may stop reading (and close) once it has answered: wait for either.
      if (!req.write(chunk)) await Promise.race([new Promise((r) => req.once("drain", r)), answer, new Promise((r) => req.once("close", r))]);
      sent += chunk.length;
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      await new Promise((r) => setImmediate(r));
    }
    const res = await answer;
    req.destroy();
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body) as { errors: { message: string; code: string; field: string }[] };
    assert.equal(body.errors[0].code, "validation");
    assert.equal(body.errors[0].field, "file");
    assert.match(body.errors[0].message, /too large/);
    // The answer came once the limit was crossed, not after the 200 MB: what was sent meanwhile sat in socket buffers.
    assert.ok(sent < limit + 20 * 1024 * 1024, `sent ${sent} bytes before the answer`);
    assert.ok(rssPeak - rssBefore < limit + 40 * 1024 * 1024, `memory grew by ${rssPeak - rssBefore} bytes`);
  });

  test("a stranger's multipart body is refused before any of it is read", async () => {
    const { req, answer } = openUpload(url, null);
    req.flushHeaders();
    const res = await answer; // no body byte was written
    req.destroy();
    assert.equal(res.status, 200);
    const body = JSON.parse(res.body) as { errors: { code: string; status_code: number }[] };
    assert.equal(body.errors[0].code, "unauthenticated");
    assert.equal(body.errors[0].status_code, 401);
  });

  test("Mobilizon's upload form: query and variables parts, each file named by its variable's value", async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#336699" } }).png().toBuffer();
    const form = new FormData();
    form.append("query", `mutation($id: ID!, $avatar: MediaInput, $name: String) { updatePerson(id: $id, name: $name, avatar: $avatar) { name avatar { url name } } }`);
    // A text variable that happens to equal a part's name stays text: only Upload positions are bound.
    form.append("variables", JSON.stringify({ id: String(actorId), name: "avatar.media.file", avatar: { media: { name: "me.png", file: "avatar.media.file" } } }));
    form.append("avatar.media.file", new Blob([new Uint8Array(png)], { type: "image/png" }), "me.png");
    const res = await fetch(`${url}/api`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { updatePerson: { name: string; avatar: { url: string; name: string } } }; errors?: unknown };
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(body.data.updatePerson.name, "avatar.media.file");
    assert.equal(body.data.updatePerson.avatar.name, "me.png");
    assert.equal((await fetch(body.data.updatePerson.avatar.url.replace("http://convene.test", url))).status, 200);
  });

  test("malformed multipart bodies are the client's error: 400 with a message", async () => {
    const cases: [string, string][] = [
      ["multipart/form-data", "whatever"],
      [`multipart/form-data; boundary=${BOUNDARY}`, "not a multipart body at all"],
      [`multipart/form-data; boundary=${BOUNDARY}`, `--${BOUNDARY}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n{"query":"{ config { name } }"}\r\n--${BOUNDARY}--\r\n`],
      [`multipart/form-data; boundary=${BOUNDARY}`, `--${BOUNDARY}\r\ncontent-disposition: form-data; name="query"\r\n\r\n{ config { name } }\r\n--${BOUNDARY}\r\ncontent-disposition: form-data; name="variables"\r\n\r\n{nope\r\n--${BOUNDARY}--\r\n`],
    ];
    for (const [type, body] of cases) {
      const res = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${token}` }, body });
      const json = (await res.json()) as { data?: unknown; errors?: { message: string }[] };
      if (res.status === 200) {
        // The one well-formed body (spec form without files) simply runs.
        assert.deepEqual(json.data, { config: { name: "Convene" } });
      } else {
        assert.equal(res.status, 400, `${type} ${body.slice(0, 30)}`);
        assert.ok(json.errors?.[0].message);
        assert.doesNotMatch(json.errors![0].message, /FormData|internal/i);
      }
    }
  });

  test("review findings: a file cut short, one file for many fields, stalled bodies, uploads in flight per account", async () => {
    // A file part cut short (the body ends inside it, with a right Content-Length): a 400, and the server lives on.
    const cut = `--${BOUNDARY}\r\ncontent-disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n${fileHead("f")}abc`;
    const r = await fetch(`${url}/api`, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, authorization: `Bearer ${token}` }, body: cut });
    assert.equal(r.status, 400);
    assert.equal((await fetch(`${url}/livez`)).status, 200, "still serving");
    // One file part bound to several fields (aliases of uploadMedia naming one variable) is refused by the cost.
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).png().toBuffer();
    const many = new FormData();
    many.append("query", `mutation($f: Upload!) { ${Array.from({ length: 10 }, (_, i) => `u${i}: uploadMedia(name: "x", file: $f) { id }`).join(" ")} }`);
    many.append("variables", JSON.stringify({ f: "f" }));
    many.append("f", new Blob([new Uint8Array(png)], { type: "image/png" }), "x.png");
    const m = (await (await fetch(`${url}/api`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: many })).json()) as { errors?: { message: string }[] };
    assert.match(m.errors?.[0].message ?? "", /asks for too much at once/);
    // In the spec's form, a file mapped to two variables is refused.
    const twice = new FormData();
    twice.append("operations", JSON.stringify({ query: `mutation($a: Upload!, $b: Upload!) { a: uploadMedia(name: "a", file: $a) { id } b: uploadMedia(name: "b", file: $b) { id } }`, variables: { a: null, b: null } }));
    twice.append("map", JSON.stringify({ 0: ["variables.a", "variables.b"] }));
    twice.append("0", new Blob([new Uint8Array(png)], { type: "image/png" }), "x.png");
    const t = await fetch(`${url}/api`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: twice });
    assert.equal(t.status, 400);
    assert.match(((await t.json()) as { errors: { message: string }[] }).errors[0].message, /exactly one variable/);
    // Two uploads of one account in flight: a third waits its turn.
    const a = openUpload(url, token);
    const b = openUpload(url, token);
    for (const x of [a, b]) {
      x.req.on("error", () => {});
      x.answer.catch(() => {});
      x.req.write(part("query", "{ __typename }"));
    }
    await new Promise((res) => setTimeout(res, 200));
    const third = await fetch(`${url}/api`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: many });
    const body = (await third.json()) as { errors: { code: string }[] };
    assert.equal(body.errors[0].code, "rate_limited");
    a.req.destroy();
    b.req.destroy();
  });

  test("a body that stops arriving is given up (408) and its bytes go back to the budget", async () => {
    const { readMultipart, UploadBudget } = await import("./multipart.ts");
    const { PassThrough } = await import("node:stream");
    const budget = new UploadBudget(1_000_000);
    const body = new PassThrough();
    const pending = readMultipart(body as never, { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, { fileBytes: 100_000, fieldBytes: 1000, files: 1, fields: 2, idleMs: 150 }, budget);
    body.write(`${fileHead("f")}${"x".repeat(5000)}`);
    const r = await pending;
    assert.deepEqual({ status: "status" in r ? r.status : 200 }, { status: 408 });
    assert.equal(budget.inUse, 0);
  });
});
