import { Parser } from "htmlparser2";

/** What a page says of itself (Mobilizon's ResourceMetadata). Pictures are not kept: showing them would make readers' browsers call the page's server. */
export type LinkMetadata = {
  type: string | null;
  title: string | null;
  description: string | null;
  imageRemoteUrl: string | null;
  width: number | null;
  height: number | null;
  authorName: string | null;
  authorUrl: string | null;
  providerName: string | null;
  providerUrl: string | null;
  html: string | null;
  faviconUrl: string | null;
};

export const EMPTY_METADATA: LinkMetadata = { type: null, title: null, description: null, imageRemoteUrl: null, width: null, height: null, authorName: null, authorUrl: null, providerName: null, providerUrl: null, html: null, faviconUrl: null };

const text = (v: unknown, max: number): string | null => {
  if (typeof v !== "string") return null;
  // eslint-disable-next-line no-control-regex
  const s = v.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
  return s ? s.slice(0, max) : null;
};
const httpUrl = (v: unknown, base: string): string | null => {
  if (typeof v !== "string" || v.length > 2000) return null;
  try {
    const u = new URL(v, base);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
};

/**
 * Reads a page's head with a real HTML parser: its title, OpenGraph and Twitter card tags, description, and the
 * address of its oEmbed document if it declares one. Only the head is read.
 */
export function readPage(html: string, pageUrl: string): { metadata: LinkMetadata; oembedUrl: string | null } {
  const meta = new Map<string, string>();
  let title = "";
  let inTitle = false;
  let oembedUrl: string | null = null;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (done) return;
        if (name === "title") inTitle = true;
        if (name === "meta") {
          const key = (attrs.property ?? attrs.name ?? "").toLowerCase();
          if (key && typeof attrs.content === "string" && !meta.has(key)) meta.set(key, attrs.content);
        }
        if (name === "link" && /\balternate\b/i.test(attrs.rel ?? "") && /json\+oembed/i.test(attrs.type ?? "") && !oembedUrl) oembedUrl = httpUrl(attrs.href, pageUrl);
        if (name === "body") done = true;
      },
      ontext(t) {
        if (inTitle && title.length < 1000) title += t;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (name === "head") done = true;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html.slice(0, 1_000_000));
  parser.end();
  const metadata: LinkMetadata = {
    ...EMPTY_METADATA,
    type: text(meta.get("og:type"), 50) ?? "website",
    title: text(meta.get("og:title") ?? meta.get("twitter:title") ?? title, 300),
    description: text(meta.get("og:description") ?? meta.get("twitter:description") ?? meta.get("description"), 1000),
    providerName: text(meta.get("og:site_name"), 200),
    authorName: text(meta.get("author") ?? meta.get("article:author"), 200),
  };
  return { metadata, oembedUrl };
}

/** Adds what an oEmbed document says (author, provider, title, type); its HTML is never kept (it would run here). */
export function readOembed(json: unknown, base: LinkMetadata, pageUrl: string): LinkMetadata {
  if (!json || typeof json !== "object") return base;
  const o = json as Record<string, unknown>;
  return {
    ...base,
    type: text(o.type, 50) ?? base.type,
    title: base.title ?? text(o.title, 300),
    authorName: text(o.author_name, 200) ?? base.authorName,
    authorUrl: httpUrl(o.author_url, pageUrl) ?? base.authorUrl,
    providerName: text(o.provider_name, 200) ?? base.providerName,
    providerUrl: httpUrl(o.provider_url, pageUrl) ?? base.providerUrl,
  };
}
