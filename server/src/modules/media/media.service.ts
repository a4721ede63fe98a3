import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { OutputInfo } from "sharp";
import { afterCommit, type Db, type Executor, type Tx } from "../../db/index.ts";
import { DAY, DomainError, HOUR, invalid, newUuid, notFound, writeFileDurably, type Bus, type Clock, type Logger, type Urls } from "../../kernel/index.ts";
import { MediaEvents, type MediaEvent } from "./media.events.ts";
import type { Principal } from "../users/index.ts";
import { isOwnMedia, requireOwnMedia, requireUploadAs } from "./media.policy.ts";
import { mediaRepository as repo } from "./media.repository.ts";
import { MAX_DIMENSIONS, sniffImage, THUMB_SIZE, thumbName, type Media, type MediaKind } from "./media.types.ts";

export type MediaDeps = {
  db: Db;
  clock: Clock;
  uploads: { dir: string; limit: number; avatarLimit: number; bannerLimit: number };
  urls: Urls;
  bus: Bus<Tx, MediaEvent>;
  logger?: Logger;
};

export type UploadInput = { bytes: Uint8Array; name: string; alt?: string | null };

/** A picture as a client gives it: a new upload, or one of the caller's media by id or uuid; null removes it. */
export type PictureInput = { upload?: UploadInput | null; mediaId?: number | null; mediaUuid?: string | null } | null | undefined;

/** An upload checked, re-encoded and on disk, waiting for the transaction that records it. */
export type PreparedUpload = Omit<Media, "id" | "actorId" | "insertedAt">;

/** A picture ready to be recorded inside a transaction (`prepare` made any upload a PreparedUpload). */
export type ReadyPicture = { prepared?: PreparedUpload; upload?: never; mediaId?: number | null; mediaUuid?: string | null } | null | undefined;

/** Says whether a viewer may see a media because of what uses it (an event's picture: whoever sees the event). */
export type MediaReader = (viewer: Principal, media: Media) => Promise<boolean>;

// Decoding a hostile file must not eat the server's memory: refuse pictures above 50 megapixels.
const PIXEL_LIMIT = 50_000_000;
/** Media nothing uses are deleted after this long (Mobilizon: 48 hours). */
export const ORPHAN_AFTER = 2 * DAY;
/** A file whose recording transaction has not committed after this long never will. */
const PENDING_AFTER = HOUR;

/**
 * Pictures: checked from their bytes, size-limited per use, re-encoded (orientation applied, EXIF/GPS and every
 * other metadata dropped, reduced to a sane size), stored under the uploads folder and served at /media/.
 *
 * Files and rows (docs/adr/0010): a picture is processed and written to disk — durably, under its final name — before
 * the transaction that records it opens (image work never holds SQLite's writer lock), and noted in `upload_files`
 * first. The transaction's commit takes the note away; a rolled-back transaction leaves it, and the hourly sweep
 * deletes the files. Media nothing uses (no profile, event picture or text refers to them) go after ORPHAN_AFTER.
 */
export class MediaService {
  private readonly d: MediaDeps;
  private readonly readers: MediaReader[] = [];
  constructor(d: MediaDeps) {
    this.d = d;
  }

  /** The size limit for a use, in bytes. */
  limitFor(kind: MediaKind): number {
    return kind === "avatar" ? this.d.uploads.avatarLimit : kind === "banner" ? this.d.uploads.bannerLimit : this.d.uploads.limit;
  }

  /**
   * Validates and re-encodes an upload and writes it to disk, before any transaction (it must not be called inside
   * one). The files stay noted as pending until a committed row claims them with `record`.
   */
  async prepareUpload(input: UploadInput, kind: MediaKind): Promise<PreparedUpload> {
    const name = input.name.trim();
    if (!name || name.length > 255) throw invalid("name", "A media needs a name of at most 255 characters");
    if (input.alt && input.alt.length > 1000) throw invalid("alt", "The alternative text is too long");
    if (input.bytes.byteLength > this.limitFor(kind))
      throw new DomainError("validation", `The file is too large (limit ${Math.round(this.limitFor(kind) / 1024)} KiB)`, "file");
    const type = sniffImage(input.bytes);
    if (!type) throw new DomainError("validation", "The file is not a supported picture (JPEG, PNG, GIF or WebP)", "file");

    const box = MAX_DIMENSIONS[kind];
    let out: { data: Buffer; info: OutputInfo };
    let thumb: Buffer;
    let blurhash: string;
    // sharp (libvips) is loaded on the first upload only: an instance that never receives one never pays its memory.
    const [{ default: sharp }, { encode }] = await Promise.all([import("sharp"), import("blurhash")]);
    try {
      const animated = type.contentType === "image/gif" || type.contentType === "image/webp";
      let img = sharp(input.bytes, { limitInputPixels: PIXEL_LIMIT, animated }).rotate();
      img = img.resize({ width: box.width, height: box.height, fit: box.fit, withoutEnlargement: true });
      img =
        type.contentType === "image/jpeg"
          ? img.jpeg({ quality: 85, mozjpeg: true })
          : type.contentType === "image/png"
            ? img.png({ compressionLevel: 9 })
            : type.contentType === "image/gif"
              ? img.gif()
              : img.webp({ quality: 85 });
      out = await img.toBuffer({ resolveWithObject: true });
      // The smaller copy and the BlurHash (a placeholder clients draw while the picture loads) come from the result.
      const small = sharp(out.data, { animated: false }).resize({ width: THUMB_SIZE[kind], height: THUMB_SIZE[kind], fit: box.fit === "cover" ? "cover" : "inside", withoutEnlargement: true });
      thumb = await (type.contentType === "image/jpeg" ? small.jpeg({ quality: 80 }) : type.contentType === "image/png" ? small.png() : type.contentType === "image/gif" ? small.gif() : small.webp({ quality: 80 })).toBuffer();
      const { data: pixels, info } = await sharp(out.data, { animated: false }).resize(32, 32, { fit: "inside" }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      blurhash = encode(new Uint8ClampedArray(pixels), info.width, info.height, 4, 3);
    } catch {
      throw new DomainError("validation", "The picture could not be read", "file");
    }

    const uuid = newUuid();
    const path = `${uuid.slice(0, 2)}/${uuid}.${type.ext}`;
    await repo.notePendingFile(this.d.db, uuid, path, this.d.clock.now());
    const file = join(this.d.uploads.dir, path);
    await writeFileDurably(file, out.data);
    await writeFileDurably(thumbName(file), thumb);
    return {
      uuid,
      name,
      alt: input.alt?.trim() || null,
      contentType: type.contentType,
      size: out.data.byteLength,
      width: out.info.width,
      height: out.info.pageHeight ?? out.info.height,
      blurhash,
      path,
    };
  }

  /** Turns a client's picture into one ready for a transaction: processes and writes a new upload (outside any). */
  async prepare(pic: PictureInput, kind: MediaKind): Promise<ReadyPicture> {
    if (!pic) return pic;
    if (pic.upload) return { prepared: await this.prepareUpload(pic.upload, kind) };
    return { mediaId: pic.mediaId, mediaUuid: pic.mediaUuid };
  }

  /** Records a prepared upload as a media owned by `actorId` (null until its actor exists), in the caller's transaction. */
  async record(tx: Tx, prepared: PreparedUpload, actorId: number | null, remoteUrl: string | null = null): Promise<Media> {
    const media = await repo.insert(tx, { ...prepared, actorId, remoteUrl, insertedAt: this.d.clock.now() });
    await this.d.bus.emit({ type: MediaEvents.Created, payload: { mediaId: media.id, actorId } }, tx);
    afterCommit(tx, () => void repo.clearPendingFile(this.d.db, prepared.uuid).catch(() => {}));
    return media;
  }

  /** Processes, writes and records an upload at once, outside any transaction (uploadMedia). */
  async store(input: UploadInput, kind: MediaKind, actorId: number | null): Promise<Media> {
    const prepared = await this.prepareUpload(input, kind);
    return this.d.db.transaction().execute((tx) => this.record(tx, prepared, actorId));
  }

  /**
   * Turns a ready picture into a media id: records a prepared upload (owned by `ownerActorId`, or unowned until its
   * actor exists), or checks that an existing media belongs to one of `ownActorIds`. `undefined` leaves the picture as
   * it is.
   */
  async resolvePicture(pic: ReadyPicture, kind: MediaKind, ownerActorId: number | null, ownActorIds: readonly number[], tx: Tx): Promise<number | null | undefined> {
    if (pic === undefined) return undefined;
    if (pic === null) return null;
    if (pic.prepared) return (await this.record(tx, pic.prepared, ownerActorId)).id;
    const m = pic.mediaUuid ? await repo.findByUuid(tx, pic.mediaUuid) : pic.mediaId != null ? await repo.findById(tx, pic.mediaId) : undefined;
    if (m === undefined) return undefined;
    if (!m || !isOwnMedia(m, ownActorIds)) throw invalid(kind === "picture" ? "picture" : kind, "This media doesn't exist or isn't yours");
    return m.id;
  }

  /**
   * Keeps a copy of another server's picture (a remote profile's avatar or banner, a remote event's picture), checked
   * and re-encoded like an upload: readers' browsers load it from here, never from a third party. `use` attaches it
   * (in the same transaction) to what shows it.
   */
  async copyRemote(bytes: Uint8Array, kind: MediaKind, remoteUrl: string, ownerActorId: number | null, use: (tx: Tx, m: Media) => Promise<void>): Promise<Media> {
    const name = decodeURIComponent(new URL(remoteUrl).pathname.split("/").pop() || "picture").slice(0, 200) || "picture";
    const prepared = await this.prepareUpload({ bytes, name }, kind);
    return this.d.db.transaction().execute(async (tx) => {
      const m = await this.record(tx, prepared, ownerActorId, remoteUrl);
      await use(tx, m);
      return m;
    });
  }

  /** Stores a picture uploaded by the caller as one of their identities, by default their default one (uploadMedia). */
  async upload(caller: Principal, input: UploadInput, actorId: number | null): Promise<Media> {
    const user = caller.requireUser();
    const own = await caller.actorIds();
    return this.store(input, "picture", requireUploadAs(actorId ?? user.defaultActorId ?? own[0], own));
  }

  /** Removes a media its caller owns, by id or uuid (removeMedia). */
  async remove(caller: Principal, ref: { id: number } | { uuid: string }): Promise<Media> {
    caller.requireUser();
    const m = "uuid" in ref ? await repo.findByUuid(this.d.db, ref.uuid) : await repo.findById(this.d.db, ref.id);
    if (!m) throw notFound("Media");
    requireOwnMedia(m, await caller.actorIds());
    await this.erase(m);
    return m;
  }

  /**
   * Deletes a media's row, then its files; a crash between the two leaves a pending note the sweep finishes. With
   * `onlyIfUnused` (the sweep), the row goes only if nothing uses it at that moment: returns whether it went.
   */
  private async erase(m: Pick<Media, "id" | "uuid" | "path">, onlyIfUnused = false): Promise<boolean> {
    await repo.notePendingFile(this.d.db, m.uuid, m.path, new Date(0));
    const gone = await this.d.db.transaction().execute(async (tx) => {
      const went = onlyIfUnused ? await repo.deleteIfUnused(tx, m.id) : (await repo.delete(tx, m.id), true);
      if (went) await this.d.bus.emit({ type: MediaEvents.Deleted, payload: { mediaId: m.id, uuid: m.uuid } }, tx);
      return went;
    });
    if (gone) await this.removeFiles(m.path);
    await repo.clearPendingFile(this.d.db, m.uuid);
    return gone;
  }

  private async removeFiles(path: string) {
    await rm(join(this.d.uploads.dir, path), { force: true });
    await rm(join(this.d.uploads.dir, thumbName(path)), { force: true });
  }

  /**
   * Hourly: deletes the files of uploads whose transaction never committed, and media nothing has used for
   * ORPHAN_AFTER (a profile, an event's picture, a text that shows it). Returns how many of each went.
   */
  async sweep(): Promise<{ files: number; orphans: number }> {
    const now = this.d.clock.now().getTime();
    let files = 0;
    for (const p of await repo.pendingFilesBefore(this.d.db, new Date(now - PENDING_AFTER), 500)) {
      if (!(await repo.findByUuid(this.d.db, p.uuid))) {
        await this.removeFiles(p.path);
        files++;
      }
      await repo.clearPendingFile(this.d.db, p.uuid);
    }
    let orphans = 0;
    for (const m of await repo.unusedBefore(this.d.db, new Date(now - ORPHAN_AFTER), 500)) if (await this.erase(m, true)) orphans++;
    if (files || orphans) this.d.logger?.info("media swept", { files, orphans });
    return { files, orphans };
  }

  /** Lets a module that uses media say who may see them (composition root: events, actors). */
  addReader(reader: MediaReader): void {
    this.readers.push(reader);
  }

  /**
   * A media as the viewer may see it (media): their own, or one something they may see uses. "Not found" otherwise —
   * pictures of drafts and private events, and the names of files people uploaded, are nobody else's business.
   */
  async getForViewer(viewer: Principal, ref: { id: number } | { uuid: string }): Promise<Media> {
    const m = "uuid" in ref ? await repo.findByUuid(this.d.db, ref.uuid) : await repo.findById(this.d.db, ref.id);
    if (m && isOwnMedia(m, await viewer.actorIds())) return m;
    if (m) for (const reader of this.readers) if (await reader(viewer, m)) return m;
    throw notFound("Media");
  }

  /**
   * Records which media a text shows (the images of an event's description): they are in use while it does. `texts`
   * are sanitised HTML; only this instance's /media/ files count.
   */
  async setReferences(tx: Executor, ownerType: string, ownerId: number, texts: readonly string[]): Promise<void> {
    const prefix = this.d.urls.mediaPrefix();
    const uuids = new Set<string>();
    for (const text of texts)
      for (const m of text.matchAll(/src="([^"]+)"/g))
        if (m[1].startsWith(prefix)) {
          const file = m[1].slice(prefix.length).match(/^([0-9a-f-]{36})(-thumb)?\.(jpg|png|gif|webp)$/);
          if (file) uuids.add(file[1]);
        }
    await repo.setReferences(tx, ownerType, ownerId, [...uuids]);
  }

  /** Forgets what several texts of a type referred to (they are going: a group's posts, a discussion's messages). */
  clearReferences(tx: Executor, ownerType: string, ownerIds: readonly number[]): Promise<void> {
    return repo.clearReferences(tx, ownerType, ownerIds);
  }

  /** The owners of a type whose texts refer to a media (who may see it follows who may see them). */
  referencedBy(mediaId: number, ownerType: string): Promise<number[]> {
    return repo.referencingOwners(this.d.db, mediaId, ownerType);
  }

  /** A media by id, or null. */
  findById(id: number, tx: Executor = this.d.db) {
    return repo.findById(tx, id);
  }

  /** Media by ids (DataLoader batch). */
  findByIds(ids: readonly number[]) {
    return repo.findByIds(this.d.db, ids);
  }

  /** Gives an unowned upload to the actor it was made for. */
  setOwner(tx: Executor, id: number, actorId: number) {
    return repo.setOwner(tx, id, actorId);
  }

  /** Total bytes of media owned by these actors. */
  totalSize(actorIds: readonly number[]) {
    return repo.totalSizeByActors(this.d.db, actorIds);
  }

  /** The public URL of a media file. */
  url(m: Media): string {
    return this.d.urls.media(m.path.split("/")[1]);
  }

  /** The file on disk for a public file name (uuid.ext, or uuid-thumb.ext for the smaller copy), or null. */
  fileFor(fileName: string): string | null {
    if (!/^[0-9a-f-]{36}(-thumb)?\.(jpg|png|gif|webp)$/.test(fileName)) return null;
    return join(this.d.uploads.dir, fileName.slice(0, 2), fileName);
  }
}
