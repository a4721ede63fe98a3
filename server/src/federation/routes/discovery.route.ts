import type { Context, Hono } from "hono";
import type { Services } from "../../graphql/context.ts";

const JRD = "application/jrd+json; charset=utf-8";

/**
 * Discovery: WebFinger (`acct:name@host`, the host with its port where it has one, or an actor URL), host-meta
 * (XRD with the WebFinger template, which Mobilizon asks first) and NodeInfo 2.0 and 2.1 with the FEP-2677 link to
 * the instance actor.
 */
export function mountDiscovery(app: Hono, d: { services: Services; version: string; instanceName: string; instanceDescription: string; openRegistrations: () => boolean }) {
  const { urls } = d.services;
  const jrd = (c: Context, body: unknown, status: 200 | 400 | 404 = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": JRD, "access-control-allow-origin": "*" } });

  app.get("/.well-known/webfinger", async (c) => {
    const resource = c.req.query("resource")?.trim();
    if (!resource) return jrd(c, { error: "the resource parameter is required" }, 400);
    if (resource.length > 500) return jrd(c, { error: "resource too long" }, 400);
    let username: string | null = null;
    const acct = /^(?:acct:)?@?([a-z0-9_]+)@(.+)$/i.exec(resource);
    if (acct) {
      if (acct[2].toLowerCase() !== urls.host.toLowerCase()) return jrd(c, { error: "not an account of this instance" }, 404);
      username = acct[1].toLowerCase();
    } else if (urls.isLocal(resource)) {
      const path = new URL(resource).pathname;
      username = path === "/relay" ? "relay" : (/^\/@([a-z0-9_]+)\/?$/.exec(path)?.[1] ?? null);
    }
    const actor = username === "relay" ? await d.services.federatedActors.instanceActor() : username ? await d.services.actors.findLocal(username) : null;
    if (!actor || actor.suspended || actor.preferredUsername === "anonymous") return jrd(c, { error: "unknown resource" }, 404);
    const links: Record<string, unknown>[] = [
      { rel: "self", type: "application/activity+json", href: actor.url },
      { rel: "http://ostatus.org/schema/1.0/subscribe", template: `${urls.base}/interact?uri={uri}` },
    ];
    // A page for people to open: groups have one (as in Mobilizon, with its trailing-slash rel); profiles do not.
    if (actor.type === "Group") links.push({ rel: "http://webfinger.net/rel/profile-page/", type: "text/html", href: actor.url });
    if (actor.avatarId) {
      const [m] = await d.services.media.findByIds([actor.avatarId]);
      if (m) links.push({ rel: "http://webfinger.net/rel/avatar", type: m.contentType, href: d.services.media.url(m) });
    }
    return jrd(c, { subject: `acct:${actor.preferredUsername}@${urls.host}`, aliases: [actor.url], links });
  });

  app.get("/.well-known/host-meta", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0" xmlns:hm="http://host-meta.net/xrd/1.0">
  <hm:Host>${urls.host}</hm:Host>
  <Link rel="lrdd" type="application/jrd+json" template="${urls.base}/.well-known/webfinger?resource={uri}"/>
</XRD>
`;
    return new Response(xml, { headers: { "content-type": "application/xrd+xml; charset=utf-8", "access-control-allow-origin": "*" } });
  });

  app.get("/.well-known/nodeinfo", (c) =>
    jrd(c, {
      links: [
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: `${urls.base}/.well-known/nodeinfo/2.0` },
        { rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: `${urls.base}/.well-known/nodeinfo/2.1` },
        { rel: "https://www.w3.org/ns/activitystreams#Application", href: urls.relay() },
      ],
    }),
  );

  // Counted at most once a minute: any visitor may ask, as often as they like.
  let usage: { at: number; value: Promise<{ users: number; posts: number; comments: number }> } | null = null;
  const counts = () => {
    if (!usage || Date.now() - usage.at > 60_000) {
      const value = Promise.all([d.services.users.countConfirmed(), d.services.events.countPublished(), d.services.comments.countPublished()]).then(([users, e, c]) => ({ users, posts: e.local, comments: c.local }));
      usage = { at: Date.now(), value };
      value.catch(() => (usage = null));
    }
    return usage.value;
  };

  app.get("/.well-known/nodeinfo/:version{2\\.[01]}", async (c) => {
    const version = c.req.param("version");
    const u = await counts();
    const body = {
      version,
      software: { name: "convene", version: d.version, ...(version === "2.1" && { homepage: urls.base }) },
      protocols: ["activitypub"],
      services: { inbound: [], outbound: ["atom1.0"] },
      openRegistrations: d.openRegistrations(),
      usage: { users: { total: u.users }, localPosts: u.posts, localComments: u.comments },
      metadata: { nodeName: d.instanceName, nodeDescription: d.instanceDescription },
    };
    return new Response(JSON.stringify(body), {
      headers: { "content-type": `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/${version}#"`, "access-control-allow-origin": "*" },
    });
  });
}
