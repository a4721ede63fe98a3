import type { Executor } from "../db/index.ts";
import type { Services } from "../graphql/context.ts";
import { DomainError, OutboundRefused, type JobQueue, type Logger, type OutboundHttp } from "../kernel/index.ts";
import { asArray, hostOf, httpUrl, idOf, isObject, type Json } from "./parse/json.ts";

export type PictureJob = { url: string; kind: "avatar" | "banner" | "picture"; actorId?: number; eventId?: number };

/** A picture's URL in an ActivityStreams document: `icon`/`image` as a URL, an Image, or a Link. */
export function pictureUrl(v: unknown): string | null {
  for (const item of asArray(v)) {
    if (typeof item === "string") return httpUrl(item);
    if (isObject(item)) return httpUrl(item.url) ?? idOf(item.url) ?? httpUrl(item.href);
  }
  return null;
}

/** An event's picture (Mobilizon's rules): the attachment named Banner, else `image`, else the first picture attached. */
export function eventPictureUrl(doc: Json): string | null {
  const attachments = asArray(doc.attachment).filter(isObject);
  const banner = attachments.find((a) => a.name === "Banner");
  if (banner) return pictureUrl(banner);
  const image = pictureUrl(doc.image);
  if (image) return image;
  const first = attachments.find((a) => a.type === "Image" || (a.type === "Document" && String(a.mediaType ?? "").startsWith("image/")));
  return first ? pictureUrl(first) : null;
}

/** Enqueues the copy of a picture unless the one in place came from that same URL. */
export async function wantPicture(d: { queue: JobQueue<Executor>; services: Services; db: Executor }, job: PictureJob, currentMediaId: number | null): Promise<void> {
  if (currentMediaId) {
    const [m] = await d.services.media.findByIds([currentMediaId]);
    if (m?.remoteUrl === job.url) return;
  }
  await d.queue.enqueue(d.db, "federation.picture", job, { queue: "federation", maxAttempts: 4, uniqueKey: `picture|${job.kind}|${job.actorId ?? job.eventId}|${job.url}` });
}

/**
 * Job: copies another server's picture here (readers' browsers never load it from there), through the outbound guard
 * and within the size allowed for its use; a picture the origin no longer has, or that is not a picture, is let go.
 */
export async function copyPicture(job: PictureJob, d: { http: OutboundHttp; services: Services; logger: Logger }): Promise<void> {
  const host = hostOf(job.url);
  if (!host || (await d.services.peers.isBlocked(host))) return;
  let res;
  try {
    res = await d.http.request(job.url, { headers: { accept: "image/avif,image/webp,image/png,image/jpeg,image/gif" }, maxBytes: d.services.media.limitFor(job.kind), timeoutMs: 15_000 });
  } catch (e) {
    if (e instanceof OutboundRefused || /larger than/.test(String(e))) return void d.logger.info("remote picture not copied", { url: job.url, reason: String(e) });
    throw e;
  }
  if (res.status >= 400 && res.status < 500) return;
  if (res.status !== 200) throw new Error(`${job.url} answered ${res.status}`);
  try {
    await d.services.media.copyRemote(new Uint8Array(res.body), job.kind, job.url, job.actorId ?? null, async (tx, m) => {
      if (job.kind === "picture" && job.eventId) await d.services.remoteEvents.setPicture(tx, job.eventId, m.id);
      else if (job.actorId && job.kind !== "picture") await d.services.federatedActors.setRemotePicture(tx, job.actorId, job.kind, m.id);
    });
  } catch (e) {
    if (e instanceof DomainError) return void d.logger.info("remote picture refused", { url: job.url, reason: e.message });
    throw e;
  }
}
