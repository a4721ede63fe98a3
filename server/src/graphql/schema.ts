import { readFileSync } from "node:fs";
import { buildSchema, isObjectType, type GraphQLSchema } from "graphql";
import { actorsSlice } from "../modules/actors/graphql/actors.graphql.ts";
import { commentsSlice } from "../modules/comments/graphql/comments.graphql.ts";
import { eventsSlice } from "../modules/events/graphql/events.graphql.ts";
import { feedsSlice } from "../modules/feeds/graphql/feeds.graphql.ts";
import { geocodingSlice } from "../modules/geocoding/graphql/geocoding.graphql.ts";
import { groupsSlice } from "../modules/groups/graphql/groups.graphql.ts";
import { configSlice } from "../modules/instance/graphql/config.graphql.ts";
import { participationsSlice } from "../modules/participations/graphql/participations.graphql.ts";
import { mediaSlice } from "../modules/media/graphql/media.graphql.ts";
import { usersSlice } from "../modules/users/graphql/users.graphql.ts";
import { relaysSlice } from "../modules/relays/graphql/relays.graphql.ts";
import { postsSlice } from "../modules/posts/graphql/posts.graphql.ts";
import { discussionsSlice } from "../modules/discussions/graphql/discussions.graphql.ts";
import { resourcesSlice } from "../modules/resources/graphql/resources.graphql.ts";
import { todosSlice } from "../modules/todos/graphql/todos.graphql.ts";
import { activitySlice } from "../modules/activity/graphql/activity.graphql.ts";
import { resolveEmptyFields } from "./empty-fields.ts";
import type { SchemaSlice } from "./resolvers.ts";
import { scalars } from "./scalars.ts";

const ROOTS = /* GraphQL */ `
  schema { query: RootQueryType, mutation: RootMutationType }
  type RootQueryType { _empty: Boolean }
  type RootMutationType { _empty: Boolean }
`;

export const SLICES: SchemaSlice[] = [usersSlice, actorsSlice, mediaSlice, configSlice, eventsSlice, participationsSlice, feedsSlice, commentsSlice, geocodingSlice, groupsSlice, relaysSlice, postsSlice, discussionsSlice, resourcesSlice, todosSlice, activitySlice];

/** Assembles the API from the shared types and every module's slice, and attaches resolvers and scalars. */
export function createSchema(slices: SchemaSlice[] = SLICES): GraphQLSchema {
  const types = readFileSync(new URL("./schema/mobilizon-types.graphql", import.meta.url), "utf8");
  const schema = buildSchema([ROOTS, types, ...slices.map((s) => s.typeDefs)].join("\n"), { assumeValidSDL: false });
  const typeMap = schema.getTypeMap();

  // The placeholder root fields exist only because SDL cannot declare an empty type.
  for (const root of [schema.getQueryType()!, schema.getMutationType()!]) delete (root.getFields() as Record<string, unknown>)._empty;

  for (const [name, scalar] of Object.entries(scalars)) {
    const t = typeMap[name];
    if (!t) continue;
    Object.assign(t, { serialize: scalar.serialize, parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
  }
  for (const slice of slices) {
    for (const [typeName, fields] of Object.entries(slice.resolvers)) {
      const type = typeMap[typeName];
      if (!type || !isObjectType(type)) throw new Error(`Resolvers for unknown type ${typeName}`);
      const defs = type.getFields();
      for (const [fieldName, resolve] of Object.entries(fields)) {
        if (!defs[fieldName]) throw new Error(`Resolver for unknown field ${typeName}.${fieldName}`);
        defs[fieldName].resolve = resolve;
      }
    }
  }
  // Interfaces resolve to their concrete types by the domain object's `type` (Person, Group, Application).
  for (const name of ["Actor"]) {
    const iface = typeMap[name] as unknown as { resolveType?: (v: { type?: string }) => string };
    iface.resolveType = (v) => (v.type === "Group" ? "Group" : v.type === "Application" ? "Application" : "Person");
  }
  (typeMap.EventSearchResult as unknown as { resolveType: () => string }).resolveType = () => "Event";
  (typeMap.Interactable as unknown as { resolveType: (v: { preferredUsername?: string }) => string }).resolveType = (v) => (v.preferredUsername ? "Group" : "Event");
  (typeMap.GroupSearchResult as unknown as { resolveType: () => string }).resolveType = () => "Group";
  // What a group's timeline entry is about, told apart by the domain object's shape.
  (typeMap.ActivityObject as unknown as { resolveType: (v: Record<string, unknown>) => string }).resolveType = (v) =>
    "preferredUsername" in v ? "Group" : "beginsOn" in v ? "Event" : "body" in v ? "Post" : "lastCommentId" in v ? "Discussion" : "path" in v ? "Resource" : "role" in v ? "Member" : "Comment";
  resolveEmptyFields(schema);
  return schema;
}
