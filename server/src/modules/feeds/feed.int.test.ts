import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SaxesParser } from "saxes";
import { buildEvent, buildUser, expectError, inDays, startInstance, type TestInstance } from "../../../test/kit.ts";

/** Parses an iCalendar document into its events' properties (unfolded), checking the envelope. */
function parseIcs(ics: string): Record<string, string>[] {
  const lines = ics.replace(/\r\n[ \t]/g, "").split("\r\n").filter(Boolean);
  assert.equal(lines[0], "BEGIN:VCALENDAR");
  assert.equal(lines[lines.length - 1], "END:VCALENDAR");
  assert.ok(lines.includes("VERSION:2.0") && lines.some((l) => l.startsWith("PRODID:")));
  const events: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const l of lines) {
    if (l === "BEGIN:VEVENT") cur = {};
    else if (l === "END:VEVENT") {
      events.push(cur!);
      cur = null;
    } else if (cur) {
      const i = l.indexOf(":");
      cur[l.slice(0, i).split(";")[0]] = l.slice(i + 1);
    }
  }
  return events;
}

type AtomEntry = { title: string; titleType: string; id: string; summary: string; content: string; categories: Record<string, string>[] };

/** Parses an Atom feed with a strict XML 1.0 parser (any ill-formed byte fails the test) and returns its entries. */
function parseAtom(xml: string): AtomEntry[] {
  const parser = new SaxesParser({ xmlns: true });
  const entries: AtomEntry[] = [];
  let entry: AtomEntry | null = null;
  let field: string | null = null;
  let root: string | null = null;
  parser.on("error", (e) => assert.fail(`not well-formed XML: ${e.message}`));
  parser.on("opentag", (t) => {
    root ??= `${t.uri} ${t.local}`;
    if (t.local === "entry") entry = { title: "", titleType: "", id: "", summary: "", content: "", categories: [] };
    else if (entry && t.local === "category") entry.categories.push(Object.fromEntries(Object.entries(t.attributes).map(([k, a]) => [k, (a as { value: string }).value])));
    else if (entry && ["title", "id", "summary", "content"].includes(t.local)) {
      field = t.local;
      if (t.local === "title") entry.titleType = (t.attributes.type as { value: string } | undefined)?.value ?? "text";
    }
  });
  parser.on("text", (text) => {
    if (entry && field) (entry as Record<string, unknown>)[field] += text;
  });
  parser.on("closetag", (t) => {
    if (t.local === "entry" && entry) {
      entries.push(entry);
      entry = null;
    } else field = null;
  });
  parser.write(xml).close();
  assert.equal(root, "http://www.w3.org/2005/Atom feed");
  return entries;
}

describe("feeds", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("an event's .ics: valid calendar with the right times, place and status", async () => {
    const u = await buildUser(inst);
    const e = await buildEvent(inst, u, { title: "Bike, repair; café", b: "2027-03-04T17:30:00.000Z", e: "2027-03-04T20:00:00.000Z", addr: { street: "2 place du Marché", locality: "Rennes", geom: "-1.68;48.11" } });
    const res = await inst.http.request(`/events/${e.uuid}/export/ics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/calendar/);
    const [ev] = parseIcs(await res.text());
    assert.equal(ev.SUMMARY, "Bike\\, repair\\; café");
    assert.equal(ev.DTSTART, "20270304T173000Z");
    assert.equal(ev.DTEND, "20270304T200000Z");
    assert.equal(ev.STATUS, "CONFIRMED");
    assert.match(ev.LOCATION, /Rennes/);
    assert.equal(ev.UID, `${e.uuid}@convene.test`);
    assert.equal((await inst.http.request(`/events/${e.uuid}/export/pdf`)).status, 400);
    assert.equal((await inst.http.request(`/events/00000000-0000-0000-0000-000000000000/export/ics`)).status, 404);
  });

  test("private and draft events have no public calendar", async () => {
    const u = await buildUser(inst);
    const priv = await buildEvent(inst, u, { vis: "PRIVATE" });
    const draft = await buildEvent(inst, u, { draft: true });
    assert.equal((await inst.http.request(`/events/${priv.uuid}/export/ics`)).status, 404);
    assert.equal((await inst.http.request(`/events/${draft.uuid}/export/ics`)).status, 404);
  });

  test("a profile's and the instance's feeds list public upcoming events only", async () => {
    const u = await buildUser(inst, { username: "feeder" });
    await buildEvent(inst, u, { title: "Public one" });
    await buildEvent(inst, u, { title: "Unlisted one", vis: "UNLISTED" });
    await buildEvent(inst, u, { title: "Draft one", draft: true });
    const ics = parseIcs(await (await inst.http.request("/@feeder/feed/ics")).text());
    assert.deepEqual(ics.map((x) => x.SUMMARY), ["Public one"]);
    const atom = await inst.http.request("/@feeder/feed/atom");
    assert.match(atom.headers.get("content-type")!, /application\/atom\+xml/);
    assert.deepEqual(parseAtom(await atom.text()).map((x) => x.title), ["Public one"]);
    const instance = parseIcs(await (await inst.http.request("/feed/instance/ics")).text()).map((x) => x.SUMMARY);
    assert.ok(instance.includes("Public one") && !instance.includes("Unlisted one") && !instance.includes("Draft one"));
    assert.equal((await inst.http.request("/@nobody_here/feed/ics")).status, 404);
    assert.equal((await inst.http.request("/@feeder/feed/rss")).status, 400);
  });

  test("a private 'going' feed through a token; revoking it ends it; strangers can't revoke", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const stranger = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Private meetup", vis: "PRIVATE" });
    await inst.services.participations.join(p.principal, { id: Number(e.id) }, p.actor.id, null).catch(() => null);
    const pub = await buildEvent(inst, org, { title: "Open meetup", b: inDays(4) });
    await inst.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id } }`, { e: pub.id, a: String(p.actor.id) }, p.accessToken);
    const created = await inst.gql<{ createFeedToken: { token: string } }>(`mutation { createFeedToken { token } }`, {}, p.accessToken);
    const token = created.data.createFeedToken.token;
    assert.ok(token.length >= 30);
    const list = await inst.gql<{ loggedUser: { feedTokens: { token: string }[] } }>(`{ loggedUser { feedTokens { token } } }`, {}, p.accessToken);
    assert.deepEqual(list.data.loggedUser.feedTokens, [{ token }]);
    const feed = await inst.http.request(`/events/going/${token}/ics`);
    assert.equal(feed.headers.get("cache-control"), "private, max-age=60");
    assert.deepEqual(parseIcs(await feed.text()).map((x) => x.SUMMARY), ["Open meetup"]);
    assert.deepEqual(parseAtom(await (await inst.http.request(`/events/going/${token}/atom`)).text()).map((x) => x.title), ["Open meetup"]);

    expectError(await inst.gql(`mutation($t: String!) { deleteFeedToken(token: $t) { user { id } } }`, { t: token }, stranger.accessToken), "not_found");
    expectError(await inst.gql(`mutation($a: ID) { createFeedToken(actorId: $a) { token } }`, { a: String(p.actor.id) }, stranger.accessToken), "forbidden");
    await inst.gql(`mutation($t: String!) { deleteFeedToken(token: $t) { user { id } } }`, { t: token }, p.accessToken);
    assert.equal((await inst.http.request(`/events/going/${token}/ics`)).status, 404);
  });

  test("every feed parses as XML and carries what users typed as text", async () => {
    const u = await buildUser(inst);
    const hostile = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "Esc \u001b bell \u0007 nonchars \uFFFE\uFFFF end", "]]> & <![CDATA[ x"];
    for (const [i, title] of hostile.entries())
      await buildEvent(inst, u, { title: `T${i} ${title}`, tags: ["<b>", "a&b"], addr: { street: `<i>${i}</i> Main St`, locality: "Lyon" } });
    for (const path of ["/feed/instance/atom", `/@${u.username}/feed/atom`]) {
      const xml = await (await inst.http.request(path)).text();
      const entries = parseAtom(xml).filter((e) => /^T\d /.test(e.title));
      assert.equal(entries.length, hostile.length, path);
      for (const e of entries) {
        assert.equal(e.titleType, "text", "titles are text, never HTML");
        assert.match(e.summary, /<i>\d<\/i> Main St/, "the address is text too");
        assert.deepEqual(e.categories.map((c) => c.label).sort(), ["<b>", "a&b"]);
      }
      assert.ok(entries.some((e) => e.title === "T0 <script>alert(1)</script>"), "the title reads as the user typed it");
      assert.ok(entries.some((e) => e.title === "T2 Esc  bell  nonchars  end"), "characters XML cannot carry are dropped");
    }
    const ics = await (await inst.http.request("/feed/instance/ics")).text();
// eslint-disable-next-line no-control-regex -- these are the characters being removed or looked for
    assert.doesNotMatch(ics, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, "no control characters in calendars either");
  });
});
