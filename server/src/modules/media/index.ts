/** Uploaded pictures: validation from bytes, re-encoding without metadata, storage and URLs. */
export { MediaService, type MediaDeps, type UploadInput, type PictureInput } from "./media.service.ts";
export { sniffImage, type Media, type MediaKind } from "./media.types.ts";
