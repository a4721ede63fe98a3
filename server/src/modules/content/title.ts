import { invalid } from "../../kernel/index.ts";

/** A title as people type it: spaces collapsed, not empty, at most `max` characters. */
export function checkTitleText(raw: string, max: number, field = "title"): string {
  const t = raw.replace(/\s+/g, " ").trim();
  if (!t) throw invalid(field, "The title can't be empty");
  if (t.length > max) throw invalid(field, `The title is too long (at most ${max} characters)`);
  return t;
}
