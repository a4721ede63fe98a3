import type { Urls } from "../../kernel/index.ts";
import type { Actor, ActorKey } from "../../modules/actors/index.ts";
import { CONTEXT } from "../context.ts";

export type Picture = { url: string; mediaType: string; name?: string | null };

/**
 * A local actor as other servers read it (Mobilizon's shape, federation.md §1.3): one `publicKey` object, the shared
 * inbox in `endpoints`, collections both in `endpoints` and at the top level for groups, `summary` never null.
 */
export function toActor(a: Actor, key: ActorKey, urls: Urls, pictures: { avatar?: Picture | null; banner?: Picture | null } = {}): Record<string, unknown> {
  const u = a.preferredUsername;
  const isRelay = a.type === "Application";
  const group = a.type === "Group";
  const collections = group
    ? Object.fromEntries((["members", "resources", "todos", "posts", "events", "discussions"] as const).map((n) => [n, urls.collection(u, n)]))
    : { members: null, resources: null, todos: null, posts: null, events: null, discussions: null };
  const doc: Record<string, unknown> = {
    "@context": CONTEXT,
    id: a.url,
    type: a.type,
    preferredUsername: u,
    name: a.name ?? (isRelay ? "" : u),
    // A private group's description is its members' (its actor is still served: their servers check its signatures).
    summary: group && a.visibility === "private" ? "" : (a.summary ?? ""),
    url: a.url,
    inbox: isRelay ? urls.sharedInbox() : urls.inbox(u),
    outbox: urls.outbox(u),
    followers: urls.followers(u),
    following: urls.following(u),
    discoverable: a.visibility === "public",
    manuallyApprovesFollowers: a.manuallyApprovesFollowers,
    // Mobilizon's words: open, moderated, invite_only.
    openness: group ? (a.openness ?? "INVITE_ONLY").toLowerCase() : null,
    published: a.insertedAt.toISOString(),
    publicKey: { id: key.keyId, owner: a.url, publicKeyPem: key.publicKeyPem },
    endpoints: { sharedInbox: urls.sharedInbox(), ...collections },
  };
  if (group) Object.assign(doc, collections);
  if (pictures.avatar) doc.icon = { type: "Image", mediaType: pictures.avatar.mediaType, url: pictures.avatar.url };
  if (pictures.banner) doc.image = { type: "Image", mediaType: pictures.banner.mediaType, url: pictures.banner.url };
  return doc;
}
