import type { Context, Hono, Next } from "hono";
import type { Services } from "../../graphql/context.ts";
import { DomainError } from "../../kernel/index.ts";
import { Principal } from "../../modules/users/index.ts";
import { wantsActivityJson } from "../context.ts";
import { toTombstone } from "../converters/tombstone.converter.ts";
import type { Documents } from "../documents.ts";
import { activityJson } from "./actors.route.ts";

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * Events and comments as ActivityStreams at their own URLs (browsers get the page: the next route): what anyone
 * with the link may see (public and unlisted, published), a redirect to the origin for a remote object, and
 * 410 Gone with a Tombstone for what was deleted here.
 */
export function mountObjects(app: Hono, d: { services: Services; documents: Documents }) {
  const { services: s, documents } = d;
  const gone = async (uri: string) => {
    const t = await s.tombstones.find(uri);
    return t ? activityJson(toTombstone({ uri: t.uri, formerType: t.formerType, deletedAt: t.deletedAt }), 410) : activityJson({ error: "not found" }, 404);
  };
  const visible = async <T>(load: () => Promise<T>): Promise<T | null> => {
    try {
      return await load();
    } catch (e) {
      if (e instanceof DomainError) return null;
      throw e;
    }
  };

  app.get(`/events/:uuid{${UUID}}`, async (c: Context, next: Next) => {
    if (!wantsActivityJson(c.req.header("accept"))) return next();
    const uuid = c.req.param("uuid")!.toLowerCase();
    const event = await visible(() => s.events.getByUuid(Principal.anonymous, uuid));
    if (!event) return gone(s.urls.event(uuid));
    if (!event.local) return c.redirect(event.url, 302);
    return activityJson(await documents.event(event));
  });

  app.get(`/comments/:uuid{${UUID}}`, async (c: Context, next: Next) => {
    if (!wantsActivityJson(c.req.header("accept"))) return next();
    const uuid = c.req.param("uuid")!.toLowerCase();
    const found = await visible(() => s.comments.eventOf(Principal.anonymous, uuid));
    if (!found || found.comment.deletedAt || found.comment.visibility !== "public") return gone(s.urls.comment(uuid));
    if (!found.comment.local) return c.redirect(found.comment.url, 302);
    return activityJson(await documents.comment(found.comment, found.event));
  });

  app.get("/p/:slug", async (c: Context, next: Next) => {
    if (!wantsActivityJson(c.req.header("accept"))) return next();
    const slug = c.req.param("slug")!;
    if (!/^[a-z0-9-]{1,200}$/.test(slug)) return activityJson({ error: "not found" }, 404);
    // Members-only posts and drafts answer nobody here (Mobilizon's rule): members get them in their deliveries.
    const post = await visible(() => s.posts.bySlug(Principal.anonymous, slug));
    if (!post) return gone(s.urls.post(slug));
    if (!post.local) return c.redirect(post.url, 302);
    return activityJson(await documents.post(post));
  });

  // A group's resources are for its members: served to nobody at their URL (members get them in their deliveries),
  // but a deleted one answers 410, which its copies elsewhere wait for.
  app.get(`/resource/:uuid{${UUID}}`, async (c: Context) => gone(`${s.urls.base}/resource/${c.req.param("uuid")!.toLowerCase()}`));
}
