import { checkTitleText } from "../content/index.ts";

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
  return checkTitleText(raw, MAX_DISCUSSION_TITLE);
}
