import type { PictureInput } from "../modules/media/index.ts";
import { DomainError } from "../kernel/index.ts";
import { parseId } from "./ids.ts";

export type MediaInputArg = { media?: { name: string; alt?: string | null; file?: File | null } | null; mediaId?: string | null; mediaUuid?: string | null } | null | undefined;

/** Mobilizon's MediaInput → a picture to store or reuse. `null` removes the picture; absent leaves it. */
export async function toPicture(arg: MediaInputArg, field: string): Promise<PictureInput> {
  if (arg === undefined) return undefined;
  if (arg === null) return null;
  if (arg.media?.file) return { upload: { bytes: new Uint8Array(await arg.media.file.arrayBuffer()), name: arg.media.name, alt: arg.media.alt } };
  if (arg.mediaUuid != null) return { mediaUuid: arg.mediaUuid };
  if (arg.mediaId != null) return { mediaId: parseId(arg.mediaId, `${field}.mediaId`) };
  if (arg.media) throw new DomainError("validation", "A media needs a file", field);
  return undefined;
}
