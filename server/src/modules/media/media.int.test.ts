// Media files and their rows (docs/adr/0010): a rolled-back mutation leaves no file for good, media nothing uses go
// after 48 hours, and Mobilizon 5.2's uuids name media as 5.1's ids do.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildEvent, buildPng, buildUser, expectError, gqlUpload, startInstance, type TestInstance } from "../../../test/kit.ts";

/** Every file under the uploads folder. */
const filesIn = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name)) : [];

describe("media files and rows", () => {
  let inst: TestInstance;
  let u: Awaited<ReturnType<typeof buildUser>>;
  let png: Uint8Array;
  before(async () => {
    inst = await startInstance();
    u = await buildUser(inst);
    png = await buildPng();
  });
  after(() => inst.stop());

  const uploadMedia = async (name: string) =>
    (
      await gqlUpload<{ uploadMedia: { id: string; uuid: string; url: string } }>(
        inst,
        u.accessToken,
        `mutation($f: Upload!, $n: String!) { uploadMedia(name: $n, file: $f) { id uuid url } }`,
        { n: name, f: null },
        { path: "variables.f", bytes: png, name, type: "image/png" },
      )
    ).data.uploadMedia;

  test("a mutation that rolls back leaves its picture's files only until the sweep", async () => {
    const dir = inst.config.uploads.dir;
    const before = filesIn(dir).length;
    // The username is taken: the transaction fails after the avatar was written.
    const res = await gqlUpload(
      inst,
      u.accessToken,
      `mutation($a: MediaInput) { createPerson(preferredUsername: "${u.username}", avatar: $a) { id } }`,
      { a: { media: { name: "me.png", file: null } } },
      { path: "variables.a.media.file", bytes: png, name: "me.png", type: "image/png" },
    );
    expectError(res, "conflict");
    assert.equal(filesIn(dir).length, before + 2, "the picture and its smaller copy are on disk, whole");
    // Not before an hour: the transaction might still be running.
    assert.deepEqual(await inst.services.media.sweep(), { files: 0, orphans: 0 });
    inst.clock.advance(61 * 60_000);
    try {
      assert.deepEqual(await inst.services.media.sweep(), { files: 1, orphans: 0 });
    } finally {
      inst.clock.advance(-61 * 60_000);
    }
    assert.equal(filesIn(dir).length, before);
  });

  test("media nothing uses are deleted after 48 hours; avatars, event pictures and images in descriptions stay", async () => {
    const unused = await uploadMedia("unused.png");
    const inText = await uploadMedia("in-text.png");
    const asPicture = await uploadMedia("picture.png");
    await buildEvent(inst, u, { d: `<p>Look:</p><p><img src="${inText.url}" alt="a map"></p>` });
    const withPicture = await inst.gql(
      `mutation($a: ID!, $p: MediaInput) { createEvent(title: "P", description: "D", beginsOn: "2099-01-01T10:00:00Z", organizerActorId: $a, picture: $p) { id } }`,
      { a: String(u.actor.id), p: { mediaUuid: asPicture.uuid } },
      u.accessToken,
    );
    assert.equal(withPicture.errors, undefined, JSON.stringify(withPicture.errors));
    inst.clock.advance(49 * 3600_000);
    try {
      const swept = await inst.services.media.sweep();
      assert.equal(swept.orphans, 1);
    } finally {
      inst.clock.advance(-49 * 3600_000);
    }
    const q = `query($uuid: UUID) { media(uuid: $uuid) { id } }`;
    expectError(await inst.gql(q, { uuid: unused.uuid }, u.accessToken), "not_found");
    assert.equal((await inst.http.request(new URL(unused.url).pathname)).status, 404, "its file is gone");
    for (const m of [inText, asPicture]) {
      assert.equal((await inst.gql<{ media: { id: string } }>(q, { uuid: m.uuid }, u.accessToken)).data.media.id, m.id);
      assert.equal((await inst.http.request(new URL(m.url).pathname)).status, 200);
    }
  });

  test("Mobilizon 5.2 names media by uuid: media(uuid), removeMedia(uuid), MediaInput.mediaUuid", async () => {
    const m = await uploadMedia("five-two.png");
    assert.match(m.uuid, /^[0-9a-f-]{36}$/);
    const removed = await inst.gql<{ removeMedia: { id: string; uuid: string } }>(`mutation($u: UUID) { removeMedia(uuid: $u) { id uuid } }`, { u: m.uuid }, u.accessToken);
    assert.deepEqual(removed.data.removeMedia, { id: m.id, uuid: m.uuid });
    // 5.1's spelling still works.
    const old = await uploadMedia("five-one.png");
    const removedById = await inst.gql<{ removeMedia: { id: string } }>(`mutation($id: ID) { removeMedia(id: $id) { id } }`, { id: old.id }, u.accessToken);
    assert.equal(removedById.data.removeMedia.id, old.id);
    // Someone else's media cannot be removed, by either name.
    const theirs = await uploadMedia("theirs.png");
    const other = await buildUser(inst);
    expectError(await inst.gql(`mutation($u: UUID) { removeMedia(uuid: $u) { id } }`, { u: theirs.uuid }, other.accessToken), "forbidden");
  });

  test("the sweep deletes a media only if nothing uses it at that moment", async () => {
    const { mediaRepository } = await import("./media.repository.ts");
    const m = await uploadMedia("late.png");
    // Found unused by the sweep's first step… then attached before its delete.
    const r = await inst.gql(
      `mutation($a: ID!, $p: MediaInput) { createEvent(title: "Late", description: "D", beginsOn: "2099-01-01T10:00:00Z", organizerActorId: $a, picture: $p) { id } }`,
      { a: String(u.actor.id), p: { mediaUuid: m.uuid } },
      u.accessToken,
    );
    assert.equal(r.errors, undefined);
    assert.equal(await mediaRepository.deleteIfUnused(inst.database.db, Number(m.id)), false);
    assert.equal((await inst.http.request(new URL(m.url).pathname)).status, 200);
  });

  test("a text's images count as in use wherever the event shows them: programme and conditions too", async () => {
    const m = await uploadMedia("programme.png");
    await buildEvent(inst, u, { opts: { program: `<p><img src="${m.url}" alt="map"></p>` } });
    inst.clock.advance(49 * 3600_000);
    try {
      await inst.services.media.sweep();
    } finally {
      inst.clock.advance(-49 * 3600_000);
    }
    assert.equal((await inst.http.request(new URL(m.url).pathname)).status, 200);
  });
});
