import { invalid } from "../../kernel/index.ts";

/** A members-only thread of a group; its messages are comments. */
export type Discussion = {
  id: number;
  uuid: string;
  slug: string;
  url: string;
  title: string;
  groupId: number;
  creatorId: number | null;
  lastCommentId: number | null;
  insertedAt: Date;
  updatedAt: Date;
};

export const MAX_DISCUSSION_TITLE = 200;

export function checkDiscussionTitle(raw: string): string {
  const t = raw.replace(/\s+/g, " ").trim();
  if (!t) throw invalid("title", "The title can't be empty");
  if (t.length > MAX_DISCUSSION_TITLE) throw invalid("title", `The title is too long (at most ${MAX_DISCUSSION_TITLE} characters)`);
  return t;
}
