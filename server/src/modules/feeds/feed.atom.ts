/** One entry of an Atom feed: text fields are plain text, `contentHtml` is HTML already cleaned by the content module. */
export type AtomEntry = {
  id: string;
  url: string;
  title: string;
  summary: string;
  contentHtml: string;
  updated: Date;
  published: Date;
  categories: { term: string; label: string }[];
  author: string | null;
};

export type AtomFeed = { id: string; title: string; subtitle: string; link: string; self: string; generator: string; updated: Date; entries: AtomEntry[] };

/**
 * Characters XML 1.0 forbids (controls but tab, line feed and carriage return; U+FFFE and U+FFFF; unpaired
 * surrogates): users may type them, a feed reader refuses a whole feed that holds one.
 */
// eslint-disable-next-line no-control-regex -- these are the characters being removed or looked for
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as XML character data or an attribute value: escaped, and stripped of what XML cannot carry. */
export const xmlText = (s: string): string =>
  s.replace(NOT_XML, "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

/**
 * An Atom 1.0 document (RFC 4287). Titles, summaries, categories and names are `type="text"`: whatever users typed is
 * shown as text by every reader, never run as markup; descriptions go as escaped `type="html"`.
 */
export function atomFeed(f: AtomFeed): string {
  const out: string[] = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `<id>${xmlText(f.id)}</id>`,
    `<title type="text">${xmlText(f.title)}</title>`,
    `<subtitle type="text">${xmlText(f.subtitle)}</subtitle>`,
    `<updated>${f.updated.toISOString()}</updated>`,
    `<generator>${xmlText(f.generator)}</generator>`,
    `<link rel="alternate" type="text/html" href="${xmlText(f.link)}"/>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(f.self)}"/>`,
  ];
  for (const e of f.entries) {
    out.push(
      `<entry>`,
      `<id>${xmlText(e.id)}</id>`,
      `<title type="text">${xmlText(e.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlText(e.url)}"/>`,
      `<updated>${e.updated.toISOString()}</updated>`,
      `<published>${e.published.toISOString()}</published>`,
      `<summary type="text">${xmlText(e.summary)}</summary>`,
      `<content type="html">${xmlText(e.contentHtml)}</content>`,
      ...e.categories.map((c) => `<category term="${xmlText(c.term)}" label="${xmlText(c.label)}"/>`),
      ...(e.author ? [`<author><name>${xmlText(e.author)}</name></author>`] : []),
      `</entry>`,
    );
  }
  out.push(`</feed>`);
  return out.join("\n");
}
