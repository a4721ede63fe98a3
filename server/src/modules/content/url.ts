import { invalid } from "../../kernel/index.ts";

/** Whether a string is an absolute http(s) URL. */
export const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
};

/** An http(s) URL of bounded length, or a validation error on `field`. */
export function checkUrl(value: string | null | undefined, field: string): string | null {
  if (value == null || value.trim() === "") return null;
  const v = value.trim();
  if (v.length > 2000 || !isHttpUrl(v)) throw invalid(field, "This must be an http or https link");
  return v;
}
