import type { Post } from "../../modules/posts/index.ts";
import type { Urls } from "../../kernel/index.ts";
import { CONTEXT, PUBLIC } from "../context.ts";
import type { Picture } from "./actor.converter.ts";

/**
 * A group's post as an Article (federation.md §2.2): `actor` its author, `attributedTo` the group, `name` its title;
 * addressed by visibility — public: to Public, cc the group's followers and members; unlisted: to followers and
 * members, cc Public; members-only: to the members collection alone.
 */
export function toArticle(p: Post, refs: { authorUrl: string; groupUrl: string; followersUrl: string; membersUrl: string; tags: { title: string; slug: string }[]; picture: Picture | null }, urls: Urls): Record<string, unknown> {
  const to = p.visibility === "PUBLIC" ? [PUBLIC] : p.visibility === "UNLISTED" ? [refs.followersUrl, refs.membersUrl] : [refs.membersUrl];
  const cc = p.visibility === "PUBLIC" ? [refs.followersUrl, refs.membersUrl] : p.visibility === "UNLISTED" ? [PUBLIC] : [];
  return {
    "@context": CONTEXT,
    id: p.url,
    type: "Article",
    url: p.url,
    name: p.title,
    content: p.body,
    mediaType: "text/html",
    actor: refs.authorUrl,
    attributedTo: refs.groupUrl,
    audience: refs.groupUrl,
    uuid: p.uuid,
    draft: p.draft,
    inLanguage: p.language ?? undefined,
    published: (p.publishAt ?? p.insertedAt).toISOString(),
    updated: p.updatedAt.toISOString(),
    tag: refs.tags.map((t) => ({ type: "Hashtag", name: `#${t.title}`, href: urls.tag(t.slug) })),
    attachment: refs.picture ? [{ type: "Document", name: "Banner", mediaType: refs.picture.mediaType, url: refs.picture.url }] : [],
    to,
    cc,
  };
}
