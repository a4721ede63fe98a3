import type { InstanceInfo } from "./instance.types.ts";

let timezones: string[] | null = null;

/** What the instance tells about itself (config query, NodeInfo later, the about page). */
export class InstanceService {
  private readonly info: InstanceInfo;
  constructor(info: InstanceInfo) {
    this.info = info;
  }

  /** The public facts about this instance. */
  get(): InstanceInfo {
    return this.info;
  }

  /** Every IANA timezone this runtime knows. */
  timezones(): string[] {
    timezones ??= Intl.supportedValuesOf("timeZone");
    return timezones;
  }
}
