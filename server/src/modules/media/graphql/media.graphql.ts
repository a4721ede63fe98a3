import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { parseId, parseOptionalId } from "../../../graphql/ids.ts";
import { invalid } from "../../../kernel/index.ts";
import type { Media } from "../index.ts";

/** media and removeMedia name their media by id (5.1) or uuid (5.2). */
const mediaRef = (args: { id?: string | null; uuid?: string | null }) => {
  if (args.uuid) return { uuid: args.uuid };
  if (args.id == null) throw invalid("id", "Give the media's id or uuid");
  return { id: parseId(args.id) };
};

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    "A media by id (Mobilizon 5.1) or uuid (5.2): the caller's own, or one that something they may see shows."
    media(id: ID, uuid: UUID): Media
  }
  extend type RootMutationType {
    uploadMedia(name: String!, alt: String, file: Upload!, actorId: ID): Media
    "Removes one of the caller's media, by id (Mobilizon 5.1) or uuid (5.2); the answer carries both."
    removeMedia(id: ID, uuid: UUID): DeletedObject
  }
`;

export const mediaSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      media: (_, args, ctx) => ctx.services.media.getForViewer(ctx.principal, mediaRef(args)),
    },
    RootMutationType: {
      uploadMedia: async (_, args, ctx) => {
        const file = args.file as File;
        return ctx.services.media.upload(ctx.principal, { bytes: new Uint8Array(await file.arrayBuffer()), name: args.name, alt: args.alt }, parseOptionalId(args.actorId, "actorId"));
      },
      removeMedia: async (_, args, ctx) => {
        const m = await ctx.services.media.remove(ctx.principal, mediaRef(args));
        return { id: String(m.id), uuid: m.uuid };
      },
    },
    Media: {
      id: (m: Media) => String(m.id),
      url: (m: Media, _, ctx) => ctx.services.media.url(m),
      metadata: (m: Media) => ({ width: m.width, height: m.height, blurhash: m.blurhash }),
    },
  },
};
