import {
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";

/** "redirectURI", "redirect_uri" and "redirectUri" all become "redirect_uri": the key names are compared by. */
export const underscore = (name: string) =>
  name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z\d])([A-Z])/g, "$1_$2")
    .toLowerCase();

const cache = new WeakMap<object, Map<string, string>>();
function byUnderscore(owner: object, names: () => string[]): Map<string, string> {
  let m = cache.get(owner);
  if (!m) {
    m = new Map(names().map((n) => [underscore(n), n]));
    cache.set(owner, m);
  }
  return m;
}

/**
 * Mobilizon's server matches field, argument and input-field names whatever their casing (snake_case or camelCase),
 * and its own web client relies on it. This rewrites such names to the schema's spelling before validation; a
 * renamed field gets its original name as alias, so the response keys stay as the client wrote them.
 */
export function normaliseNames(schema: GraphQLSchema, doc: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
        const name = node.name.value;
        const fields = parent.getFields();
        if (name.startsWith("__") || fields[name]) return undefined;
        const match = byUnderscore(parent, () => Object.keys(fields)).get(underscore(name));
        if (!match) return undefined;
        return { ...node, alias: node.alias ?? node.name, name: { ...node.name, value: match } };
      },
      Argument(node) {
        const field = typeInfo.getFieldDef() ?? typeInfo.getDirective();
        if (!field || field.args.some((a) => a.name === node.name.value)) return undefined;
        const match = byUnderscore(field, () => field.args.map((a) => a.name)).get(underscore(node.name.value));
        return match ? { ...node, name: { ...node.name, value: match } } : undefined;
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : null;
        if (!named || !isInputObjectType(named)) return undefined;
        const fields = named.getFields();
        if (fields[node.name.value]) return undefined;
        const match = byUnderscore(named, () => Object.keys(fields)).get(underscore(node.name.value));
        return match ? { ...node, name: { ...node.name, value: match } } : undefined;
      },
    }),
  );
}
