// Malformed paths on every HTTP route are the client's error (4xx), never a 500; nothing outside the web build is
// served; the event page carries user text as text.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, startInstance, type TestInstance } from "../../test/kit.ts";

describe("HTTP routes and malformed paths", () => {
  let inst: TestInstance;
  let web: string;
  before(async () => {
    web = mkdtempSync(join(tmpdir(), "convene-web-"));
    mkdirSync(join(web, "dist", "assets"), { recursive: true });
    writeFileSync(join(web, "dist", "index.html"), "<!doctype html><html><head><title>Convene</title></head><body></body></html>");
    writeFileSync(join(web, "dist", "assets", "app.js"), "console.log(1)");
    mkdirSync(join(web, "dist-old"));
    writeFileSync(join(web, "dist-old", "secret.txt"), "not for the web");
    inst = await startInstance({ WEB_DIST: join(web, "dist") });
  });
  after(async () => {
    await inst.stop();
    rmSync(web, { recursive: true, force: true });
  });

  test("malformed percent-encoding, NUL bytes and odd tokens answer 4xx on every route", async () => {
    const paths = [
      "/%E0",
      "/%E0.js",
      "/assets/%E0.js",
      "/%00",
      "/assets/a%00.js",
      "/events/%E0",
      "/events/%E0/export/ics",
      "/events/00000000-0000-4000-8000-000000000000/export/%E0",
      "/events/going/%00/atom",
      "/events/going/%E0/ics",
      `/events/going/${"x".repeat(5000)}/ics`,
      "/@%E0/feed/atom",
      "/@someone/feed/%00",
      "/feed/instance/%E0",
      "/media/%00.jpg",
      "/media/%E0",
      "/comments/%E0",
      "/comments/%00",
      "/exports/%00/csv",
      "/exports/%E0/%E0",
      "/api?query=%E0",
      "/api?query={config{name}}&variables=%E0",
      "/participation/email/confirm/%00",
    ];
    const bad: string[] = [];
    for (const p of paths) {
      const res = await inst.http.request(p);
      if (res.status >= 500) bad.push(`${p} → ${res.status}`);
    }
    assert.deepEqual(bad, []);
  });

  test("nothing outside the web build is served, even a folder whose name starts like it", async () => {
    assert.equal((await inst.http.request("/assets/app.js")).status, 200);
    for (const p of ["/..%2Fdist-old%2Fsecret.txt", "/assets/..%2F..%2Fdist-old%2Fsecret.txt", "/%2E%2E%2Fdist-old%2Fsecret.txt"]) {
      const res = await inst.http.request(p);
      assert.notEqual(res.status, 200, p);
      assert.doesNotMatch(await res.text(), /not for the web/);
    }
  });

  test("the event page carries user text as text: $' and $& in a title do not splice the page", async () => {
    const u = await buildUser(inst);
    const title = "Costs $' and $& and $1 and $$ — <b>bold</b>";
    const e = await buildEvent(inst, u, { title });
    const html = await (await inst.http.request(`/events/${e.uuid}`, { headers: { accept: "text/html" } })).text();
    assert.equal(html.match(/<title>/g)?.length, 1, "one title");
    assert.ok(html.includes("<title>Costs $&#39; and $&amp; and $1 and $$ — &lt;b&gt;bold&lt;/b&gt; · Convene</title>"), html.slice(0, 600));
    assert.equal(html.match(/<\/html>/g)?.length, 1, "the page is not spliced into itself");
  });
});
