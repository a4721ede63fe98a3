import type { ActorType, RemoteActorInput } from "../../modules/actors/index.ts";
import { sanitizeHtml } from "../../modules/content/index.ts";
import { hostOf, httpUrl, idOf, isObject, str, typeOf, type Json } from "./json.ts";

const TYPES: Record<string, ActorType> = { Person: "Person", Service: "Person", Group: "Group", Organization: "Group", Application: "Application" };

/**
 * A remote actor from its document, or the reason it is refused. The document must come from the actor's own
 * server (its id on the host it was fetched from) and name an inbox; the key is read from `publicKey` (an object,
 * or the first of an array, as PeerTube and others send).
 */
export function parseActor(doc: unknown, fetchedFrom: string, localOrigin: string): RemoteActorInput | string {
  if (!isObject(doc)) return "not an object";
  const type = TYPES[typeOf(doc) ?? ""];
  if (!type) return `not an actor type (${String(typeOf(doc))})`;
  const url = httpUrl(doc.id);
  if (!url) return "no id";
  const domain = hostOf(url)!;
  if (domain !== hostOf(fetchedFrom)) return "the actor's id is on another server than the document";
  const inbox = httpUrl(doc.inbox);
  if (!inbox) return "no inbox";
  // We sign and send to these: they must be the actor's own server's.
  if (hostOf(inbox) !== domain) return "the inbox is on another server";
  const endpoints = isObject(doc.endpoints) ? doc.endpoints : {};
  const username = (str(doc.preferredUsername, 200) ?? new URL(url).pathname.split("/").filter(Boolean).pop() ?? "").replace(/^@/, "").trim();
  if (!username) return "no preferredUsername";
  let publicKey: RemoteActorInput["publicKey"] = null;
  for (const k of Array.isArray(doc.publicKey) ? doc.publicKey : [doc.publicKey]) {
    if (isObject(k) && str(k.publicKeyPem, 20_000) !== null && str(k.id, 2048) !== null) {
      const owner: string = idOf(k.owner) ?? url;
      if (owner === url && hostOf(k.id as string) === domain) {
        publicKey = { id: k.id as string, pem: k.publicKeyPem as string };
        break;
      }
    }
  }
  const member = (name: string) => httpUrl((endpoints as Json)[name]) ?? httpUrl(doc[name]);
  return {
    url,
    type,
    preferredUsername: username.slice(0, 100),
    domain,
    name: str(doc.name, 500)?.replace(/<[^>]*>/g, "").trim().slice(0, 200) || null,
    summary: str(doc.summary, 50_000) ? sanitizeHtml(doc.summary as string, { mediaOrigin: localOrigin }).slice(0, 5000) : null,
    endpoints: {
      inbox,
      sharedInbox: hostOf(httpUrl((endpoints as Json).sharedInbox)) === domain ? httpUrl((endpoints as Json).sharedInbox) : null,
      outbox: httpUrl(doc.outbox),
      followers: httpUrl(doc.followers),
      following: httpUrl(doc.following),
      members: type === "Group" ? member("members") : null,
    },
    manuallyApprovesFollowers: doc.manuallyApprovesFollowers === true,
    discoverable: doc.discoverable !== false,
    // A group's way in, in Mobilizon's words (open, moderated, invite_only); moderated when it does not say.
    openness: type === "Group" ? ({ open: "OPEN", moderated: "MODERATED", invite_only: "INVITE_ONLY" } as Record<string, string>)[String(doc.openness ?? "").toLowerCase()] ?? "MODERATED" : null,
    publicKey,
  };
}
