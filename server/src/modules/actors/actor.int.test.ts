import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { buildUser, expectError, gqlUpload, startInstance, type TestInstance } from "../../../test/kit.ts";

/** A JPEG carrying EXIF with GPS coordinates, as phones write them. */
async function jpegWithGps(width = 800, height = 600) {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .jpeg()
    .withExifMerge({ IFD0: { Make: "PhoneCorp", Model: "Spy 3000" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 0/1" } })
    .toBuffer();
}

const upload = gqlUpload;

const CREATE = `mutation($u: String!, $n: String, $s: String, $a: MediaInput) { createPerson(preferredUsername: $u, name: $n, summary: $s, avatar: $a) { id preferredUsername name summary avatar { id url name alt contentType size metadata { width height blurhash } } } }`;

describe("identities", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("create a second identity with a picture: metadata stripped, resized, served under /media", async () => {
    const u = await buildUser(inst);
    const res = await upload<{ createPerson: { id: string; summary: string; avatar: { url: string; alt: string; contentType: string; metadata: { width: number; height: number; blurhash: string } } } }>(
      inst,
      u.accessToken,
      CREATE,
      { u: "second_self", n: "Second", s: "Line one\n\n<b>bold?</b>", a: { media: { name: "me.jpg", alt: "A red square", file: null } } },
      { path: "variables.a.media.file", bytes: await jpegWithGps(), name: "me.jpg", type: "image/jpeg" },
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const p = res.data.createPerson;
    // Plain text, served as typed (Mobilizon's client shows it as text): not turned into HTML, not escaped twice.
    assert.equal(p.summary, "Line one\n\n<b>bold?</b>");
    assert.equal(p.avatar.alt, "A red square");
    assert.equal(p.avatar.contentType, "image/jpeg");
    assert.ok(p.avatar.metadata.width <= 512 && p.avatar.metadata.height <= 512);
    const path = new URL(p.avatar.url).pathname;
    const served = await inst.http.request(path);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/jpeg");
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    assert.equal(meta.exif, undefined, "EXIF must be stripped");
    // A smaller copy sits beside it, and a BlurHash placeholder is given.
    const thumb = await inst.http.request(path.replace(/\.jpg$/, "-thumb.jpg"));
    assert.equal(thumb.status, 200);
    const tmeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    assert.ok(tmeta.width! <= 96 && tmeta.height! <= 96);
    assert.match((p.avatar.metadata as { blurhash: string }).blurhash, /^[0-9A-Za-z#$%*+,\-.:;=?@[\]^_{|}~]{6,}$/);

    const ids = await inst.gql<{ identities: { preferredUsername: string }[] }>(`{ identities { preferredUsername } }`, {}, u.accessToken);
    assert.deepEqual(ids.data.identities.map((i) => i.preferredUsername), [u.username, "second_self"]);
  });

  test("pictures are checked from their bytes and their size", async () => {
    const u = await buildUser(inst);
    const fake = await upload(inst, u.accessToken, CREATE, { u: "fake_pic", a: { media: { name: "x.png", file: null } } }, {
      path: "variables.a.media.file",
      bytes: Buffer.from("<script>alert(1)</script> definitely a png"),
      name: "x.png",
      type: "image/png",
    });
    expectError(fake, "validation");
    const big = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: "#123456" } }).png({ compressionLevel: 0 }).toBuffer();
    const tooBig = await upload(inst, u.accessToken, CREATE, { u: "big_pic", a: { media: { name: "big.png", file: null } } }, {
      path: "variables.a.media.file",
      bytes: big,
      name: "big.png",
      type: "image/png",
    });
    expectError(tooBig, "validation");
    // Nothing was created by the refused requests.
    const ids = await inst.gql<{ identities: unknown[] }>(`{ identities { id } }`, {}, u.accessToken);
    assert.equal(ids.data.identities.length, 1);
  });

  test("usernames: lower-case letters, digits and underscores, unique", async () => {
    const u = await buildUser(inst);
    for (const bad of ["Alice", "a-b", "a b", "é", "", "relay", "x".repeat(101)]) {
      expectError(await inst.gql(CREATE, { u: bad }, u.accessToken), "validation");
    }
    expectError(await inst.gql(CREATE, { u: u.username }, u.accessToken), "conflict");
    const ok = await inst.gql<{ createPerson: { preferredUsername: string } }>(CREATE, { u: " trimmed_name " }, u.accessToken);
    assert.equal(ok.data.createPerson.preferredUsername, "trimmed_name");
  });

  test("switch the default identity, edit and delete one; the last one stays", async () => {
    const u = await buildUser(inst);
    const second = await inst.gql<{ createPerson: { id: string } }>(CREATE, { u: "other_me", n: "Other" }, u.accessToken);
    const sw = await inst.gql<{ changeDefaultActor: { defaultActor: { preferredUsername: string } } }>(
      `mutation { changeDefaultActor(preferredUsername: "other_me") { defaultActor { preferredUsername } } }`,
      {},
      u.accessToken,
    );
    assert.equal(sw.data.changeDefaultActor.defaultActor.preferredUsername, "other_me");
    const logged = await inst.gql<{ loggedPerson: { preferredUsername: string } }>(`{ loggedPerson { preferredUsername } }`, {}, u.accessToken);
    assert.equal(logged.data.loggedPerson.preferredUsername, "other_me");

    const upd = await inst.gql<{ updatePerson: { name: string; summary: string } }>(
      `mutation($id: ID!) { updatePerson(id: $id, name: "Renamed", summary: "Hello") { name summary } }`,
      { id: second.data.createPerson.id },
      u.accessToken,
    );
    assert.deepEqual(upd.data.updatePerson, { name: "Renamed", summary: "Hello" });

    // Deleting the default moves the default to the remaining identity.
    await inst.gql(`mutation($id: ID!) { deletePerson(id: $id) { id } }`, { id: second.data.createPerson.id }, u.accessToken);
    const me = await inst.gql<{ loggedUser: { defaultActor: { preferredUsername: string }; actors: unknown[] } }>(
      `{ loggedUser { defaultActor { preferredUsername } actors { id } } }`,
      {},
      u.accessToken,
    );
    assert.equal(me.data.loggedUser.defaultActor.preferredUsername, u.username);
    assert.equal(me.data.loggedUser.actors.length, 1);
    expectError(await inst.gql(`mutation($id: ID!) { deletePerson(id: $id) { id } }`, { id: String(u.actor.id) }, u.accessToken), "forbidden");
  });

  test("strangers cannot edit, delete, use or see another account's identities", async () => {
    const owner = await buildUser(inst);
    const stranger = await buildUser(inst);
    const id = String(owner.actor.id);
    expectError(await inst.gql(`mutation($id: ID!) { updatePerson(id: $id, name: "Hacked") { id } }`, { id }, stranger.accessToken), "forbidden");
    expectError(await inst.gql(`mutation($id: ID!) { deletePerson(id: $id) { id } }`, { id }, stranger.accessToken), "forbidden");
    expectError(await inst.gql(`mutation { changeDefaultActor(preferredUsername: "${owner.username}") { id } }`, {}, stranger.accessToken), "forbidden");
    expectError(await inst.gql(`{ person(id: "${id}") { id } }`, {}, stranger.accessToken), "not_found");
    expectError(await inst.gql(`mutation($id: ID!) { updatePerson(id: $id, name: "Anon") { id } }`, { id }), "unauthenticated");
    expectError(await inst.gql(`mutation { createPerson(preferredUsername: "anon_made") { id } }`), "unauthenticated");
    assert.equal((await inst.services.actors.findById(owner.actor.id))?.name, owner.actor.name);

    // The public view of a profile shows neither its account nor any follower count.
    const pub = await inst.gql<{ fetchPerson: { preferredUsername: string; user: unknown; followersCount: unknown; mediaSize: unknown } }>(
      `{ fetchPerson(preferredUsername: "${owner.username}") { preferredUsername user { email } followersCount mediaSize } }`,
      {},
      stranger.accessToken,
    );
    assert.deepEqual(pub.data.fetchPerson, { preferredUsername: owner.username, user: null, followersCount: null, mediaSize: null });
  });

  test("remoteInteractionUrl: only links of this instance, only addresses like name@host", async () => {
    const Q = `query($a: String!, $u: String!) { remoteInteractionUrl(account: $a, uri: $u) }`;
    expectError(await inst.gql(Q, { a: "someone@elsewhere.example", u: "https://elsewhere.example/events/1" }), "validation");
    expectError(await inst.gql(Q, { a: "not an address", u: "http://convene.test/events/1" }), "validation");
    expectError(await inst.gql(Q, { a: "someone@elsewhere.example", u: `http://convene.test/${"x".repeat(2100)}` }), "validation");
  });

  test("media: upload, use by id, and only the owner removes it", async () => {
    const owner = await buildUser(inst);
    const stranger = await buildUser(inst);
    const up = await upload<{ uploadMedia: { id: string; url: string } }>(
      inst,
      owner.accessToken,
      `mutation($f: Upload!) { uploadMedia(name: "pic", file: $f) { id url } }`,
      { f: null },
      { path: "variables.f", bytes: await jpegWithGps(100, 100), name: "pic.jpg", type: "image/jpeg" },
    );
    const mediaId = up.data.uploadMedia.id;
    // A stranger can't put someone else's media on their profile, nor remove it.
    expectError(await inst.gql(`mutation($id: ID!, $m: ID) { updatePerson(id: $id, avatar: { mediaId: $m }) { id } }`, { id: String(stranger.actor.id), m: mediaId }, stranger.accessToken), "validation");
    expectError(await inst.gql(`mutation($id: ID!) { removeMedia(id: $id) { id } }`, { id: mediaId }, stranger.accessToken), "forbidden");
    const set = await inst.gql<{ updatePerson: { avatar: { id: string } } }>(
      `mutation($id: ID!, $m: ID) { updatePerson(id: $id, avatar: { mediaId: $m }) { avatar { id } } }`,
      { id: String(owner.actor.id), m: mediaId },
      owner.accessToken,
    );
    assert.equal(set.data.updatePerson.avatar.id, mediaId);
    const rm = await inst.gql(`mutation($id: ID!) { removeMedia(id: $id) { id } }`, { id: mediaId }, owner.accessToken);
    assert.equal(rm.errors, undefined);
    assert.equal((await inst.http.request(new URL(up.data.uploadMedia.url).pathname)).status, 404);
  });
});
