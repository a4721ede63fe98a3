import { parseOptionalRef, parseRef } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { apiIdOf, type Event } from "../../events/index.ts";
import type { Comment } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    thread(id: ID!): [Comment]
  }
  extend type RootMutationType {
    createComment(text: String!, eventId: ID!, inReplyToCommentId: ID, language: String = "und", isAnnouncement: Boolean): Comment
    updateComment(text: String!, commentId: ID!, language: String = "und", isAnnouncement: Boolean): Comment
    deleteComment(commentId: ID!): Comment
    "Publishes a comment held for approval on an event whose comments are moderated (a Convene addition)."
    approveComment(commentId: ID!): Comment
  }
`;

export const commentsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      thread: (_, args, ctx) => ctx.services.comments.thread(ctx.principal, parseRef(args.id)),
    },
    RootMutationType: {
      createComment: (_, args, ctx) =>
        ctx.services.comments.create(ctx.principal, {
          event: parseRef(args.eventId, "eventId"),
          text: args.text,
          inReplyTo: parseOptionalRef(args.inReplyToCommentId, "inReplyToCommentId"),
          language: args.language,
          isAnnouncement: args.isAnnouncement,
        }),
      updateComment: (_, args, ctx) => ctx.services.comments.update(ctx.principal, parseRef(args.commentId, "commentId"), { text: args.text, isAnnouncement: args.isAnnouncement, language: args.language }),
      deleteComment: (_, args, ctx) => ctx.services.comments.delete(ctx.principal, parseRef(args.commentId, "commentId")),
      approveComment: (_, args, ctx) => ctx.services.comments.approve(ctx.principal, parseRef(args.commentId, "commentId")),
    },
    Event: {
      comments: (e: Event, _, ctx) => ctx.services.comments.ofEvent(ctx.principal, e),
    },
    Comment: {
      // Comments of an unlisted event are named by uuid, as their event is: their numbers must not lead to it.
      id: async (c: Comment, _, ctx) => {
        const e = c.eventId ? await ctx.loaders.event.load(c.eventId) : null;
        return e && apiIdOf(e) !== String(e.id) ? c.uuid : String(c.id);
      },
      visibility: (c: Comment) => c.visibility.toUpperCase(),
      primaryLanguage: (c: Comment) => c.language,
      actor: (c: Comment, _, ctx) => (c.actorId && !c.deletedAt ? ctx.loaders.actor.load(c.actorId) : null),
      attributedTo: () => null,
      event: (c: Comment, _, ctx) => (c.eventId ? ctx.loaders.event.load(c.eventId) : null),
      inReplyToComment: (c: Comment, _, ctx) => (c.inReplyToCommentId ? ctx.loaders.comment.load(c.inReplyToCommentId) : null),
      originComment: (c: Comment, _, ctx) => (c.originCommentId ? ctx.loaders.comment.load(c.originCommentId) : null),
      replies: (c: Comment, _, ctx) => (c.originCommentId === null ? ctx.loaders.replies.load(c.id) : []),
      totalReplies: (c: Comment, _, ctx) => (c.originCommentId === null ? ctx.loaders.replyCount.load(c.id) : 0),
      threadLanguages: (c: Comment) => (c.language ? [c.language] : []),
      conversation: () => null,
    },
  },
};
