import { asArray, hostOf, idOf, str } from "../parse/json.ts";
import { type InboxContext, signerDomain } from "./context.ts";

/**
 * Flag (a report forwarded by another server, Mobilizon's anonymised form: the actor is that server's instance actor):
 * the moderators here are told about what of this instance was reported; the rest is the other servers' business.
 */
export async function onFlag(ctx: InboxContext): Promise<void> {
  const objects = asArray(ctx.activity.object)
    .map((o) => idOf(o))
    .filter((x): x is string => !!x)
    .slice(0, 50);
  const content = str(ctx.activity.content, 5000)?.replace(/<[^>]*>/g, "").trim() || null;
  const reporter = ctx.signer.type === "Application" ? (hostOf(ctx.signer.url) ?? ctx.signer.url) : `@${ctx.signer.preferredUsername}@${ctx.signer.domain}`;
  await ctx.services.reports.receiveRemote({ reporter, server: signerDomain(ctx), content, objects });
}
