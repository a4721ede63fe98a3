import { DomainError } from "../../kernel/index.ts";
import { asArray, hostOf, httpUrl, idOf, idsOf, isObject, str, type Json } from "../parse/json.ts";
import { PUBLIC } from "../context.ts";
import type { InboxContext } from "./context.ts";

const PUBLIC_FORMS = new Set([PUBLIC, "as:Public", "Public"]);

/**
 * A post of a group elsewhere (an Article attributed to a Group, federation.md §2.2), read from a document that
 * came from `fromHost`: kept only when the post and its group live on that host. Its visibility is its addressing:
 * Public in `to` → public, in `cc` → unlisted, else members-only (readable here by the group's members here).
 * Drafts are not kept. Returns whether it was stored.
 */
export async function persistArticle(ctx: InboxContext, doc: Json, fromHost: string): Promise<boolean> {
  const id = httpUrl(doc.id);
  const groupUrl = idOf(doc.attributedTo);
  if (!id || !groupUrl || hostOf(id) !== fromHost || hostOf(groupUrl) !== fromHost || ctx.urls.isLocal(id)) return false;
  if (doc.draft === true) return false;
  const group = await ctx.actors.get(groupUrl);
  if (!group || group.type !== "Group" || group.domain === null) return false;
  const authorUrl = idOf(doc.actor);
  const author = authorUrl && hostOf(authorUrl) === fromHost ? await ctx.actors.get(authorUrl) : null;
  const title = str(doc.name, 2000);
  const body = str(doc.content, 200_000);
  if (!title || !body) return false;
  const to = idsOf(doc.to);
  const cc = idsOf(doc.cc);
  const visibility = to.some((x) => PUBLIC_FORMS.has(x)) ? "PUBLIC" : cc.some((x) => PUBLIC_FORMS.has(x)) ? "UNLISTED" : "PRIVATE";
  const published = str(doc.published, 100);
  const tags = asArray(doc.tag)
    .filter((t): t is Json => isObject(t) && t.type === "Hashtag")
    .map((t) => (str(t.name, 100) ?? "").replace(/^#/, ""))
    .filter(Boolean);
  try {
    const stored = await ctx.services.posts.upsertRemote({
      url: id,
      groupId: group.id,
      authorId: author?.id ?? null,
      title,
      body,
      visibility,
      language: str(doc.inLanguage, 20),
      publishAt: published && !Number.isNaN(Date.parse(published)) ? new Date(published) : null,
      tags,
    });
    return !!stored;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    ctx.logger.info("remote post not kept", { id, reason: e.message });
    return false;
  }
}

/** Create or Update of an Article by its author or group, on the group's own server. */
export async function onArticle(ctx: InboxContext, doc: Json): Promise<void> {
  await persistArticle(ctx, doc, hostOf(ctx.signer.url)!);
}
