import type { Address } from "../modules/addresses/index.ts";
import { escapeHtml, htmlToText } from "../modules/content/index.ts";

/** What server-rendered pages (events, groups, posts) share: escaping, JSON-LD, headers. */
export const esc = escapeHtml;

/** Headers of a server-rendered page: HTML, asked again every time (it changes with what it shows). */
export const PAGE_HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" };

/** JSON inside <script>: it must not be able to close the tag. */
export const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

/** A description's first words as plain text (meta tags). */
export const excerpt = (html: string, max = 300) => htmlToText(html).replace(/\s+/g, " ").trim().slice(0, max);

/** An address as schema.org's PostalAddress. */
export const postalAddress = (a: Pick<Address, "street" | "locality" | "postalCode" | "region" | "country">) => ({
  "@type": "PostalAddress",
  streetAddress: a.street,
  addressLocality: a.locality,
  postalCode: a.postalCode,
  addressRegion: a.region,
  addressCountry: a.country,
});
