import { invalid } from "../../kernel/index.ts";
import { checkTitleText } from "../content/index.ts";
import type { LinkMetadata } from "./link-preview.ts";

/** A link or a folder in a group's shared directory, named by its path ("/Meetings/Minutes"). */
export type Resource = {
  id: number;
  uuid: string;
  url: string;
  title: string;
  summary: string | null;
  type: string;
  resourceUrl: string | null;
  metadata: LinkMetadata | null;
  path: string;
  parentId: number | null;
  groupId: number;
  creatorId: number | null;
  publishedAt: Date | null;
  insertedAt: Date;
  updatedAt: Date;
};

/** The root folder of a group's resources: not stored, named `root_<group id>` as Mobilizon's client expects. */
export type RootFolder = { root: true; groupId: number };

export const isFolder = (r: Pick<Resource, "type">) => r.type === "folder";
export const RESOURCE_TYPES = ["folder", "link", "pad", "calc", "visio"] as const;
export const MAX_RESOURCE_TITLE = 200;
export const MAX_RESOURCE_SUMMARY = 2000;

export function checkResourceTitle(raw: string): string {
  return checkTitleText(raw, MAX_RESOURCE_TITLE);
}

export function checkSummary(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined) return undefined;
  const s = (raw ?? "").trim();
  if (s.length > MAX_RESOURCE_SUMMARY) throw invalid("summary", `The description is too long (at most ${MAX_RESOURCE_SUMMARY} characters)`);
  return s || null;
}

/** A path segment from a title: a slash in a title would read as a folder. */
export const segment = (title: string) => title.replace(/\//g, "∕");
export const childPath = (parentPath: string | null, title: string) => `${parentPath && parentPath !== "/" ? parentPath : ""}/${segment(title)}`;
