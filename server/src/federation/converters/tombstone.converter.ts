import { CONTEXT } from "../context.ts";

/** What stands at the URL of something deleted: Mobilizon's Tombstone (answered with 410 Gone). */
export function toTombstone(t: { uri: string; formerType: string; deletedAt: Date }): Record<string, unknown> {
  return { "@context": CONTEXT, id: t.uri, type: "Tombstone", formerType: t.formerType, deleted: t.deletedAt.toISOString() };
}
