/** A group's timeline: who changed what, for its members. */
export { ActivityService, type ActivityDeps } from "./activity.service.ts";
export { KEEP_AT_LEAST, KEEP_DAYS, type Activity } from "./activity.types.ts";
