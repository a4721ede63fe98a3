import { invalid } from "../../kernel/index.ts";
import { checkTitleText } from "../content/index.ts";

export const POST_VISIBILITIES = ["PUBLIC", "UNLISTED", "PRIVATE"] as const;
export type PostVisibility = (typeof POST_VISIBILITIES)[number];

/** A group's post: written by a person (`authorId`) for a group (`groupId`). */
export type Post = {
  id: number;
  uuid: string;
  slug: string;
  url: string;
  local: boolean;
  authorId: number | null;
  groupId: number;
  title: string;
  body: string;
  draft: boolean;
  visibility: PostVisibility;
  language: string | null;
  pictureId: number | null;
  publishAt: Date | null;
  insertedAt: Date;
  updatedAt: Date;
};

export const MAX_POST_TITLE = 200;
export const MAX_POST_BODY = 100_000;

export function checkPostTitle(raw: string): string {
  return checkTitleText(raw, MAX_POST_TITLE);
}

export function checkPostVisibility(raw: string | null | undefined): PostVisibility | undefined {
  if (raw == null) return undefined;
  if (!(POST_VISIBILITIES as readonly string[]).includes(raw)) throw invalid("visibility", "Unknown visibility");
  return raw as PostVisibility;
}

/** A language code as Mobilizon keeps it ("und": not said). */
export function checkLanguage(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw === "und" || raw === "") return null;
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(raw)) throw invalid("language", "Unknown language");
  return raw;
}
