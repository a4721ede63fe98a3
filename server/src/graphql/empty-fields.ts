import { getNullableType, isListType, isObjectType, type GraphQLField, type GraphQLSchema } from "graphql";

/**
 * Fields of features that have not landed yet (a person's participations, a user's drafts…) answer their honest
 * empty value: an empty page `{total: 0, elements: []}` for Paginated*List types, an empty list for lists. Other
 * unresolved fields read the property of the same name, which is absent (null) until its feature sets it.
 */
export function resolveEmptyFields(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (field.resolve) continue;
      const t = getNullableType(field.type);
      const key = field.name;
      if (isListType(t)) {
        field.resolve = (src) => (src as Record<string, unknown>)?.[key] ?? [];
      } else if (isObjectType(t) && /^Paginated.*List$|^PaginatedFollowedGroupEvents$/.test(t.name)) {
        field.resolve = (src) => (src as Record<string, unknown>)?.[key] ?? { total: 0, elements: [] };
      }
    }
  }
}
