/** Uploaded pictures: validation from bytes, re-encoding without metadata, storage and URLs. */
export { MediaService, ORPHAN_AFTER, type MediaDeps, type MediaReader, type UploadInput, type PictureInput, type PreparedUpload, type ReadyPicture } from "./media.service.ts";
/** Domain events of media. */
export { MediaEvents, type MediaEvent } from "./media.events.ts";
export { sniffImage, type Media, type MediaKind } from "./media.types.ts";
