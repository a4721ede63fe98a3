import type { Hono } from "hono";
import type { Services } from "../graphql/context.ts";
import { DomainError } from "../kernel/index.ts";
import { esc, excerpt, jsonForScript, PAGE_HEADERS, postalAddress } from "./page-meta.ts";
import { formatAddress } from "../modules/events/index.ts";
import type { Group } from "../modules/groups/index.ts";
import { Principal } from "../modules/users/index.ts";


/**
 * Server-rendered pages of groups and their posts for browsers, link previews and search engines: GET /@name (a
 * group anyone may see: title, description, OpenGraph and Twitter tags, schema.org Organization JSON-LD with its
 * upcoming public events, and the same content as plain HTML inside the app's mount point, which the web app then
 * replaces) and GET /p/:slug (a public or unlisted post: its head, and its text). Everything shown is what a stranger
 * may read: members-only posts, private events and private groups are never rendered. Unlisted ones are noindex.
 */
export function mountGroupPages(app: Hono, deps: { services: Services; indexHtml: () => string; instanceName: string }) {
  const s = deps.services;
  const page = (head: string[], body: string) =>
    deps
      .indexHtml()
      // Function replacements: a string one would read "$&" and the like in user text as patterns.
      .replace(/<title>[^<]*<\/title>/, () => head.join("\n    "))
      .replace('<div id="app"></div>', () => `<div id="app">${body}</div>`);
  const html = (body: string) => new Response(body, { status: 200, headers: PAGE_HEADERS });

  app.get("/:handle{@[a-z0-9_]+}", async (c, next) => {
    const name = c.req.param("handle").slice(1);
    let group: Group;
    try {
      group = await s.groups.byUsername(Principal.anonymous, name);
    } catch (e) {
      if (e instanceof DomainError) return next();
      throw e;
    }
    if (group.domain !== null || group.visibility === "private") return next();
    const [events, posts, address, avatar] = await Promise.all([
      s.events.byGroup(Principal.anonymous, group.id, { after: new Date(), before: null, order: "BEGINS_ON", direction: "ASC", page: 1, limit: 10 }),
      s.posts.publicOfGroup(group.id, 10),
      group.physicalAddressId ? s.events.addresses([group.physicalAddressId]).then((a) => a[0] ?? null) : null,
      group.avatarId ? s.media.findById(group.avatarId) : null,
    ]);
    const title = group.name || `@${group.preferredUsername}`;
    const description = group.summary ? excerpt(group.summary) : `@${group.preferredUsername} — ${deps.instanceName}`;
    const image = avatar ? s.media.url(avatar) : null;
    const place = address ? formatAddress(address) : null;
    const ld = {
      "@context": "https://schema.org",
      "@type": "Organization",
      name: title,
      description,
      url: group.url,
      ...(image && { logo: image }),
      ...(address && { address: postalAddress(address) }),
      event: events.elements.filter((e) => e.visibility === "PUBLIC").map((e) => ({ "@type": "Event", name: e.title, url: e.url, startDate: e.beginsOn.toISOString(), ...(e.endsOn && { endDate: e.endsOn.toISOString() }) })),
    };
    const head = [
      `<title>${esc(title)} · ${esc(deps.instanceName)}</title>`,
      `<meta name="description" content="${esc(description)}">`,
      `<link rel="canonical" href="${esc(group.url)}">`,
      `<link rel="alternate" type="application/atom+xml" title="${esc(title)}" href="${esc(group.url)}/feed/atom">`,
      `<link rel="alternate" type="application/activity+json" href="${esc(group.url)}">`,
      ...(group.visibility !== "public" ? [`<meta name="robots" content="noindex">`] : []),
      `<meta property="og:type" content="profile">`,
      `<meta property="og:title" content="${esc(title)}">`,
      `<meta property="og:description" content="${esc(description)}">`,
      `<meta property="og:url" content="${esc(group.url)}">`,
      `<meta property="og:site_name" content="${esc(deps.instanceName)}">`,
      ...(image ? [`<meta property="og:image" content="${esc(image)}">`] : []),
      `<meta name="twitter:card" content="summary">`,
      `<meta name="twitter:title" content="${esc(title)}">`,
      `<meta name="twitter:description" content="${esc(description)}">`,
      `<script type="application/ld+json">${jsonForScript(ld)}</script>`,
    ];
    const body = [
      `<main class="prerendered"><h1>${esc(title)}</h1><p>@${esc(group.preferredUsername)}${place ? ` · ${esc(place)}` : ""}</p>`,
      ...(group.summary ? [`<section>${group.summary}</section>`] : []),
      `<section><h2>Upcoming events</h2><ul>${events.elements.map((e) => `<li><a href="${esc(e.url)}">${esc(e.title)}</a> <time datetime="${e.beginsOn.toISOString()}">${e.beginsOn.toISOString().slice(0, 16).replace("T", " ")} UTC</time></li>`).join("")}</ul></section>`,
      `<section><h2>Posts</h2><ul>${posts.elements.map((p) => `<li><a href="${esc(p.url)}">${esc(p.title)}</a></li>`).join("")}</ul></section></main>`,
    ].join("");
    return html(page(head, body));
  });

  app.get("/p/:slug", async (c, next) => {
    const slug = c.req.param("slug");
    if (!/^[a-z0-9-]{1,200}$/.test(slug)) return next();
    let post;
    try {
      post = await s.posts.bySlug(Principal.anonymous, slug);
    } catch (e) {
      if (e instanceof DomainError) return next();
      throw e;
    }
    const [group, author] = await Promise.all([s.actors.findById(post.groupId), post.authorId ? s.actors.findById(post.authorId) : null]);
    const description = excerpt(post.body);
    const groupName = group ? group.name || `@${group.preferredUsername}` : "";
    const ld = {
      "@context": "https://schema.org",
      "@type": "BlogPosting",
      headline: post.title,
      description,
      url: post.url,
      ...(post.publishAt && { datePublished: post.publishAt.toISOString() }),
      dateModified: post.updatedAt.toISOString(),
      ...(post.language && { inLanguage: post.language }),
      ...(author && { author: { "@type": "Person", name: author.name || author.preferredUsername } }),
      ...(group && { publisher: { "@type": "Organization", name: groupName, url: group.url } }),
    };
    const head = [
      `<title>${esc(post.title)} · ${esc(groupName || deps.instanceName)}</title>`,
      `<meta name="description" content="${esc(description)}">`,
      `<link rel="canonical" href="${esc(post.url)}">`,
      ...(post.visibility !== "PUBLIC" ? [`<meta name="robots" content="noindex">`] : []),
      `<meta property="og:type" content="article">`,
      `<meta property="og:title" content="${esc(post.title)}">`,
      `<meta property="og:description" content="${esc(description)}">`,
      `<meta property="og:url" content="${esc(post.url)}">`,
      `<meta property="og:site_name" content="${esc(deps.instanceName)}">`,
      ...(post.publishAt ? [`<meta property="article:published_time" content="${post.publishAt.toISOString()}">`] : []),
      `<meta name="twitter:card" content="summary">`,
      `<meta name="twitter:title" content="${esc(post.title)}">`,
      `<meta name="twitter:description" content="${esc(description)}">`,
      `<script type="application/ld+json">${jsonForScript(ld)}</script>`,
    ];
    return html(page(head, `<main class="prerendered"><article><h1>${esc(post.title)}</h1>${post.body}</article></main>`));
  });
}
