import assert from "node:assert/strict";
import { test } from "node:test";
import { htmlToText, sanitizeHtml, slugify, textToHtml } from "./html.ts";

const o = { mediaOrigin: "https://convene.test" };

test("scripts, handlers and dangerous links are removed", () => {
  const out = sanitizeHtml(`<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a><iframe src="https://evil"></iframe><style>*{}</style></p>`, o);
  assert.equal(out, `<p>Hi <a rel="noopener noreferrer ugc" target="_blank">x</a></p>`);
});

test("links open safely and formatting stays", () => {
  assert.equal(
    sanitizeHtml(`<p><b>Bold</b> <a href="https://example.org">link</a></p><ul><li>one</li></ul>`, o),
    `<p><strong>Bold</strong> <a href="https://example.org" rel="noopener noreferrer ugc" target="_blank">link</a></p><ul><li>one</li></ul>`,
  );
});

test("only pictures hosted by the instance are kept", () => {
  assert.equal(sanitizeHtml(`<img src="https://tracker.example/p.gif"><img src="https://convene.test/media/ab.jpg" alt="x">`, o), `<img src="https://convene.test/media/ab.jpg" alt="x" />`);
});

test("text and slugs", () => {
  assert.equal(htmlToText("<p>Caf&eacute; &amp; <b>bar</b></p><p>Two</p>"), "Café & bar\n\nTwo");
  assert.equal(textToHtml("a <b>\n\nb"), "<p>a &lt;b&gt;</p><p>b</p>");
  assert.equal(slugify("Réunion publique : été 2026 !"), "reunion-publique-ete-2026");
});
