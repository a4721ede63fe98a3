import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { OutputInfo } from "sharp";
import type { Db, Executor } from "../../db/index.ts";
import { DomainError, forbidden, invalid, newUuid, notFound, type Clock } from "../../kernel/index.ts";
import { mediaRepository as repo } from "./media.repository.ts";
import { encode } from "blurhash";
import { MAX_DIMENSIONS, sniffImage, THUMB_SIZE, thumbName, type Media, type MediaKind } from "./media.types.ts";

export type MediaDeps = {
  db: Db;
  clock: Clock;
  uploads: { dir: string; limit: number; avatarLimit: number; bannerLimit: number };
  baseUrl: string;
};

export type UploadInput = { bytes: Uint8Array; name: string; alt?: string | null };

/** A picture for a profile or an event: a new upload, or one of the caller's existing media; null removes it. */
export type PictureInput = { upload?: UploadInput | null; mediaId?: number | null } | null | undefined;

// Decoding a hostile file must not eat the server's memory: refuse pictures above 50 megapixels.
const PIXEL_LIMIT = 50_000_000;

/**
 * Pictures: checked from their bytes, size-limited per use, re-encoded (orientation applied, EXIF/GPS and every
 * other metadata dropped, reduced to a sane size), stored under the uploads folder and served at /media/.
 */
export class MediaService {
  private readonly d: MediaDeps;
  constructor(d: MediaDeps) {
    this.d = d;
  }

  /** The size limit for a use, in bytes. */
  limitFor(kind: MediaKind): number {
    return kind === "avatar" ? this.d.uploads.avatarLimit : kind === "banner" ? this.d.uploads.bannerLimit : this.d.uploads.limit;
  }

  /** Validates, re-encodes and stores an uploaded picture owned by `actorId` (null until its actor exists). */
  async store(input: UploadInput, kind: MediaKind, actorId: number | null, tx: Executor = this.d.db): Promise<Media> {
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
    const { default: sharp } = await import("sharp");
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
    const file = join(this.d.uploads.dir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, out.data);
    await writeFile(thumbName(file), thumb);
    try {
      return await repo.insert(tx, {
        uuid,
        actorId,
        name,
        alt: input.alt?.trim() || null,
        contentType: type.contentType,
        size: out.data.byteLength,
        width: out.info.width,
        height: out.info.pageHeight ?? out.info.height,
        blurhash,
        path,
        insertedAt: this.d.clock.now(),
      });
    } catch (e) {
      await rm(file, { force: true });
      await rm(thumbName(file), { force: true });
      throw e;
    }
  }

  /**
   * Turns a picture input into a media id: stores a new upload (owned by `ownerActorId`, or unowned until its actor
   * exists), or checks that an existing media belongs to one of `ownActorIds`. `undefined` leaves the picture as it is.
   */
  async resolvePicture(pic: PictureInput, kind: MediaKind, ownerActorId: number | null, ownActorIds: readonly number[], tx: Executor): Promise<number | null | undefined> {
    if (pic === undefined) return undefined;
    if (pic === null) return null;
    if (pic.upload) return (await this.store(pic.upload, kind, ownerActorId, tx)).id;
    if (pic.mediaId != null) {
      const m = await repo.findById(tx, pic.mediaId);
      if (!m || m.actorId === null || !ownActorIds.includes(m.actorId)) throw invalid(kind === "picture" ? "picture" : kind, "This media doesn't exist or isn't yours");
      return m.id;
    }
    return undefined;
  }

  /** Removes a media its caller owns (one of `ownActorIds`). */
  async remove(id: number, ownActorIds: readonly number[]): Promise<{ id: number }> {
    const m = await repo.findById(this.d.db, id);
    if (!m) throw notFound("Media");
    if (m.actorId === null || !ownActorIds.includes(m.actorId)) throw forbidden("This media is not yours");
    await repo.delete(this.d.db, id);
    await rm(join(this.d.uploads.dir, m.path), { force: true });
    await rm(join(this.d.uploads.dir, thumbName(m.path)), { force: true });
    return { id };
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
    return `${this.d.baseUrl}/media/${m.path.split("/")[1]}`;
  }

  /** The file on disk for a public file name (uuid.ext, or uuid-thumb.ext for the smaller copy), or null. */
  fileFor(fileName: string): string | null {
    if (!/^[0-9a-f-]{36}(-thumb)?\.(jpg|png|gif|webp)$/.test(fileName)) return null;
    return join(this.d.uploads.dir, fileName.slice(0, 2), fileName);
  }
}
