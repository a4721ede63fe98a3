/** Calendars (iCalendar) and Atom feeds, and the private tokens of "going" feeds. */
export { FeedService, type FeedsDeps, type FeedFormat } from "./feed.service.ts";
export type { FeedToken } from "./feed.repository.ts";
/** Domain events of private feed tokens. */
export { FeedEvents, type FeedEvent } from "./feed.events.ts";
