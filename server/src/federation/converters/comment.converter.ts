import type { Comment } from "../../modules/comments/index.ts";
import { CONTEXT, PUBLIC } from "../context.ts";

/**
 * A public comment as a Note (federation.md §2.2): `inReplyTo` the parent comment, else the event; `to` always the
 * full Public IRI in an array (Mobilizon's comment check accepts nothing else), mentions and the organizer in `cc`.
 */
export function toNote(c: Comment, refs: { authorUrl: string; eventUrl: string; parentUrl: string | null; organizerUrl: string; followersUrl: string; unlisted?: boolean }): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    id: c.url,
    type: "Note",
    url: c.url,
    content: c.text,
    mediaType: "text/html",
    actor: refs.authorUrl,
    attributedTo: refs.authorUrl,
    uuid: c.uuid,
    inReplyTo: refs.parentUrl ?? refs.eventUrl,
    context: refs.eventUrl,
    isAnnouncement: c.isAnnouncement,
    inLanguage: c.language ?? undefined,
    published: (c.publishedAt ?? c.insertedAt).toISOString(),
    updated: c.updatedAt.toISOString(),
    tag: [],
    // A comment is addressed as its event is (unlisted: everyone in cc only).
    to: refs.unlisted ? [refs.followersUrl] : [PUBLIC],
    cc: refs.unlisted ? [PUBLIC, refs.organizerUrl] : [...new Set([refs.organizerUrl, refs.followersUrl])],
  };
}

