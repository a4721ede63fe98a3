import { OutboundRefused, PermanentJobFailure, type Logger, type OutboundHttp } from "../../kernel/index.ts";
import type { Services } from "../../graphql/context.ts";
import { hostOf } from "../parse/json.ts";
import { signCavage } from "../signatures.ts";

export type DeliverPayload = { inbox: string; activity: string; senderActorId: number };

function isOwnDelete(activity: string, senderUrl: string): boolean {
  try {
    const a = JSON.parse(activity) as { type?: unknown; actor?: unknown; object?: unknown };
    return a.type === "Delete" && a.actor === senderUrl && a.object === senderUrl;
  } catch {
    return false;
  }
}

/**
 * One POST of one activity to one inbox, signed (cavage) by its sender. A 2xx is a delivery; a 4xx other than 408
 * and 429 will not get better (the job fails at once); anything else is retried with backoff (about a day in all).
 * A blocked domain gets nothing. The outcome is recorded per server for the administrators.
 */
export async function deliver(p: DeliverPayload, d: { http: OutboundHttp; services: Services; logger: Logger }): Promise<void> {
  const domain = hostOf(p.inbox);
  if (!domain) throw new PermanentJobFailure("not an inbox URL");
  if (await d.services.peers.isBlocked(domain)) return;
  const sender = await d.services.federatedActors.localSender(p.senderActorId);
  if (!sender) throw new PermanentJobFailure("the sender is gone");
  // A closed actor signs one thing still: the Delete that says it is gone; what it had queued before is dropped.
  if (sender.deletedAt && !isOwnDelete(p.activity, sender.url)) throw new PermanentJobFailure("the sender is gone");
  const key = await d.services.federatedActors.keyPairOf(sender);
  const headers = signCavage({ method: "POST", url: p.inbox, headers: { "content-type": "application/activity+json" }, body: p.activity }, { keyId: key.keyId, privateKeyPem: key.privateKeyPem! });
  let failure: string | null = null;
  try {
    const res = await d.http.request(p.inbox, { method: "POST", headers: { ...headers, accept: "application/activity+json" }, body: p.activity, timeoutMs: 15_000, maxBytes: 100_000, maxRedirects: 0 });
    if (res.status >= 200 && res.status < 300) {
      await d.services.peers.deliveryOutcome(domain, null);
      return;
    }
    failure = `HTTP ${res.status}`;
    await d.services.peers.deliveryOutcome(domain, failure);
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new PermanentJobFailure(`${p.inbox} answered ${res.status}`);
    throw new Error(`${p.inbox} answered ${res.status}`);
  } catch (e) {
    if (e instanceof PermanentJobFailure) throw e;
    if (e instanceof OutboundRefused) throw new PermanentJobFailure(e.message);
    if (failure === null) await d.services.peers.deliveryOutcome(domain, e instanceof Error ? e.message : String(e));
    throw e;
  }
}
