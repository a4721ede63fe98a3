/** User-written content: HTML cleaning, text extraction, slugs. */
export { sanitizeHtml, htmlToText, textToHtml, escapeHtml, slugify } from "./html.ts";
export { checkUrl, isHttpUrl } from "./url.ts";
export { checkTitleText } from "./title.ts";
