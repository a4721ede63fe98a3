import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildUser, expectError, inDays, startInstance, type TestInstance } from "../../../test/kit.ts";

const JOIN = `mutation($e: ID!, $a: ID!, $m: String) { joinEvent(eventId: $e, actorId: $a, message: $m) { id role metadata { message } actor { preferredUsername } event { title } } }`;
const LEAVE = `mutation($e: ID!, $a: ID!) { leaveEvent(eventId: $e, actorId: $a) { id actor { id } } }`;
const UPDATE = `mutation($id: ID!, $r: ParticipantRoleEnum!) { updateParticipation(id: $id, role: $r) { id role } }`;
type Joined = { joinEvent: { id: string; role: string } };

describe("participations", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  const join = (e: { id: string }, u: { accessToken: string; actor: { id: number } }, m?: string) => inst.gql<Joined>(JOIN, { e: e.id, a: String(u.actor.id), m }, u.accessToken);

  test("join a free event, get the confirmation e-mail, leave; twice is refused; the creator stays", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Picnic" });
    const j = await join(e, p);
    assert.equal(j.data.joinEvent.role, "PARTICIPANT");
    expectError(await join(e, p), "conflict");
    await inst.drain();
    const mail = await inst.mailbox.waitFor(p.email, /going to Picnic/);
    assert.match(mail.text, /When: /);

    const stats = await inst.gql<{ event: { participantStats: { going: number; participant: number; creator: number } } }>(
      `query($u: UUID!) { event(uuid: $u) { participantStats { going participant creator } } }`,
      { u: e.uuid },
      org.accessToken,
    );
    assert.deepEqual(stats.data.event.participantStats, { going: 2, participant: 1, creator: 1 });
    const mine = await inst.gql<{ loggedUser: { participations: { total: number; elements: { event: { title: string } }[] } } }>(
      `{ loggedUser { participations(afterDatetime: "${inDays(-1)}") { total elements { event { title } } } } }`,
      {},
      p.accessToken,
    );
    assert.deepEqual(mine.data.loggedUser.participations.elements.map((x) => x.event.title), ["Picnic"]);

    const left = await inst.gql<{ leaveEvent: { id: string } }>(LEAVE, { e: e.id, a: String(p.actor.id) }, p.accessToken);
    assert.ok(left.data.leaveEvent.id);
    expectError(await inst.gql(LEAVE, { e: e.id, a: String(p.actor.id) }, p.accessToken), "not_found");
    expectError(await inst.gql(LEAVE, { e: e.id, a: String(org.actor.id) }, org.accessToken), "forbidden");
  });

  test("strangers can't join as someone else, leave for someone else, or see the participant list", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const stranger = await buildUser(inst);
    const e = await buildEvent(inst, org);
    expectError(await inst.gql(JOIN, { e: e.id, a: String(p.actor.id) }, stranger.accessToken), "forbidden");
    expectError(await inst.gql(JOIN, { e: e.id, a: String(p.actor.id) }), "unauthenticated");
    await join(e, p);
    expectError(await inst.gql(LEAVE, { e: e.id, a: String(p.actor.id) }, stranger.accessToken), "forbidden");
    const q = `query($u: UUID!) { event(uuid: $u) { participants { total elements { actor { preferredUsername } role } } } }`;
    assert.deepEqual((await inst.gql<{ event: { participants: { total: number } } }>(q, { u: e.uuid }, stranger.accessToken)).data.event.participants, { total: 0, elements: [] });
    const seen = await inst.gql<{ event: { participants: { total: number } } }>(q, { u: e.uuid }, org.accessToken);
    assert.equal(seen.data.event.participants.total, 2);
  });

  test("capacity: the last seat goes to one person only, even when many join at once", async () => {
    const org = await buildUser(inst);
    const e = await buildEvent(inst, org, { opts: { maximumAttendeeCapacity: 3, showRemainingAttendeeCapacity: true } });
    const people = await Promise.all(Array.from({ length: 12 }, () => buildUser(inst)));
    const results = await Promise.all(people.map((p) => join(e, p)));
    const ok = results.filter((r) => !r.errors);
    const full = results.filter((r) => r.errors?.[0]?.code === "conflict");
    assert.equal(ok.length, 3);
    assert.equal(full.length, 9);
    assert.match(full[0].errors![0].message, /maximum capacity/);
    const ev = await inst.gql<{ event: { options: { remainingAttendeeCapacity: number }; participantStats: { participant: number } } }>(
      `query($u: UUID!) { event(uuid: $u) { options { remainingAttendeeCapacity } participantStats { participant } } }`,
      { u: e.uuid },
      org.accessToken,
    );
    assert.equal(ev.data.event.options.remainingAttendeeCapacity, 0);
    assert.equal(ev.data.event.participantStats.participant, 3);
  });

  test("manual approval: request with a message, approve, reject, e-mails; a participant can't approve others", async () => {
    const org = await buildUser(inst);
    const a = await buildUser(inst);
    const b = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Closed meeting", join: "RESTRICTED", opts: { maximumAttendeeCapacity: 1 } });
    const ra = await join(e, a, "I run the bakery next door");
    const rb = await join(e, b);
    assert.equal(ra.data.joinEvent.role, "NOT_APPROVED");
    const list = await inst.gql<{ event: { participants: { elements: { id: string; role: string; metadata: { message: string } }[] } } }>(
      `query($u: UUID!) { event(uuid: $u) { participants(roles: "not_approved") { elements { id role metadata { message } } } } }`,
      { u: e.uuid },
      org.accessToken,
    );
    assert.equal(list.data.event.participants.elements.length, 2);
    assert.ok(list.data.event.participants.elements.some((p) => p.metadata.message === "I run the bakery next door"));

    expectError(await inst.gql(UPDATE, { id: rb.data.joinEvent.id, r: "PARTICIPANT" }, a.accessToken), "forbidden");
    assert.equal((await inst.gql<{ updateParticipation: { role: string } }>(UPDATE, { id: ra.data.joinEvent.id, r: "PARTICIPANT" }, org.accessToken)).data.updateParticipation.role, "PARTICIPANT");
    // The one seat is taken: approving the second request is refused.
    expectError(await inst.gql(UPDATE, { id: rb.data.joinEvent.id, r: "PARTICIPANT" }, org.accessToken), "conflict");
    assert.equal((await inst.gql<{ updateParticipation: { role: string } }>(UPDATE, { id: rb.data.joinEvent.id, r: "REJECTED" }, org.accessToken)).data.updateParticipation.role, "REJECTED");
    // A rejected person can't come back by joining again.
    expectError(await join(e, b), "forbidden");
    expectError(await inst.gql(UPDATE, { id: ra.data.joinEvent.id, r: "CREATOR" }, org.accessToken), "forbidden");

    await inst.drain();
    await inst.mailbox.waitFor(a.email, /request to join Closed meeting/);
    await inst.mailbox.waitFor(a.email, /approved/);
    await inst.mailbox.waitFor(b.email, /declined/);
    const approved = inst.mailbox.to(a.email).find((m) => /approved/.test(m.subject))!;
    assert.match(approved.raw, /Content-Type: text\/calendar|event\.ics/);
  });

  test("external, invitation-only, cancelled and past events can't be joined here", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const ext = await buildEvent(inst, org, { join: "EXTERNAL" }).catch(() => null);
    assert.equal(ext, null, "EXTERNAL needs a link");
    const extOk = await inst.gql<{ createEvent: { id: string } }>(
      `mutation($a: ID!, $b: DateTime!) { createEvent(title: "Ticketed", organizerActorId: $a, description: "x", beginsOn: $b, joinOptions: EXTERNAL, externalParticipationUrl: "https://tickets.example.org/e/1") { id } }`,
      { a: String(org.actor.id), b: inDays(3) },
      org.accessToken,
    );
    expectError(await join(extOk.data.createEvent, p), "forbidden");
    const invite = await buildEvent(inst, org, { join: "INVITE" });
    expectError(await join(invite, p), "forbidden");
    const cancelled = await buildEvent(inst, org);
    await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, status: CANCELLED) { id } }`, { e: cancelled.id }, org.accessToken);
    expectError(await join(cancelled, p), "forbidden");
    const past = await buildEvent(inst, org, { b: inDays(-3), e: inDays(-3, 20) });
    expectError(await join(past, p), "forbidden");
  });

  test("participants hear of important changes once, after the edits settle; cancellation and deletion at once", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Assembly", b: inDays(10), e: inDays(10, 20), addr: { locality: "Nantes", geom: "-1.5536;47.2184" } });
    await join(e, p);
    await inst.drain();
    const before = inst.mailbox.to(p.email).length;
    const upd = `mutation($e: ID!, $b: DateTime, $end: DateTime) { updateEvent(eventId: $e, beginsOn: $b, endsOn: $end) { id } }`;
    assert.equal((await inst.gql(upd, { e: e.id, b: inDays(11), end: inDays(11, 20) }, org.accessToken)).errors, undefined);
    assert.equal((await inst.gql(upd, { e: e.id, b: inDays(12), end: inDays(12, 20) }, org.accessToken)).errors, undefined);
    await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, description: "<p>Only the text changed</p>") { id } }`, { e: e.id }, org.accessToken);
    await inst.drain();
    assert.equal(inst.mailbox.to(p.email).length, before, "nothing yet: the notice waits for edits to settle");
    inst.clock.advance(31 * 60_000);
    try {
      await inst.drain();
      const mail = await inst.mailbox.waitFor(p.email, /Assembly has changed/);
      assert.match(mail.text, /Start: /);
      assert.equal(inst.mailbox.to(p.email).filter((m) => /has changed/.test(m.subject)).length, 1);
      assert.equal(inst.mailbox.to(org.email).filter((m) => /has changed/.test(m.subject)).length, 0, "the organizer is not told of their own change");
      // 31 minutes later the access tokens have expired: sign in again.
      org.accessToken = (await inst.services.users.login(org.email, org.password, null)).accessToken;
      p.accessToken = (await inst.services.users.login(p.email, p.password, null)).accessToken;

      const c = await inst.gql(`mutation($e: ID!) { updateEvent(eventId: $e, status: CANCELLED) { id } }`, { e: e.id }, org.accessToken);
      assert.equal(c.errors, undefined, JSON.stringify(c.errors));
      await inst.drain();
      await inst.mailbox.waitFor(p.email, /Assembly is cancelled/);

      const other = await buildEvent(inst, org, { title: "Doomed" });
      await join(other, p);
      await inst.gql(`mutation($e: ID!) { deleteEvent(eventId: $e) { id } }`, { e: other.id }, org.accessToken);
      await inst.drain();
      await inst.mailbox.waitFor(p.email, /Doomed was deleted/);
    } finally {
      inst.clock.advance(-31 * 60_000);
    }
  });

  test("organizers export the participant list as CSV; others can't", async () => {
    const org = await buildUser(inst);
    const p = await buildUser(inst);
    const stranger = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Exported", join: "RESTRICTED" });
    await inst.services.actors.updatePerson(p.principal, p.actor.id, { name: "=HYPERLINK(\"evil\")" });
    await join(e, p, 'Hello, "organizer"');
    const q = `mutation($e: ID!, $roles: [ParticipantRoleEnum]) { exportEventParticipants(eventId: $e, roles: $roles, format: CSV) { path format } }`;
    expectError(await inst.gql(q, { e: e.id }, stranger.accessToken), "forbidden");
    expectError(await inst.gql(q, { e: e.id }, p.accessToken), "forbidden");
    const r = await inst.gql<{ exportEventParticipants: { path: string; format: string } }>(q, { e: e.id }, org.accessToken);
    assert.equal(r.data.exportEventParticipants.format, "CSV");
    const res = await inst.http.request(`/exports/csv/${r.data.exportEventParticipants.path}`);
    assert.equal(res.status, 200);
    const lines = (await res.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    assert.equal(lines[0], "Name,Username,Role,Joined on,Message");
    assert.equal(lines.length, 3);
    const guest = lines.find((l) => l.includes("NOT_APPROVED"))!;
    assert.ok(guest.startsWith(`"'=HYPERLINK(""evil"")"`), guest);
    assert.ok(guest.endsWith(`"Hello, ""organizer"""`), guest);
    assert.equal((await inst.http.request("/exports/csv/not-a-real-export-file-name.csv")).status, 404);
    const only = await inst.gql<{ exportEventParticipants: { path: string } }>(q, { e: e.id, roles: ["CREATOR"] }, org.accessToken);
    const text = await (await inst.http.request(`/exports/csv/${only.data.exportEventParticipants.path}`)).text();
    assert.equal(text.trim().split("\r\n").length, 2);

    // The same list as an OpenDocument spreadsheet and as a PDF.
    const fmt = `mutation($e: ID!, $f: ExportFormatEnum) { exportEventParticipants(eventId: $e, format: $f) { path format } }`;
    const ods = await inst.gql<{ exportEventParticipants: { path: string; format: string } }>(fmt, { e: e.id, f: "ODS" }, org.accessToken);
    assert.equal(ods.data.exportEventParticipants.format, "ODS");
    const odsRes = await inst.http.request(`/exports/ods/${ods.data.exportEventParticipants.path}`);
    assert.equal(odsRes.headers.get("content-type"), "application/vnd.oasis.opendocument.spreadsheet");
    const { unzipSync, strFromU8 } = await import("fflate");
    const zipBytes = new Uint8Array(await odsRes.arrayBuffer());
    assert.equal(new TextDecoder().decode(zipBytes.slice(30, 38)), "mimetype", "the mimetype entry comes first");
    const files = unzipSync(zipBytes);
    assert.equal(strFromU8(files.mimetype), "application/vnd.oasis.opendocument.spreadsheet");
    const content = strFromU8(files["content.xml"]);
    assert.equal((content.match(/<table:table-row>/g) ?? []).length, 3);
    assert.match(content, /Hello, &quot;organizer&quot;/);
    const pdf = await inst.gql<{ exportEventParticipants: { path: string } }>(fmt, { e: e.id, f: "PDF" }, org.accessToken);
    const pdfBytes = Buffer.from(await (await inst.http.request(`/exports/pdf/${pdf.data.exportEventParticipants.path}`)).arrayBuffer());
    assert.equal(pdfBytes.subarray(0, 5).toString(), "%PDF-");
    assert.match(pdfBytes.subarray(-8).toString(), /%%EOF/);
    assert.match(pdfBytes.toString("latin1"), /\/Type \/Page\b/);
  });

  test("take part without an account: confirm by e-mail, cancel with the link; refused where not allowed", async () => {
    const org = await buildUser(inst);
    const e = await buildEvent(inst, org, { title: "Open air", opts: { anonymousParticipation: true, maximumAttendeeCapacity: 5 } });
    const closed = await buildEvent(inst, org, { title: "Members only" });
    const cfg = await inst.gql<{ config: { anonymous: { actorId: string; participation: { allowed: boolean } } } }>(`{ config { anonymous { actorId participation { allowed } } } }`);
    const anon = cfg.data.config.anonymous.actorId;
    assert.equal(cfg.data.config.anonymous.participation.allowed, true);
    const J = `mutation($e: ID!, $a: ID!, $m: String, $email: String) { joinEvent(eventId: $e, actorId: $a, email: $email, message: $m, locale: "fr") { id role actor { preferredUsername } metadata { cancellationToken } } }`;
    expectError(await inst.gql(J, { e: closed.id, a: anon, email: "walker@example.org" }), "forbidden");
    expectError(await inst.gql(J, { e: e.id, a: anon }), "validation");
    expectError(await inst.gql(J, { e: e.id, a: anon, email: "not an email" }), "validation");
    const r = await inst.gql<{ joinEvent: { id: string; role: string; actor: { preferredUsername: string }; metadata: { cancellationToken: string } } }>(J, { e: e.id, a: anon, email: "Walker@Example.org" });
    assert.equal(r.data.joinEvent.role, "NOT_CONFIRMED");
    assert.equal(r.data.joinEvent.actor.preferredUsername, "anonymous");
    expectError(await inst.gql(J, { e: e.id, a: anon, email: "walker@example.org" }), "conflict");
    await inst.drain();
    const mail = await inst.mailbox.waitFor("walker@example.org", /Confirmez votre participation/);
    const token = mail.text.match(/participation\/email\/confirm\/([A-Za-z0-9_-]+)/)![1];
    const stats = async () => (await inst.gql<{ event: { participantStats: { going: number; notConfirmed: number } } }>(`query($u: UUID!) { event(uuid: $u) { participantStats { going notConfirmed } } }`, { u: e.uuid }, org.accessToken)).data.event.participantStats;
    assert.deepEqual(await stats(), { going: 1, notConfirmed: 1 });
    const c = await inst.gql<{ confirmParticipation: { role: string } }>(`mutation($t: String!) { confirmParticipation(confirmationToken: $t) { role } }`, { t: token });
    assert.equal(c.data.confirmParticipation.role, "PARTICIPANT");
    expectError(await inst.gql(`mutation($t: String!) { confirmParticipation(confirmationToken: $t) { role } }`, { t: token }), "invalid_token");
    assert.deepEqual(await stats(), { going: 2, notConfirmed: 0 });
    await inst.drain();
    const confirmed = await inst.mailbox.waitFor("walker@example.org", /Vous participez/);
    assert.match(confirmed.raw, /event\.ics/);
    const cancelToken = confirmed.text.match(/participation\/email\/cancel\/[0-9a-f-]+\/([A-Za-z0-9_-]+)/)![1];
    const L = `mutation($e: ID!, $a: ID!, $t: String) { leaveEvent(eventId: $e, actorId: $a, token: $t) { id } }`;
    expectError(await inst.gql(L, { e: e.id, a: anon, t: "wrong-token" }), "invalid_token");
    assert.ok((await inst.gql<{ leaveEvent: { id: string } }>(L, { e: e.id, a: anon, t: cancelToken })).data.leaveEvent.id);
    assert.deepEqual(await stats(), { going: 1, notConfirmed: 0 });
  });

  test("an event moderator approves requests but can't hand out organizer roles", async () => {
    const org = await buildUser(inst);
    const mod = await buildUser(inst);
    const a = await buildUser(inst);
    const b = await buildUser(inst);
    const e = await buildEvent(inst, org, { join: "RESTRICTED" });
    const rm = await join(e, mod);
    await inst.gql(UPDATE, { id: rm.data.joinEvent.id, r: "MODERATOR" }, org.accessToken);
    const ra = await join(e, a);
    const rb = await join(e, b);
    assert.equal((await inst.gql<{ updateParticipation: { role: string } }>(UPDATE, { id: ra.data.joinEvent.id, r: "PARTICIPANT" }, mod.accessToken)).data.updateParticipation.role, "PARTICIPANT");
    expectError(await inst.gql(UPDATE, { id: rb.data.joinEvent.id, r: "MODERATOR" }, mod.accessToken), "forbidden");
    expectError(await inst.gql(UPDATE, { id: ra.data.joinEvent.id, r: "ADMINISTRATOR" }, mod.accessToken), "forbidden");
    expectError(await inst.gql(UPDATE, { id: rb.data.joinEvent.id, r: "PARTICIPANT" }), "unauthenticated");
  });
});
