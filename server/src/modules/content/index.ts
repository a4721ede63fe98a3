/** User-written content: HTML cleaning, text extraction, slugs. */
export { sanitizeHtml, htmlToText, textToHtml, escapeHtml, slugify } from "./html.ts";
