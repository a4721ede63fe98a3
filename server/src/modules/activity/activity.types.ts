export const ACTIVITY_TYPES = ["EVENT", "POST", "DISCUSSION", "RESOURCE", "GROUP", "MEMBER"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type ObjectType = "event" | "post" | "discussion" | "resource" | "member" | "group";

/** One line of a group's timeline, in Mobilizon's subjects ("event_created") and parameters. */
export type Activity = {
  id: number;
  groupId: number;
  type: ActivityType;
  subject: string;
  params: Record<string, string>;
  authorId: number | null;
  objectType: ObjectType | null;
  objectId: number | null;
  insertedAt: Date;
};

/** How long the timeline keeps its entries, and how many it keeps per group whatever their age. */
export const KEEP_DAYS = 365;
export const KEEP_AT_LEAST = 100;
