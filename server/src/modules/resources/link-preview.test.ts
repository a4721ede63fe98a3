import assert from "node:assert/strict";
import { test } from "node:test";
import { readOembed, readPage } from "./link-preview.ts";

test("a page's head: OpenGraph first, then its title and description; the body is not read", () => {
  const html = `<!doctype html><html><head><title>Plain &amp; simple</title>
    <meta name="description" content="A description">
    <meta property="og:title" content="The OG title">
    <meta property="og:site_name" content="Example site">
    <link rel="alternate" type="application/json+oembed" href="/oembed?u=1">
    </head><body><meta property="og:description" content="from the body"></body></html>`;
  const { metadata, oembedUrl } = readPage(html, "https://example.org/a/page");
  assert.equal(metadata.title, "The OG title");
  assert.equal(metadata.description, "A description");
  assert.equal(metadata.providerName, "Example site");
  assert.equal(metadata.type, "website");
  assert.equal(oembedUrl, "https://example.org/oembed?u=1");
  assert.equal(metadata.imageRemoteUrl, null);
});

test("a title only, as text (entities decoded, control characters dropped); a script link refused", () => {
  const { metadata, oembedUrl } = readPage(`<title>Caf&eacute;\u0000 <b>x</b></title><link rel="alternate" type="application/json+oembed" href="javascript:alert(1)">`, "https://example.org/");
  assert.equal(metadata.title, "Café <b>x</b>", "a title is text: shown escaped");
  assert.equal(oembedUrl, null);
});

test("oEmbed adds its author and provider, never its HTML", () => {
  const { metadata } = readPage("<title>Video</title>", "https://v.example/");
  const m = readOembed({ type: "video", author_name: "Ana", author_url: "https://v.example/ana", provider_name: "V", html: "<script>x</script>" }, metadata, "https://v.example/");
  assert.equal(m.type, "video");
  assert.equal(m.authorName, "Ana");
  assert.equal(m.authorUrl, "https://v.example/ana");
  assert.equal(m.html, null);
});
