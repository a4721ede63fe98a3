import { createHash } from "node:crypto";
import type { Context } from "hono";
import { rateLimits, type Db, type Executor } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Clock, JobQueue, Logger } from "../../kernel/index.ts";
import { activityJson } from "../routes/actors.route.ts";
import { hostOf, idOf, isObject, str, typeOf, type Json } from "../parse/json.ts";
import type { RemoteActors } from "../remote-actors.ts";
import { readSignature } from "../signatures.ts";
import { receiptRepository } from "./receipt.repository.ts";

/** What belongs to a group's shared folder and todo lists: handled in order per group. */
const GROUP_THINGS = new Set(["Document", "ResourceCollection", "TodoList", "Todo"]);

/** The largest activity accepted (Mastodon's limit is about the same). */
export const MAX_ACTIVITY_BYTES = 1_000_000;
/** Nesting beyond this is no activity anyone writes (and would be costly to store and walk). */
const MAX_DEPTH = 32;
/** Unsigned Creates (read back from their origin) accepted per server in ten minutes. */
const UNSIGNED_PER_10_MIN = 60;

function depthOf(v: unknown, limit: number): number {
  if (typeof v !== "object" || v === null) return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) max = Math.max(max, depthOf(x, limit - 1));
  return max + 1;
}

export type InboxJob = { activity: Json; signerActorId: number | null; unsigned?: boolean };

/** Reads a request body up to `max` bytes, whether or not it declares its length; null beyond. */
async function readBody(req: Request, max: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > max) return null;
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const refuse = (status: 400 | 401 | 403 | 413 | 415 | 429, error: string) => activityJson({ error }, status);

/**
 * An inbox POST (`/inbox`, `/@name/inbox`, `/relay/inbox`): the body read within its limit, the JSON checked for
 * the shape of an activity, the signature verified (cavage or RFC 9421; the digest and the date checked; the key's
 * owner must be the activity's actor), the sender's domain not blocked, and the activity accepted once (a retry of the
 * same bytes is not applied twice; Mobilizon's Updates, which reuse their id, are). Accepted activities are processed
 * by the job worker, in order per object: the sender gets 202 at once, and nothing is lost if this process stops.
 * An unsigned `Create` is not trusted but its object is fetched from its origin, as Mobilizon does.
 */
export async function receive(c: Context, d: { db: Db; clock: Clock; services: Services; actors: RemoteActors; queue: JobQueue<Executor>; logger: Logger }): Promise<Response> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type && !/json/.test(type)) return refuse(415, "activities are JSON");
  const body = await readBody(c.req.raw, MAX_ACTIVITY_BYTES);
  if (body === null) return refuse(413, `an activity is at most ${MAX_ACTIVITY_BYTES} bytes`);
  let activity: unknown;
  try {
    activity = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return refuse(400, "the body is not JSON");
  }
  if (!isObject(activity)) return refuse(400, "an activity is a JSON object");
  if (depthOf(activity, MAX_DEPTH + 1) > MAX_DEPTH) return refuse(400, `an activity is nested at most ${MAX_DEPTH} levels deep`);
  const kind = typeOf(activity);
  const actorUrl = idOf(activity.actor);
  if (!kind || str(kind, 100) === null) return refuse(400, "the activity has no type");
  if (!actorUrl) return refuse(400, "the activity names no actor");
  if (activity.id !== undefined && str(activity.id, 2048) === null) return refuse(400, "the activity's id is not a string");
  const domain = hostOf(actorUrl)!;
  if (d.services.urls.isLocal(actorUrl)) return refuse(403, "activities of this instance's actors do not come from elsewhere");
  if (await d.services.peers.isBlocked(domain)) return refuse(403, `${domain} is blocked on this instance`);

  const url = new URL(c.req.url);
  const check = readSignature({ method: "POST", url: `${d.services.urls.base}${url.pathname}${url.search}`, headers: c.req.raw.headers, body });
  if (!check.ok) {
    const objectId = idOf(activity.object);
    if (kind === "Create" && objectId && check.reason === "not signed" && hostOf(objectId) === domain) {
      // Not trusted as sent: the object is read from its origin, which speaks for itself — once per object, and a
      // bounded number of times per server (each costs us a request).
      if ((await rateLimits.hit(d.db, `unsigned:${domain}`, 10 * 60_000, d.clock.now())) > UNSIGNED_PER_10_MIN) return refuse(429, "too many unsigned activities from this server");
      const fresh = await d.db.transaction().execute(async (tx) => {
        if (!(await receiptRepository.record(tx, createHash("sha256").update(`unsigned\n${objectId}`).digest("hex"), d.clock.now()))) return false;
        await d.queue.enqueue(tx, "federation.inbox", { activity, signerActorId: null, unsigned: true } satisfies InboxJob, { queue: "federation", maxAttempts: 3, orderingKey: `inbox|${objectId}` });
        return true;
      });
      if (!fresh) d.logger.debug("unsigned Create of an object already read", { object: objectId });
      return activityJson({ accepted: true }, 202);
    }
    return refuse(401, `signature refused: ${check.reason}`);
  }
  // A key is its actor's: one named on another server than the activity's actor is refused before anything is fetched.
  if (hostOf(check.keyId) !== domain) return refuse(401, "signature refused: the key is not on the actor's server");
  let key = await d.actors.keyFor(check.keyId);
  let verified = !!key && check.verify(key.pem);
  if (!verified && key?.stored) {
    // A key we had may have been rotated since: read the actor again, once.
    key = await d.actors.keyFor(check.keyId, { refresh: true });
    verified = !!key && check.verify(key.pem);
  }
  if (!key || !verified) return refuse(401, "signature refused: it does not verify with the key it names");
  if (key.actor.url !== actorUrl) return refuse(401, "signature refused: the signer is not the activity's actor");

  const digest = createHash("sha256").update(body).digest("hex");
  const receiptKey = createHash("sha256").update(`${String(activity.id ?? "")}\n${kind}\n${digest}`).digest("hex");
  const fresh = await d.db.transaction().execute(async (tx) => {
    if (!(await receiptRepository.record(tx, receiptKey, d.clock.now()))) return false;
    // In order per object (a Create before its Update and Delete); activities about different objects run side by side,
    // but a group's folders, links and todos in order per group (a folder before what is added to it).
    const o = activity.object;
    const groupThing = isObject(o) && GROUP_THINGS.has(String(o.type)) ? (idOf(o.attributedTo) ?? idOf(activity.attributedTo)) : null;
    // An Undo goes with what it undoes (an Undo of a Follow after that Follow: both about the followed actor).
    const undone = activity.type === "Undo" && isObject(o) ? idOf(o.object) : null;
    const about = groupThing ? `group|${groupThing}` : (undone ?? idOf(activity.object) ?? actorUrl);
    await d.queue.enqueue(tx, "federation.inbox", { activity, signerActorId: key.actor.id } satisfies InboxJob, { queue: "federation", maxAttempts: 8, orderingKey: `inbox|${about}` });
    return true;
  });
  if (!fresh) d.logger.debug("activity received again: already applied", { id: activity.id, type: kind });
  return activityJson({ accepted: true }, 202);
}
