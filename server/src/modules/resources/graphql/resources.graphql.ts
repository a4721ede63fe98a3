import { spendOnce, type GqlContext } from "../../../graphql/context.ts";
import { pageArgs, parseId } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { Resource, ResourceInput, RootFolder } from "../index.ts";

const typeDefs = /* GraphQL */ `
  extend type RootQueryType {
    "A group's resource by its path (/ is the root folder), for the group's members."
    resource(path: String!, username: String!): Resource
  }
  extend type RootMutationType {
    createResource(parentId: ID, actorId: ID!, title: String!, summary: String, resourceUrl: String, type: String = "link"): Resource
    updateResource(id: ID!, title: String, summary: String, parentId: ID, resourceUrl: String): Resource
    deleteResource(id: ID!): DeletedObject
    "What a link's page says of itself (title, description, author, provider), read safely by the instance."
    previewResourceLink(resourceUrl: String!): ResourceMetadata
  }
`;

/** A folder id as Mobilizon's client sends it: a number, or the root's "root_…" (meaning no folder). */
const folderId = (v: unknown): number | null => (v == null || (typeof v === "string" && (v === "" || v.startsWith("root_"))) ? null : parseId(v, "parentId"));
const isRoot = (r: Resource | RootFolder): r is RootFolder => "root" in r;

export const resourcesSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      resource: (_, args, ctx) => ctx.services.resources.byPath(ctx.principal, String(args.username), String(args.path)),
    },
    RootMutationType: {
      createResource: (_, args, ctx) => {
        // A link is previewed (an outbound request): once per request, whatever the aliases.
        if (args.resourceUrl && args.type !== "folder") spendOnce(ctx, "link-preview", "One link preview per request");
        return ctx.services.resources.create(ctx.principal, parseId(args.actorId, "actorId"), {
          title: args.title,
          summary: args.summary,
          parentId: folderId(args.parentId),
          resourceUrl: args.resourceUrl,
          type: args.type,
        } satisfies ResourceInput);
      },
      updateResource: (_, args, ctx) => {
        if (args.resourceUrl) spendOnce(ctx, "link-preview", "One link preview per request");
        const parent = "parentId" in args ? folderId(args.parentId) : undefined;
        return ctx.services.resources.update(ctx.principal, parseId(args.id), {
          title: args.title,
          summary: args.summary,
          resourceUrl: args.resourceUrl,
          parentId: parent ?? undefined,
          moveToRoot: "parentId" in args && parent === null,
        });
      },
      deleteResource: async (_, args, ctx) => ({ id: String((await ctx.services.resources.delete(ctx.principal, parseId(args.id))).id) }),
      previewResourceLink: (_, args, ctx) => {
        spendOnce(ctx, "link-preview", "One link preview per request");
        return ctx.services.resources.preview(ctx.principal, String(args.resourceUrl));
      },
    },
    Group: {
      resources: (g: { id: number }, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.resources.ofGroup(ctx.principal, g.id, page, limit);
      },
    },
    Resource: {
      id: (r: Resource | RootFolder) => (isRoot(r) ? `root_${r.groupId}` : String(r.id)),
      title: (r: Resource | RootFolder) => (isRoot(r) ? "" : r.title),
      type: (r: Resource | RootFolder) => (isRoot(r) ? "folder" : r.type),
      path: (r: Resource | RootFolder) => (isRoot(r) ? "/" : r.path),
      url: (r: Resource | RootFolder) => (isRoot(r) ? null : r.url),
      actor: (r: Resource | RootFolder, _, ctx: GqlContext) => ctx.loaders.actor.load(r.groupId),
      creator: (r: Resource | RootFolder, _, ctx: GqlContext) => (!isRoot(r) && r.creatorId ? ctx.loaders.actor.load(r.creatorId) : null),
      parent: async (r: Resource | RootFolder, _, ctx: GqlContext) => {
        if (isRoot(r)) return null;
        if (r.parentId === null) return { root: true, groupId: r.groupId } satisfies RootFolder;
        return ctx.loaders.resource.load(r.parentId);
      },
      children: (r: Resource | RootFolder, args, ctx: GqlContext) => {
        const { page, limit } = pageArgs(args);
        if (!isRoot(r) && r.type !== "folder") return { total: 0, elements: [] };
        return ctx.services.resources.children(r, page, limit);
      },
    },
  },
};
