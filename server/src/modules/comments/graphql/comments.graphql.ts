import { parseId, parseOptionalId } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Event } from "../../events/index.ts";
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
      thread: (_, args, ctx) => ctx.services.comments.thread(ctx.user, parseId(args.id)),
    },
    RootMutationType: {
      createComment: (_, args, ctx) =>
        ctx.services.comments.create(ctx.user, {
          eventId: parseId(args.eventId, "eventId"),
          text: args.text,
          inReplyToCommentId: parseOptionalId(args.inReplyToCommentId, "inReplyToCommentId"),
          language: args.language,
          isAnnouncement: args.isAnnouncement,
        }),
      updateComment: (_, args, ctx) => ctx.services.comments.update(ctx.user, parseId(args.commentId, "commentId"), { text: args.text, isAnnouncement: args.isAnnouncement, language: args.language }),
      deleteComment: (_, args, ctx) => ctx.services.comments.delete(ctx.user, parseId(args.commentId, "commentId")),
      approveComment: (_, args, ctx) => ctx.services.comments.approve(ctx.user, parseId(args.commentId, "commentId")),
    },
    Event: {
      comments: (e: Event, _, ctx) => ctx.services.comments.ofEvent(ctx.user, e),
    },
    Comment: {
      id: (c: Comment) => String(c.id),
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
