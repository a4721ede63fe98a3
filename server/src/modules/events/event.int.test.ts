import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildUser, expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const CREATE = `mutation($input: String!, $a: ID!, $d: String!, $b: DateTime!, $e: DateTime, $addr: AddressInput, $opts: EventOptionsInput, $tags: [String], $meta: [EventMetadataInput], $vis: EventVisibility, $join: EventJoinOptions, $draft: Boolean, $cat: EventCategory, $online: String, $ext: String) {
  createEvent(title: $input, organizerActorId: $a, description: $d, beginsOn: $b, endsOn: $e, physicalAddress: $addr, options: $opts, tags: $tags, metadata: $meta, visibility: $vis, joinOptions: $join, draft: $draft, category: $cat, onlineAddress: $online, externalParticipationUrl: $ext) {
    id uuid url title description beginsOn endsOn status visibility joinOptions draft category onlineAddress
    physicalAddress { description street locality postalCode country geom timezone }
    options { maximumAttendeeCapacity remainingAttendeeCapacity showRemainingAttendeeCapacity timezone commentModeration hideNumberOfParticipants isOnline }
    tags { title slug } metadata { key value type } organizerActor { id preferredUsername } participantStats { going creator }
  }
}`;

const inDays = (d: number, h = 18) => {
  const t = new Date();
  t.setUTCDate(t.getUTCDate() + d);
  t.setUTCHours(h, 0, 0, 0);
  return t.toISOString();
};

type Created = { createEvent: { id: string; uuid: string; [k: string]: unknown } };

async function createEvent(inst: TestInstance, u: { accessToken: string; actor: { id: number } }, vars: Record<string, unknown> = {}) {
  const r = await inst.gql<Created>(CREATE, { input: "An event", a: String(u.actor.id), d: "<p>Hello</p>", b: inDays(7), e: inDays(7, 21), ...vars }, u.accessToken);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.createEvent;
}

describe("events", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("publish an event with every option, read it back", async () => {
    const u = await buildUser(inst);
    const e = await createEvent(inst, u, {
      input: "  Atelier   vélo  ",
      d: `<p>Bring <b>tools</b><script>alert(1)</script> <a href="https://example.org">link</a></p>`,
      addr: { description: "Maison des associations", street: "1 rue de la Paix", locality: "Paris", postalCode: "75002", country: "France", geom: "2.3316;48.8691" },
      opts: { maximumAttendeeCapacity: 20, showRemainingAttendeeCapacity: true, commentModeration: "MODERATED", hideNumberOfParticipants: false },
      tags: ["#Vélo", "vélo", "Repair café"],
      meta: [
        { key: "mz:live:peertube:url", value: "https://video.example.org/w/abc", type: "STRING" },
        { key: "mz:accessibility:wheelchairAccessible", value: "true", type: "BOOLEAN" },
      ],
      cat: "COMMUNITY",
    });
    assert.equal(e.title, "Atelier vélo");
    assert.equal(e.description, `<p>Bring <strong>tools</strong> <a href="https://example.org" rel="noopener noreferrer ugc" target="_blank">link</a></p>`);
    assert.deepEqual(e.physicalAddress, { description: "Maison des associations", street: "1 rue de la Paix", locality: "Paris", postalCode: "75002", country: "France", geom: "2.3316;48.8691", timezone: "Europe/Paris" });
    assert.deepEqual(e.options, { maximumAttendeeCapacity: 20, remainingAttendeeCapacity: 20, showRemainingAttendeeCapacity: true, timezone: "Europe/Paris", commentModeration: "MODERATED", hideNumberOfParticipants: false, isOnline: false });
    assert.deepEqual(e.tags, [{ title: "Repair café", slug: "repair-cafe" }, { title: "Vélo", slug: "velo" }]);
    assert.equal((e.metadata as unknown[]).length, 2);
    assert.deepEqual(e.participantStats, { going: 1, creator: 1 });
    assert.equal(e.url, `http://convene.test/events/${e.uuid}`);

    const read = await inst.gql<{ event: { title: string; organizerActor: { preferredUsername: string } } }>(`query($u: UUID!) { event(uuid: $u) { title organizerActor { preferredUsername } } }`, { u: e.uuid });
    assert.equal(read.data.event.title, "Atelier vélo");
    assert.equal(read.data.event.organizerActor.preferredUsername, u.username);
  });

  test("bad input is refused and changes nothing", async () => {
    const u = await buildUser(inst);
    const other = await buildUser(inst);
    const cases: [Record<string, unknown>, string, string | null][] = [
      [{ b: inDays(3), e: inDays(2) }, "validation", "endsOn"],
      [{ opts: { timezone: "Mars/Olympus" } }, "bad_request", null],
      [{ meta: [{ key: "mz:live:youtube:url", value: "javascript:alert(1)" }] }, "validation", "metadata"],
      [{ join: "EXTERNAL" }, "validation", "externalParticipationUrl"],
      [{ tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, "validation", "tags"],
      [{ input: "   " }, "validation", "title"],
      [{ opts: { maximumAttendeeCapacity: -1 } }, "validation", "options.maximumAttendeeCapacity"],
      [{ online: "not a url" }, "validation", "onlineAddress"],
      [{ addr: { geom: "200;100" } }, "bad_request", null],
      [{ a: String(other.actor.id) }, "forbidden", "organizerActorId"],
    ];
    for (const [vars, code, field] of cases) {
      const r = await inst.gql(CREATE, { input: "Bad", a: String(u.actor.id), d: "x", b: inDays(1), ...vars }, u.accessToken);
      const err = expectError(r, code);
      if (field) assert.equal(err.field, field, JSON.stringify(vars));
    }
    expectError(await inst.gql(CREATE, { input: "Anon", a: String(u.actor.id), d: "x", b: inDays(1) }), "unauthenticated");
    const mine = await inst.gql<{ loggedPerson: { organizedEvents: { total: number } } }>(`{ loggedPerson { organizedEvents { total } } }`, {}, u.accessToken);
    assert.equal(mine.data.loggedPerson.organizedEvents.total, 0);
  });

  test("drafts are private to their organizer until published", async () => {
    const u = await buildUser(inst);
    const stranger = await buildUser(inst);
    const e = await createEvent(inst, u, { input: "Secret plan", draft: true });
    const q = `query($u: UUID!) { event(uuid: $u) { title draft } }`;
    expectError(await inst.gql(q, { u: e.uuid }, stranger.accessToken), "not_found");
    expectError(await inst.gql(q, { u: e.uuid }), "not_found");
    const drafts = await inst.gql<{ loggedUser: { drafts: { total: number; elements: { title: string }[] } } }>(`{ loggedUser { drafts { total elements { title } } } }`, {}, u.accessToken);
    assert.deepEqual(drafts.data.loggedUser.drafts, { total: 1, elements: [{ title: "Secret plan" }] });
    const search = await inst.gql<{ searchEvents: { total: number } }>(`{ searchEvents(term: "secret") { total } }`);
    assert.equal(search.data.searchEvents.total, 0);

    await inst.gql(`mutation($id: ID!) { updateEvent(eventId: $id, draft: false) { draft } }`, { id: e.id }, u.accessToken);
    assert.equal((await inst.gql<{ event: { draft: boolean } }>(q, { u: e.uuid }, stranger.accessToken)).data.event.draft, false);
    assert.equal((await inst.gql<{ searchEvents: { total: number } }>(`{ searchEvents(term: "secret") { total } }`)).data.searchEvents.total, 1);
  });

  test("unlisted events are reachable by link but never listed; private events exist only for their people", async () => {
    const u = await buildUser(inst);
    const stranger = await buildUser(inst);
    const unlisted = await createEvent(inst, u, { input: "Zebra unlisted gathering", vis: "UNLISTED" });
    const priv = await createEvent(inst, u, { input: "Zebra private gathering", vis: "PRIVATE" });
    const q = `query($u: UUID!) { event(uuid: $u) { title } }`;
    assert.equal((await inst.gql<{ event: { title: string } }>(q, { u: unlisted.uuid })).data.event.title, "Zebra unlisted gathering");
    expectError(await inst.gql(q, { u: priv.uuid }, stranger.accessToken), "not_found");
    assert.equal((await inst.gql<{ event: { title: string } }>(q, { u: priv.uuid }, u.accessToken)).data.event.title, "Zebra private gathering");
    const search = await inst.gql<{ searchEvents: { total: number } }>(`{ searchEvents(term: "zebra") { total } }`, {}, stranger.accessToken);
    assert.equal(search.data.searchEvents.total, 0);
    const listed = await inst.gql<{ events: { elements: { title: string }[] } }>(`{ events(limit: 100) { elements { title } } }`);
    assert.ok(!listed.data.events.elements.some((x) => x.title.startsWith("Zebra")));
    const theirs = await inst.gql<{ fetchPerson: { organizedEvents: { total: number } } }>(`{ fetchPerson(preferredUsername: "${u.username}") { organizedEvents { total } } }`, {}, stranger.accessToken);
    assert.equal(theirs.data.fetchPerson.organizedEvents.total, 0);
    expectError(await inst.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id } }`, { e: priv.id, a: String(stranger.actor.id) }, stranger.accessToken), "not_found");
    expectError(await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, title: "Mine now") { id } }`, { e: priv.id }, stranger.accessToken), "forbidden");
  });

  test("only the organizer edits; the organizer or a moderator deletes", async () => {
    const u = await buildUser(inst);
    const stranger = await buildUser(inst);
    const mod = await buildUser(inst, { role: "MODERATOR" });
    const e = await createEvent(inst, u);
    expectError(await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, title: "Hijacked") { id } }`, { e: e.id }, stranger.accessToken), "forbidden");
    expectError(await inst.gql(`mutation($e: ID!) { deleteEvent(eventId: $e) { id } }`, { e: e.id }, stranger.accessToken), "forbidden");
    expectError(await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, title: "Moderated") { id } }`, { e: e.id }, mod.accessToken), "forbidden");
    const up = await inst.gql<{ updateEvent: { title: string; visibility: string } }>(`mutation($e: ID!) { updateEvent(eventId: $e, title: "Renamed") { title visibility } }`, { e: e.id }, u.accessToken);
    assert.deepEqual(up.data.updateEvent, { title: "Renamed", visibility: "PUBLIC" });
    const del = await inst.gql<{ deleteEvent: { id: string } }>(`mutation($e: ID!) { deleteEvent(eventId: $e) { id } }`, { e: e.id }, mod.accessToken);
    assert.equal(del.data.deleteEvent.id, e.id);
    expectError(await inst.gql(`query($u: UUID!) { event(uuid: $u) { id } }`, { u: e.uuid }), "not_found");
  });

  test("search: accent- and case-insensitive text, tags, category, online or in person, radius, dates, sorting", async () => {
    const u = await buildUser(inst);
    await createEvent(inst, u, { input: "Réunion publique du quartier", tags: ["Urbanisme"], cat: "MOVEMENTS_POLITICS", addr: { locality: "Lyon", geom: "4.8357;45.7640" } });
    await createEvent(inst, u, { input: "Online reunion of the choir", opts: { isOnline: true }, online: "https://meet.example.org/choir", cat: "MUSIC", b: inDays(2) });
    await createEvent(inst, u, { input: "Marseille reunion", addr: { locality: "Marseille", geom: "5.3698;43.2965" }, b: inDays(3) });
    await createEvent(inst, u, { input: "Past reunion", b: inDays(-10), e: inDays(-10, 20) });
    const titles = async (args: string) =>
      (await inst.gql<{ searchEvents: { elements: { title: string }[] } }>(`{ searchEvents(${args}, limit: 50) { total elements { ... on Event { title } } } }`)).data.searchEvents.elements.map((x) => x.title).sort();
    assert.deepEqual(await titles(`term: "REUNION"`), ["Marseille reunion", "Online reunion of the choir", "Réunion publique du quartier"]);
    assert.deepEqual(await titles(`term: "réunion quart"`), ["Réunion publique du quartier"]);
    assert.deepEqual(await titles(`term: "reunion", tags: "urbanisme"`), ["Réunion publique du quartier"]);
    assert.deepEqual(await titles(`term: "reunion", categoryOneOf: ["MUSIC"]`), ["Online reunion of the choir"]);
    assert.deepEqual(await titles(`term: "reunion", type: ONLINE`), ["Online reunion of the choir"]);
    // Lyon's geohash "u05kq" with 25 km finds Lyon only; 300 km reaches Marseille (~280 km away).
    assert.deepEqual(await titles(`term: "reunion", location: "u05kq", radius: 25`), ["Réunion publique du quartier"]);
    assert.deepEqual(await titles(`term: "reunion", location: "u05kq", radius: 300`), ["Marseille reunion", "Réunion publique du quartier"]);
    assert.deepEqual(await titles(`term: "reunion", beginsOn: "${inDays(-30)}", endsOn: "${inDays(-5)}"`), ["Past reunion"]);
    const sorted = await inst.gql<{ searchEvents: { elements: { title: string }[] } }>(`{ searchEvents(term: "reunion", sortBy: START_TIME_ASC) { elements { ... on Event { title } } } }`);
    assert.equal(sorted.data.searchEvents.elements[0].title, "Online reunion of the choir");
    const tags = await inst.gql<{ tags: { slug: string }[] }>(`{ tags(filter: "urba") { slug } }`);
    assert.deepEqual(tags.data.tags.map((t) => t.slug), ["urbanisme"]);
    expectError(await inst.gql(`{ searchEvents(location: "not a geohash!") { total } }`), "validation");
  });

  test("the programme and the conditions' texts are cleaned like descriptions", async () => {
    const u = await buildUser(inst);
    const e = await createEvent(inst, u, {
      opts: { program: `<p>Doors at 7</p><script>alert(1)</script><img src="https://tracker.example/x.gif" onerror="alert(2)">`, participationConditions: [{ title: "Rules", content: `<p>Be kind</p><iframe src="https://evil.example"></iframe>`, url: null }] },
    });
    const r = await inst.gql<{ event: { options: { program: string; participationConditions: { content: string }[] } } }>(
      `query($u: UUID!) { event(uuid: $u) { options { program participationConditions { content } } } }`,
      { u: e.uuid },
    );
    assert.equal(r.data.event.options.program, "<p>Doors at 7</p>");
    assert.equal(r.data.event.options.participationConditions[0].content, "<p>Be kind</p>");
  });

  test("tags in any script: one slug rule to store and to search", async () => {
    const u = await buildUser(inst);
    const e = await createEvent(inst, u, { tags: ["音楽", "Café Crème", "日本 音楽"] });
    const tags = (e.tags as { slug: string }[]).map((t) => t.slug).sort();
    assert.deepEqual(tags, ["cafe-creme", "日本-音楽", "音楽"]);
    const find = async (t: string) => (await inst.gql<{ searchEvents: { elements: { uuid: string }[] } }>(`query($t: String) { searchEvents(tags: $t) { elements { ... on Event { uuid } } } }`, { t })).data.searchEvents.elements.map((x) => x.uuid);
    assert.deepEqual(await find("音楽"), [e.uuid]);
    assert.deepEqual(await find("#café crème"), [e.uuid]);
    assert.deepEqual(await find("日本 音楽"), [e.uuid]);
    assert.deepEqual(await find("!!!"), [], "a tag of punctuation only matches nothing (and is no error)");
    const auto = await inst.gql<{ tags: { title: string }[] }>(`{ tags(filter: "音") { title } }`);
    assert.ok(auto.data.tags.some((t) => t.title === "音楽"));
    expectError(await inst.gql(CREATE, { input: "x", a: String(u.actor.id), d: "x", b: inDays(7), tags: ["!!!"] }, u.accessToken), "validation");
  });

  test("migration 0006 renames tags stored under the old rule and merges those that now share a slug", async () => {
    const { up } = await import("../../db/migrations/0006-tag-slugs.ts");
    const db = inst.database.db;
    const u = await buildUser(inst);
    const e1 = await createEvent(inst, u);
    const e2 = await createEvent(inst, u);
    const ids = async (rows: { title: string; slug: string }[]) => {
      const out: number[] = [];
      for (const r of rows) out.push((await db.insertInto("tags").values(r).returning("id").executeTakeFirstOrThrow()).id);
      return out;
    };
    // As the old rule stored them: ASCII slugs, the lower-cased title when nothing ASCII was left.
    const [spaced, accented, plain] = await ids([
      { title: "Fête Noël", slug: "fete-noel-old" },
      { title: "Fête noël", slug: "fête noël" },
      { title: "Choir 音楽", slug: "choir" },
    ]);
    const e1Id = (await inst.services.events.findByRef({ uuid: e1.uuid }))!.id;
    const e2Id = (await inst.services.events.findByRef({ uuid: e2.uuid }))!.id;
    await db.insertInto("event_tags").values([{ event_id: e1Id, tag_id: spaced }, { event_id: e2Id, tag_id: accented }, { event_id: e2Id, tag_id: plain }]).execute();
    await up(db);
    const after = await db.selectFrom("tags").select(["id", "slug"]).where("id", "in", [spaced, accented, plain]).orderBy("id").execute();
    assert.deepEqual(after.map((r) => ({ ...r })), [{ id: spaced, slug: "fete-noel" }, { id: plain, slug: "choir-音楽" }]);
    const of = async (eventId: number) => (await db.selectFrom("event_tags").select("tag_id").where("event_id", "=", eventId).orderBy("tag_id").execute()).map((r) => r.tag_id);
    assert.deepEqual(await of(e1Id), [spaced]);
    assert.deepEqual(await of(e2Id), [spaced, plain], "the merged tag's event now carries the survivor");
  });
});
