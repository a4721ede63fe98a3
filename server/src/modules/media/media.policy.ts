import { forbidden } from "../../kernel/index.ts";
import type { Media } from "./media.types.ts";

/** A media belongs to the identity that uploaded it; one not yet attached to an identity belongs to nobody. */
export const isOwnMedia = (m: Pick<Media, "actorId">, ownActorIds: readonly number[]): boolean => m.actorId !== null && ownActorIds.includes(m.actorId);

/** Only its owner removes a media. */
export function requireOwnMedia(m: Pick<Media, "actorId">, ownActorIds: readonly number[]): void {
  if (!isOwnMedia(m, ownActorIds)) throw forbidden("This media is not yours");
}

/** An upload is made as one of the caller's identities. */
export function requireUploadAs(actorId: number | undefined, ownActorIds: readonly number[]): number {
  if (actorId === undefined || !ownActorIds.includes(actorId)) throw forbidden("This profile is not yours");
  return actorId;
}
