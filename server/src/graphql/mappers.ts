import type { Address } from "../modules/addresses/index.ts";
import type { Actor } from "../modules/actors/index.ts";
import type { GqlContext } from "./context.ts";

/** Mappers from domain objects to API shapes that several modules' slices share (actors of every type, places). */

/** A place in the API's shape: a `geom` "lon;lat". */
export const mapAddress = (a: Address | null) =>
  a && {
    ...a,
    id: String(a.id),
    geom: a.latitude != null && a.longitude != null ? `${a.longitude};${a.latitude}` : null,
    pictureInfo: null,
  };


/** Fields every actor type shares (Person now, Group later). */
export const actorFields = {
  id: (a: Actor) => String(a.id),
  type: (a: Actor) => a.type.toUpperCase(),
  local: (a: Actor) => a.domain === null,
  // A person's description is plain text, as Mobilizon keeps it (its client edits it in a textarea and shows it as
  // text): served as typed.
  summary: (a: Actor) => a.summary ?? "",
  avatar: (a: Actor, _: unknown, ctx: GqlContext) => (a.avatarId ? ctx.loaders.media.load(a.avatarId) : null),
  banner: (a: Actor, _: unknown, ctx: GqlContext) => (a.bannerId ? ctx.loaders.media.load(a.bannerId) : null),
  // Profiles show no follower counts: Convene does not rank people.
  followersCount: () => null,
  followingCount: () => null,
};
