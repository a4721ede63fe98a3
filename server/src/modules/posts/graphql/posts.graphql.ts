import type { GqlContext } from "../../../graphql/context.ts";
import { pageArgs, parseId } from "../../../graphql/ids.ts";
import { toPicture } from "../../../graphql/media-input.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Post, PostInput } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    "A group's post by its slug, for whoever may read it."
    post(slug: String!): Post
  }
  extend type RootMutationType {
    createPost(attributedToId: ID!, title: String!, body: String!, draft: Boolean = false, visibility: PostVisibility, publishAt: DateTime, language: String = "und", tags: [String] = [], picture: MediaInput): Post
    # Mobilizon declares language = "und" here: a partial update would then erase the language. Omitted arguments keep
    # their current value instead.
    updatePost(id: ID!, title: String, body: String, attributedToId: ID, draft: Boolean, visibility: PostVisibility, language: String, publishAt: DateTime, tags: [String], picture: MediaInput): Post
    deletePost(id: ID!): DeletedObject
  }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function toInput(args: any): Promise<PostInput> {
  return {
    groupId: args.attributedToId != null ? parseId(args.attributedToId, "attributedToId") : null,
    title: args.title,
    body: args.body,
    draft: args.draft,
    visibility: args.visibility,
    language: args.language,
    publishAt: args.publishAt,
    tags: args.tags,
    picture: await toPicture(args.picture, "picture"),
  };
}

export const postsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      post: (_, args, ctx) => ctx.services.posts.bySlug(ctx.principal, String(args.slug)),
    },
    RootMutationType: {
      createPost: async (_, args, ctx) => ctx.services.posts.create(ctx.principal, await toInput(args)),
      updatePost: async (_, args, ctx) => ctx.services.posts.update(ctx.principal, parseId(args.id), await toInput(args)),
      deletePost: async (_, args, ctx) => ({ id: String((await ctx.services.posts.delete(ctx.principal, parseId(args.id))).id) }),
    },
    Group: {
      posts: (g: { id: number }, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.posts.byGroup(ctx.principal, g.id, page, limit);
      },
    },
    Post: {
      id: (p: Post) => String(p.id),
      author: (p: Post, _, ctx: GqlContext) => (p.authorId ? ctx.loaders.actor.load(p.authorId) : null),
      attributedTo: (p: Post, _, ctx: GqlContext) => ctx.loaders.actor.load(p.groupId),
      language: (p: Post) => p.language ?? "und",
      picture: (p: Post, _, ctx: GqlContext) => (p.pictureId ? ctx.loaders.media.load(p.pictureId) : null),
      tags: async (p: Post, _, ctx: GqlContext) => (await ctx.loaders.postTags.load(p.id)).map((t) => ({ id: String(t.id), slug: t.slug, title: t.title, related: [] })),
    },
  },
};
