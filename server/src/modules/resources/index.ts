/** A group's shared directory of links and folders, with safe link previews. */
export { ResourceService, type ResourcesDeps, type ResourceInput } from "./resource.service.ts";
export { LinkPreviewer, PREVIEWS_PER_HOUR } from "./link-previewer.ts";
/** Domain events of resources. */
export { ResourceEvents, type ResourceEvent } from "./resource.events.ts";
export type { Resource, RootFolder } from "./resource.types.ts";
export type { LinkMetadata } from "./link-preview.ts";
