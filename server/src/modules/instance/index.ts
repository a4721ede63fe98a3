/** The instance's public description and settings. */
export { InstanceService, type StatisticsCounts } from "./instance.service.ts";
export { EVENT_CATEGORIES, type InstanceInfo } from "./instance.types.ts";
