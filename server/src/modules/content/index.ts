/** User-written content: HTML cleaning, text extraction, slugs. */
export { sanitizeHtml, htmlToText, textToHtml, slugify } from "./html.ts";
