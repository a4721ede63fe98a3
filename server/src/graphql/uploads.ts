import {
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { RequestRefused } from "./limits.ts";

/**
 * Absinthe's upload convention, which Mobilizon's web client uses: each file travels as its own multipart part, and
 * the variable that should hold it carries the part's name instead. This puts the files in place — only where the
 * operation declares an `Upload` (directly, in a list or in an input object), so that ordinary text that happens to
 * equal a part name stays text. Each part may be bound once. Returns new variables; the given ones are not changed.
 */
export function bindUploads(
  schema: GraphQLSchema,
  doc: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  files: ReadonlyMap<string, File>,
): Record<string, unknown> {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) return variables;
  const used = new Set<string>();
  const bind = (value: unknown, type: GraphQLInputType, depth: number): unknown => {
    if (value == null || depth > 10) return value;
    const t = getNullableType(type);
    if (isScalarType(t)) {
      if (t.name !== "Upload" || typeof value !== "string" || !files.has(value)) return value;
      // Each file once: a part named by several variables would be processed and stored as many times.
      if (used.has(value)) throw new RequestRefused(`The file part ${value.slice(0, 50)} is used twice: send one part per file`);
      used.add(value);
      return files.get(value);
    }
    if (isListType(t)) return Array.isArray(value) ? value.map((v) => bind(v, t.ofType, depth + 1)) : bind(value, t.ofType, depth + 1);
    if (isInputObjectType(t) && typeof value === "object" && !Array.isArray(value)) {
      const fields = t.getFields();
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fields[k] ? bind(v, fields[k].type, depth + 1) : v]));
    }
    return value;
  };
  const out = { ...variables };
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type as never) as GraphQLInputType | undefined;
    if (type && name in out) out[name] = bind(out[name], type, 0);
  }
  return out;
}
