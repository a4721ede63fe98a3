import type { Comment } from "../../modules/comments/index.ts";
import type { Discussion } from "../../modules/discussions/index.ts";
import { CONTEXT } from "../context.ts";

/**
 * A message of a group's discussion as a Note (federation.md §2.2): `context` names the discussion, `attributedTo` the
 * group, `name` the discussion's title (so that its first message opens it where it is not known yet); addressed to
 * the group's members only.
 */
export function toDiscussionMessage(c: Pick<Comment, "url" | "text" | "publishedAt" | "insertedAt">, d: Discussion, refs: { authorUrl: string; groupUrl: string; membersUrl: string }): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    id: c.url,
    type: "Note",
    name: d.title,
    content: c.text,
    mediaType: "text/html",
    actor: refs.authorUrl,
    attributedTo: refs.groupUrl,
    audience: refs.groupUrl,
    context: d.url,
    inReplyTo: d.url,
    published: (c.publishedAt ?? c.insertedAt).toISOString(),
    to: [refs.membersUrl],
    cc: [],
  };
}
