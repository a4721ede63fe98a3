import {
  execute,
  GraphQLError,
  Kind,
  OverlappingFieldsCanBeMergedRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from "graphql";
import type { Logger } from "../kernel/index.ts";
import { createLoaders, type GqlContext } from "./context.ts";
import { formatError } from "./errors.ts";
import { normaliseNames } from "./lenient.ts";

export type GraphQLRequest = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };
export type GraphQLResponse = { status: number; body: ExecutionResult | { errors: unknown[] } };

const MAX_DEPTH = 15;
const CACHE_SIZE = 500;
const MAX_QUERY_LENGTH = 100_000;

/** Refuses documents nested deeper than MAX_DEPTH, a cheap guard against abusive queries. */
const DepthLimitRule: ValidationRule = (context) => {
  const depthOf = (sel: readonly { kind: string; selectionSet?: { selections: readonly unknown[] } }[], depth: number, seen: Set<string>): number => {
    let max = depth;
    for (const s of sel as { kind: string; name?: { value: string }; selectionSet?: { selections: readonly never[] } }[]) {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const name = s.name!.value;
        if (seen.has(name)) continue;
        const frag = context.getFragment(name);
        if (frag) max = Math.max(max, depthOf(frag.selectionSet.selections, depth, new Set([...seen, name])));
      } else if (s.selectionSet) {
        max = Math.max(max, depthOf(s.selectionSet.selections, s.kind === Kind.FIELD ? depth + 1 : depth, seen));
      }
    }
    return max;
  };
  return {
    OperationDefinition(node: OperationDefinitionNode) {
      if (depthOf(node.selectionSet.selections, 0, new Set()) > MAX_DEPTH)
        context.reportError(new GraphQLError(`Query is nested too deeply (maximum depth ${MAX_DEPTH})`, { nodes: [node] }));
    },
  };
};

// Mobilizon's server does not enforce this rule, and its web client sends documents that break it (see
// docs/adr/0003); the executor merges such fields by response key.
const RULES = [...specifiedRules.filter((r) => r !== OverlappingFieldsCanBeMergedRule), DepthLimitRule];

/**
 * A thin GraphQL executor: parsed, normalised and validated documents are cached by their text, so a repeated query
 * costs only its execution.
 */
export class GraphQLHandler {
  private readonly cache = new Map<string, { doc: DocumentNode } | { errors: readonly GraphQLError[] }>();

  private readonly schema: GraphQLSchema;
  private readonly logger: Logger;
  constructor(schema: GraphQLSchema, logger: Logger) {
    this.schema = schema;
    this.logger = logger;
  }

  private prepare(query: string) {
    const hit = this.cache.get(query);
    if (hit) {
      this.cache.delete(query);
      this.cache.set(query, hit);
      return hit;
    }
    let entry: { doc: DocumentNode } | { errors: readonly GraphQLError[] };
    try {
      const doc = normaliseNames(this.schema, parse(query, { maxTokens: 20_000 }));
      const errors = validate(this.schema, doc, RULES);
      entry = errors.length ? { errors } : { doc };
    } catch (e) {
      entry = { errors: [e instanceof GraphQLError ? e : new GraphQLError(String(e))] };
    }
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(query, entry);
    return entry;
  }

  /** Runs one request for a context built by the HTTP layer (user, ip, services). */
  async run(req: GraphQLRequest, ctx: Omit<GqlContext, "loaders">): Promise<GraphQLResponse> {
    if (typeof req.query !== "string" || req.query.length === 0)
      return { status: 400, body: { errors: [{ message: "Must provide a query string", code: "bad_request", status_code: 400 }] } };
    if (req.query.length > MAX_QUERY_LENGTH)
      return { status: 413, body: { errors: [{ message: "Query is too large", code: "bad_request", status_code: 413 }] } };
    if (req.variables != null && (typeof req.variables !== "object" || Array.isArray(req.variables)))
      return { status: 400, body: { errors: [{ message: "Variables must be an object", code: "bad_request", status_code: 400 }] } };
    const prepared = this.prepare(req.query);
    if ("errors" in prepared)
      return { status: 400, body: { errors: prepared.errors.map((e) => formatError(e, this.logger)) } };
    const context: GqlContext = { ...ctx, loaders: createLoaders(ctx.services, ctx.user) };
    const result = await execute({
      schema: this.schema,
      document: prepared.doc,
      variableValues: req.variables ?? undefined,
      operationName: req.operationName ?? undefined,
      contextValue: context,
    });
    const body: ExecutionResult = { data: result.data };
    if (result.errors?.length) {
      (body as { errors: unknown[] }).errors = result.errors.map((e) => formatError(e, this.logger, { user: ctx.user?.id }));
      if (!result.data) return { status: 400, body };
    }
    return { status: 200, body };
  }

  /** Tells whether a document is a query (allowed over GET) or a mutation. */
  operationType(query: string, operationName?: string | null): string | null {
    const prepared = this.prepare(query);
    if ("errors" in prepared) return null;
    const ops = prepared.doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
    return op?.operation ?? null;
  }
}
