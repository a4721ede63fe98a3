// What Mobilizon's own web client depends on beyond the schema (shared/reference/mobilizon-5.1.3-notes.md), one test
// per convention. The operations here are written for these tests in the shapes that client sends.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, expectError, startInstance, type TestInstance } from "../../test/kit.ts";

describe("what Mobilizon's client relies on", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("a person's summary is plain text, kept as typed", async () => {
    const u = await buildUser(inst);
    const r = await inst.gql<{ createPerson: { summary: string } }>(`mutation { createPerson(preferredUsername: "plain_text", summary: "Hi <b>there</b>\\nsecond line") { summary } }`, {}, u.accessToken);
    assert.equal(r.data.createPerson.summary, "Hi <b>there</b>\nsecond line");
  });

  test("hideNumberOfParticipants defaults to false, as Mobilizon's", async () => {
    const u = await buildUser(inst);
    const e = await inst.gql<{ createEvent: { options: { hideNumberOfParticipants: boolean } } }>(
      `mutation($a: ID!) { createEvent(title: "T", description: "D", beginsOn: "2099-01-01T10:00:00Z", organizerActorId: $a) { options { hideNumberOfParticipants } } }`,
      { a: String(u.actor.id) },
      u.accessToken,
    );
    assert.equal(e.data.createEvent.options.hideNumberOfParticipants, false);
  });

  test("participantStats is never null; strangers see how many take part, and nothing when the organizer hid it", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const q = `query($u: UUID!) { event(uuid: $u) { participantStats { going participant notApproved rejected } } }`;
    for (const hidden of [false, true]) {
      const e = await buildEvent(inst, org, { opts: { hideNumberOfParticipants: hidden } });
      await inst.gql(`mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id } }`, { e: e.id, a: String(p.actor.id) }, p.accessToken);
      const stranger = (await inst.gql<{ event: { participantStats: Record<string, number> } }>(q, { u: e.uuid })).data.event.participantStats;
      const participant = (await inst.gql<{ event: { participantStats: Record<string, number> } }>(q, { u: e.uuid }, p.accessToken)).data.event.participantStats;
      const organizer = (await inst.gql<{ event: { participantStats: Record<string, number> } }>(q, { u: e.uuid }, org.accessToken)).data.event.participantStats;
      assert.deepEqual(organizer, { going: 2, participant: 1, notApproved: 0, rejected: 0 });
      const expected = hidden ? { going: 0, participant: 0, notApproved: 0, rejected: 0 } : { going: 2, participant: 1, notApproved: 0, rejected: 0 };
      assert.deepEqual(stranger, expected, `hidden: ${hidden}`);
      assert.deepEqual(participant, expected, `hidden: ${hidden}`);
    }
  });

  test("an anonymous participant's cancellation token works from the answer and from every e-mail until the participation ends", async () => {
    const org = await buildUser(inst);
    const e = await buildEvent(inst, org, { opts: { anonymousParticipation: true } });
    const anon = (await inst.gql<{ config: { anonymous: { actorId: string } } }>(`{ config { anonymous { actorId } } }`)).data.config.anonymous.actorId;
    const joined = await inst.gql<{ joinEvent: { metadata: { cancellationToken: string } } }>(
      `mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a, email: "keeper@example.org") { metadata { cancellationToken } } }`,
      { e: e.id, a: anon },
    );
    const kept = joined.data.joinEvent.metadata.cancellationToken;
    await inst.drain();
    const first = await inst.mailbox.waitFor("keeper@example.org", /./);
    const confirm = first.text.match(/participation\/email\/confirm\/([A-Za-z0-9_-]+)/)![1];
    await inst.gql(`mutation($t: String!) { confirmParticipation(confirmationToken: $t) { role } }`, { t: confirm });
    await inst.drain();
    const links = inst.mailbox.to("keeper@example.org").map((m) => m.text.match(/participation\/email\/cancel\/[0-9a-f-]+\/([A-Za-z0-9_-]+)/)?.[1]);
    assert.equal(links.length, 2);
    assert.deepEqual(links, [kept, kept], "the same token everywhere");
    const L = `mutation($e: ID!, $a: ID!, $t: String) { leaveEvent(eventId: $e, actorId: $a, token: $t) { id } }`;
    // Forged: a real participation's id with a made-up signature.
    expectError(await inst.gql(L, { e: e.id, a: anon, t: kept.slice(0, 32) + "A".repeat(43) }), "invalid_token");
    const left = await inst.gql<{ leaveEvent: { id: string } }>(L, { e: e.id, a: anon, t: kept });
    assert.ok(left.data.leaveEvent.id);
    expectError(await inst.gql(L, { e: e.id, a: anon, t: kept }), "invalid_token");
  });

  test("the search page's operation: events and groups together; groups answer an honest empty page", async () => {
    const u = await buildUser(inst);
    await buildEvent(inst, u, { title: "Bicycle repair café" });
    const r = await inst.gql<{ searchEvents: { total: number }; searchGroups: { total: number; elements: unknown[] } }>(
      `query SearchEventsAndGroups($term: String, $limit: Int) {
        searchEvents(term: $term, limit: $limit) { total elements { id title } }
        searchGroups(term: $term, limit: $limit, sortBy: MATCH_DESC) { total elements { id preferredUsername } }
      }`,
      { term: "bicycle", limit: 12 },
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data.searchEvents.total, 1);
    assert.deepEqual(r.data.searchGroups, { total: 0, elements: [] });
  });

  test("languages, statistics and categoryStatistics answer from what the instance holds", async () => {
    const u = await buildUser(inst);
    await inst.gql(`mutation { updateLocale(locale: "fr") { id } }`, {}, u.accessToken);
    const langs = await inst.gql<{ languages: { code: string; name: string }[] }>(`{ languages(codes: ["en", "fr", "xx"]) { code name } }`, {}, u.accessToken);
    assert.deepEqual(langs.data.languages, [{ code: "en", name: "anglais" }, { code: "fr", name: "français" }]);
    assert.ok((await inst.gql<{ languages: unknown[] }>(`{ languages { code } }`)).data.languages.length > 150);
    await buildEvent(inst, u);
    const s = await inst.gql<{ statistics: Record<string, number>; categoryStatistics: { key: string; number: number }[] }>(
      `{ statistics { numberOfUsers numberOfEvents numberOfLocalEvents numberOfComments numberOfGroups numberOfInstanceFollowers } categoryStatistics { key number } }`,
    );
    assert.ok(s.data.statistics.numberOfUsers >= 1);
    assert.ok(s.data.statistics.numberOfEvents >= 1);
    assert.equal(s.data.statistics.numberOfGroups, 0);
    assert.ok(s.data.categoryStatistics.some((c) => c.key === "MEETING" && c.number >= 1));
  });

  test("notification toggles are stored per activity and method, for the account itself", async () => {
    const u = await buildUser(inst);
    const set = await inst.gql<{ updateActivitySetting: { key: string; method: string; enabled: boolean } }>(
      `mutation { updateActivitySetting(key: "event_new_comment", method: "email", enabled: false) { key method enabled } }`,
      {},
      u.accessToken,
    );
    assert.deepEqual(set.data.updateActivitySetting, { key: "event_new_comment", method: "email", enabled: false });
    await inst.gql(`mutation { updateActivitySetting(key: "event_new_comment", method: "email", enabled: true) { key } }`, {}, u.accessToken);
    const read = await inst.gql<{ loggedUser: { activitySettings: unknown[] } }>(`{ loggedUser { activitySettings { key method enabled } } }`, {}, u.accessToken);
    assert.deepEqual(read.data.loggedUser.activitySettings, [{ key: "event_new_comment", method: "email", enabled: true }]);
    expectError(await inst.gql(`mutation { updateActivitySetting(key: "no_such_thing", method: "email", enabled: true) { key } }`, {}, u.accessToken), "validation");
    expectError(await inst.gql(`mutation { updateActivitySetting(key: "event_new_comment", method: "pigeon", enabled: true) { key } }`, {}, u.accessToken), "validation");
    expectError(await inst.gql(`mutation { updateActivitySetting(key: "event_new_comment", method: "email", enabled: true) { key } }`), "unauthenticated");
  });

  test("persons lists profiles for moderators only", async () => {
    const mod = await buildUser(inst, { role: "MODERATOR" });
    const u = await buildUser(inst, { username: "findable_person" });
    const q = `query($n: String) { persons(preferredUsername: $n) { total elements { preferredUsername } } }`;
    const r = await inst.gql<{ persons: { total: number; elements: { preferredUsername: string }[] } }>(q, { n: "findable" }, mod.accessToken);
    assert.deepEqual(r.data.persons, { total: 1, elements: [{ preferredUsername: "findable_person" }] });
    expectError(await inst.gql(q, { n: "findable" }, u.accessToken), "forbidden");
    expectError(await inst.gql(q, { n: "findable" }), "unauthenticated");
  });

  test("loggedUser.settings is null until the user saves settings once", async () => {
    await inst.gql(`mutation { createUser(email: "onboard@example.org", password: "a long enough password") { id } }`);
    const user = await inst.services.users.adminModify((await inst.services.users.findByEmail("onboard@example.org"))!.id, { confirmed: true });
    const login = await inst.services.users.login(user.email, "a long enough password", null);
    const q = `{ loggedUser { settings { timezone notificationOnDay } } }`;
    assert.equal((await inst.gql<{ loggedUser: { settings: unknown } }>(q, {}, login.accessToken)).data.loggedUser.settings, null);
    await inst.gql(`mutation { setUserSettings(timezone: "Europe/Paris") { timezone } }`, {}, login.accessToken);
    assert.deepEqual((await inst.gql<{ loggedUser: { settings: unknown } }>(q, {}, login.accessToken)).data.loggedUser.settings, { timezone: "Europe/Paris", notificationOnDay: true });
  });

  test("migration 0007 drops the settings rows of defaults never saved, as accounts used to get at sign-up", async () => {
    const q = `{ loggedUser { settings { timezone } } }`;
    const older = await buildUser(inst);
    const saved = await buildUser(inst);
    const row = (userId: number, inserted: Date, updated: Date) => ({ user_id: userId, notification_on_day: true, notification_each_week: false, notification_before_event: false, notification_pending_participation: "ONE_DAY", notification_pending_membership: "ONE_DAY", group_notifications: "ONE_DAY", inserted_at: inserted, updated_at: updated });
    const t = new Date("2026-01-01T00:00:00Z");
    await inst.database.db.insertInto("user_settings").values([row(older.user.id, t, t), row(saved.user.id, t, new Date("2026-02-01T00:00:00Z"))]).execute();
    const { up } = await import("../db/migrations/0007-settings-never-saved.ts");
    await up(inst.database.db);
    assert.equal((await inst.gql<{ loggedUser: { settings: unknown } }>(q, {}, older.accessToken)).data.loggedUser.settings, null);
    assert.notEqual((await inst.gql<{ loggedUser: { settings: unknown } }>(q, {}, saved.accessToken)).data.loggedUser.settings, null);
  });

  test("only a missing or expired session carries status_code 401: a wrong password does not", async () => {
    const u = await buildUser(inst);
    const del = expectError(await inst.gql(`mutation { deleteAccount(password: "not my password") { id } }`, {}, u.accessToken), "bad_credentials");
    assert.equal(del.status_code, 422);
    const login = expectError(await inst.gql(`mutation { login(email: "${u.email}", password: "not my password") { accessToken } }`), "bad_credentials");
    assert.equal(login.status_code, 422);
    const change = expectError(await inst.gql(`mutation { changePassword(oldPassword: "wrong one", newPassword: "a new long password") { id } }`, {}, u.accessToken), "bad_credentials");
    assert.equal(change.status_code, 422);
    const refresh = expectError(await inst.gql(`mutation { refreshToken(refreshToken: "used-or-forged") { accessToken } }`), "invalid_token");
    assert.equal(refresh.status_code, 422);
    const anonymous = expectError(await inst.gql(`{ loggedUser { id } }`), "unauthenticated");
    assert.equal(anonymous.status_code, 401);
  });

  test("config.maps.tiles.endpoint is a working tile URL without calling any third party", async () => {
    const r = await inst.gql<{ config: { maps: { tiles: { endpoint: string } } } }>(`{ config { maps { tiles { endpoint attribution } } } }`);
    const endpoint = r.data.config.maps.tiles.endpoint;
    assert.equal(endpoint, "http://convene.test/map-tiles/{z}/{x}/{y}.png");
    const tile = await inst.http.request(new URL(endpoint.replace("{z}", "12").replace("{x}", "2074").replace("{y}", "1409")).pathname);
    assert.equal(tile.status, 200);
    assert.equal(tile.headers.get("content-type"), "image/png");
    assert.equal((await inst.http.request("/map-tiles/3/9/1.png")).status, 404, "x beyond the zoom level's grid");
  });
});
