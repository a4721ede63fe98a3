/** Events: publish, edit, delete, see, find. */
/** Copies of other servers' events. */
export { RemoteEventService, type RemoteEventInput, type RemoteEventsDeps } from "./remote-event.service.ts";
export { formatAddress } from "../addresses/index.ts";
export { EventService, type EventsDeps, type EventInput, type AddressArg } from "./event.service.ts";
export { EventEvents, type EventSnapshot, type EventCreatedPayload, type EventUpdatedPayload, type EventDeletedPayload, type EventEvent } from "./event.events.ts";
export { isOrganizer, canView, type Viewer } from "./event.policy.ts";
/** An event's visibility: the read rule and the audience it is sent to, together. */
export { audienceOf, readableByLink, type Audience } from "./event.visibility.ts";
export { apiIdOf, checkTags, checkTimezone, isLongEvent, tagSlug, viaLink, type AddressInput, type EventMetadata, type EventRef, type Event, type Address, type EventOptions, type EventStatus, type EventVisibility, type EventJoinOptions } from "./event.types.ts";
export type { EventSearch, SearchSort } from "./event.queries.ts";
export { ensureTagIds, uniqueBySlug } from "./tag.repository.ts";
