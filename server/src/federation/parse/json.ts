/**
 * Tolerant readers for ActivityStreams JSON as peers write it (federation.md §4): a reference may be a string, an
 * object with an `id`, or an array of either; `url` may be a Link; Public may be the full IRI, `as:Public` or `Public`.
 * They never throw: a shape they do not understand reads as absent.
 */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function str(v: unknown, max = 100_000): string | null {
  if (typeof v !== "string") return null;
  if (v.length > max || v.includes("\u0000")) return null;
  return v;
}

export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** An http(s) URL, or null. */
export function httpUrl(v: unknown): string | null {
  const s = str(v, 2048);
  if (!s) return null;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/** The id a reference names: a URL string, `{id}`, `{href}` (a Link), or the first of an array. */
export function idOf(v: unknown): string | null {
  for (const item of asArray(v)) {
    if (typeof item === "string") return httpUrl(item);
    if (isObject(item)) {
      const id = httpUrl(item.id) ?? httpUrl(item.href);
      if (id) return id;
    }
  }
  return null;
}

/** Every id an audience field names (to, cc, bto, bcc). */
export function idsOf(v: unknown): string[] {
  const out: string[] = [];
  for (const item of asArray(v)) {
    if (typeof item === "string") out.push(item);
    else if (isObject(item) && typeof item.id === "string") out.push(item.id);
  }
  return out;
}

const PUBLIC_FORMS = new Set(["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"]);
/** Whether an address names Public, in any of the forms peers write it. */
export const isPublicAddress = (x: string): boolean => PUBLIC_FORMS.has(x);

/** Whether an object is addressed to everyone (in `to` or `cc`). */
export function isPublic(o: Json): boolean {
  return [...idsOf(o.to), ...idsOf(o.cc)].some(isPublicAddress);
}

/** The host (with its port) of a URL, lower-cased, or null. */
export function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/** The type of a document, the first one when it has several. */
export function typeOf(o: Json): string | null {
  const t = asArray(o.type).find((x) => typeof x === "string");
  return (t as string | undefined) ?? null;
}
