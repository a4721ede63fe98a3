import type { Hono } from "hono";
import { DomainError } from "../kernel/index.ts";
import type { CommentService } from "../modules/comments/index.ts";
import { Principal } from "../modules/users/index.ts";

/** GET /comments/:uuid — a comment's permalink: the event page, scrolled to the comment. */
export function mountCommentLinks(app: Hono, comments: CommentService) {
  app.get("/comments/:uuid", async (c) => {
    const uuid = c.req.param("uuid");
    if (!/^[0-9a-f-]{36}$/i.test(uuid)) return c.notFound();
    try {
      const { event, comment } = await comments.eventOf(Principal.anonymous, uuid.toLowerCase());
      return c.redirect(`/events/${event.uuid}#comment-${comment.uuid}`, 302);
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") return c.notFound();
      throw e;
    }
  });
}
