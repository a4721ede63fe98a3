import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { parseId, parseOptionalId } from "../../../graphql/ids.ts";
import { forbidden, notFound } from "../../../kernel/index.ts";
import type { Media } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    media(id: ID!): Media
  }
  extend type RootMutationType {
    uploadMedia(name: String!, alt: String, file: Upload!, actorId: ID): Media
    removeMedia(id: ID!): DeletedObject
  }
`;

export const mediaSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      media: async (_, args, ctx) => {
        const m = await ctx.services.media.findById(parseId(args.id));
        if (!m) throw notFound("Media");
        return m;
      },
    },
    RootMutationType: {
      uploadMedia: async (_, args, ctx) => {
        const own = await ctx.services.actors.ownActorIds(ctx.user);
        const actorId = parseOptionalId(args.actorId, "actorId") ?? ctx.user!.defaultActorId ?? own[0];
        if (!own.includes(actorId)) throw forbidden("This profile is not yours");
        const file = args.file as File;
        return ctx.services.media.store({ bytes: new Uint8Array(await file.arrayBuffer()), name: args.name, alt: args.alt }, "picture", actorId);
      },
      removeMedia: async (_, args, ctx) => ctx.services.media.remove(parseId(args.id), await ctx.services.actors.ownActorIds(ctx.user)),
    },
    Media: {
      id: (m: Media) => String(m.id),
      url: (m: Media, _, ctx) => ctx.services.media.url(m),
      metadata: (m: Media) => ({ width: m.width, height: m.height, blurhash: m.blurhash }),
    },
  },
};
