export type Media = {
  id: number;
  uuid: string;
  actorId: number | null;
  name: string;
  alt: string | null;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  path: string;
  /** Where a copy of another server's picture came from (null for uploads made here). */
  remoteUrl?: string | null;
  insertedAt: Date;
};

export type MediaKind = "avatar" | "banner" | "picture";

export type ImageType = { contentType: string; ext: string };

/** Recognises the image formats we accept from their first bytes, never from the name or the declared type. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  const at = (i: number, ...b: number[]) => b.every((v, k) => bytes[i + k] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return { contentType: "image/jpeg", ext: "jpg" };
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { contentType: "image/png", ext: "png" };
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return { contentType: "image/gif", ext: "gif" };
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return { contentType: "image/webp", ext: "webp" };
  return null;
}

/** The smaller copy made of every picture, for lists and avatars in small sizes: `<name>-thumb.<ext>`. */
export const THUMB_SIZE: Record<MediaKind, number> = { avatar: 96, banner: 480, picture: 480 };

/** The file name of a media's smaller copy. */
export const thumbName = (fileName: string) => fileName.replace(/\.(\w+)$/, "-thumb.$1");

/** Largest box an uploaded picture is reduced to, per use. */
export const MAX_DIMENSIONS: Record<MediaKind, { width: number; height: number; fit: "inside" | "cover" }> = {
  avatar: { width: 512, height: 512, fit: "cover" },
  banner: { width: 1920, height: 640, fit: "inside" },
  picture: { width: 1920, height: 1080, fit: "inside" },
};
