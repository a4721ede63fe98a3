import type { GraphQLResolveInfo } from "graphql";
import type { GqlContext } from "./context.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver = (source: any, args: any, ctx: GqlContext, info: GraphQLResolveInfo) => unknown;
export type ResolverMap = Record<string, Record<string, Resolver>>;

/** A module's slice of the API: its root fields (SDL `extend type`) and resolvers. */
export type SchemaSlice = { typeDefs: string; resolvers: ResolverMap };
