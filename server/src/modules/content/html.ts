import { createRequire } from "node:module";
import type sanitizeType from "sanitize-html";

// Loaded on first use: an idle instance does not carry the HTML parser (about 15 MB).
let sanitizeLib: typeof sanitizeType | null = null;
const sanitize = ((html: string, options?: sanitizeType.IOptions) => {
  sanitizeLib ??= createRequire(import.meta.url)("sanitize-html") as typeof sanitizeType;
  return sanitizeLib(html, options);
}) as typeof sanitizeType;

const ALLOWED_TAGS = ["p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "code", "pre", "hr", "img", "span"];

/**
 * Cleans user-written HTML (event descriptions, comments): a small allow-list of formatting tags, links forced to
 * open safely (`rel="noopener noreferrer ugc"`), only http(s) and mailto links, and pictures only when hosted by this
 * instance (a picture from elsewhere would make every reader's browser call a third party).
 */
export function sanitizeHtml(html: string, opts: { mediaOrigin: string }): string {
  const mediaPrefix = `${opts.mediaOrigin}/media/`;
  return sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ["href", "title", "rel", "target"], img: ["src", "alt", "width", "height"], span: ["class"], code: ["class"] },
    allowedClasses: { span: ["mention", "hashtag"], code: [/^language-[a-z0-9-]+$/] },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href", "src"],
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer ugc", target: "_blank" } }),
      b: "strong",
      i: "em",
    },
    exclusiveFilter: (frame) => frame.tag === "img" && !(frame.attribs.src ?? "").startsWith(mediaPrefix),
    allowedAttributesByTag: undefined,
  } as sanitizeType.IOptions).trim();
}

/** The readable text of some HTML (search index, feeds, e-mails, link previews). */
export function htmlToText(html: string): string {
  const spaced = html.replace(/<\/(p|h\d|blockquote|pre|ul|ol)>/gi, "$&\n\n").replace(/<\/li>|<br\s*\/?>/gi, "$&\n");
  return sanitize(spaced, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Text made safe to put in HTML, in element content or in a quoted attribute. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Plain text → escaped HTML paragraphs. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** A URL-friendly slug: lower-case ASCII words joined by dashes. */
export function slugify(s: string, max = 60): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/g, "");
}
