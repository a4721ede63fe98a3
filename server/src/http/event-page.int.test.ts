import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createApp } from "../app.ts";
import { createLogger } from "../kernel/index.ts";
import { buildEvent, buildUser, eventually, startInstance, type TestInstance } from "../../test/kit.ts";

describe("event pages for link previews and search engines", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("a public event's page carries its title, description, OpenGraph, canonical link and JSON-LD", async () => {
    const u = await buildUser(inst);
    const e = await buildEvent(inst, u, { title: `Fête "de quartier" </script><b>`, d: "<p>Music &amp; food</p>", addr: { description: "Parc", locality: "Lille", geom: "3.06;50.63" } });
    const res = await inst.http.request(`/events/${e.uuid}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>Fête &quot;de quartier&quot; &lt;\/script&gt;&lt;b&gt; · Convene<\/title>/);
    assert.match(html, /<meta property="og:title" content="Fête &quot;de quartier&quot; &lt;\/script&gt;&lt;b&gt;">/);
    assert.match(html, /<meta name="description" content="Music &amp; food">/);
    assert.match(html, new RegExp(`<link rel="canonical" href="http://convene.test/events/${e.uuid}">`));
    assert.doesNotMatch(html, /noindex/);
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/)![1]);
    assert.equal(ld["@type"], "Event");
    assert.equal(ld.name, `Fête "de quartier" </script><b>`);
    assert.equal(ld.location[0].address.addressLocality, "Lille");
    assert.equal(ld.eventAttendanceMode, "https://schema.org/OfflineEventAttendanceMode");
  });

  test("unlisted events are marked noindex; private and draft events reveal nothing", async () => {
    const u = await buildUser(inst);
    const unlisted = await buildEvent(inst, u, { title: "Quiet one", vis: "UNLISTED" });
    assert.match(await (await inst.http.request(`/events/${unlisted.uuid}`)).text(), /<meta name="robots" content="noindex">/);
    for (const e of [await buildEvent(inst, u, { title: "Hidden party", vis: "PRIVATE" }), await buildEvent(inst, u, { title: "Hidden draft", draft: true })]) {
      const res = await inst.http.request(`/events/${e.uuid}`);
      assert.equal(res.status, 404);
      assert.doesNotMatch(await res.text(), /Hidden/);
    }
  });

  test("a kept page follows every change at once: the event, its organizer's name, by this process or another", async () => {
    const u = await buildUser(inst);
    const e = await buildEvent(inst, u, { title: "First title" });
    const page = async () => (await (await inst.http.request(`/events/${e.uuid}`)).text()).match(/<title>(.*?) · Convene<\/title>/)?.[1];
    assert.equal(await page(), "First title");
    assert.equal(await page(), "First title");
    await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, title: "Second title") { id } }`, { e: e.id }, u.accessToken);
    assert.equal(await page(), "Second title", "this process's write is seen by the next request");
    // Another process on the same database (a second server, the CLI): SQLite's data version, PostgreSQL's notices.
    const other = await createApp(inst.config, { logger: createLogger("silent"), migrate: false });
    try {
      await other.services.events.update(u.principal, { uuid: e.uuid }, { title: "Third title" });
      await eventually(async () => (await page()) === "Third title");
      await other.services.actors.updatePerson(u.principal, u.actor.id, { name: "Renamed organizer" });
      await eventually(async () => (await (await inst.http.request(`/events/${e.uuid}`)).text()).includes("Renamed organizer"));
      await other.services.events.delete(u.principal, { uuid: e.uuid });
      await eventually(async () => (await inst.http.request(`/events/${e.uuid}`)).status === 404);
    } finally {
      await other.close();
    }
  });
});
