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
} from "graphql";
import type { Logger } from "../kernel/index.ts";
import { createLoaders, type GqlContext } from "./context.ts";
import { formatError } from "./errors.ts";
import { normaliseNames } from "./lenient.ts";
import {
  checkNesting,
  checkVariables,
  costDependsOnVariables,
  countAliases,
  depthLimitRule,
  estimateCost,
  LIMITS,
  literalLimitRule,
  RequestRefused,
} from "./limits.ts";
import { bindUploads } from "./uploads.ts";

export type GraphQLRequest = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };
export type GraphQLResponse = { status: number; body: ExecutionResult | { errors: unknown[] } };

// Mobilizon's server does not enforce OverlappingFieldsCanBeMerged, and its web client sends documents that break it
// (see docs/adr/0003); the executor merges such fields by response key.
const RULES = [...specifiedRules.filter((r) => r !== OverlappingFieldsCanBeMergedRule), depthLimitRule(), literalLimitRule];

/** Heap a parsed document takes, per character of its text (measured without locations: about 36). */
const BYTES_PER_CHAR = 40;
const CACHE_BYTES = 20 * 1024 * 1024;
const CACHE_ENTRIES = 1000;

type Prepared = { doc: DocumentNode; bytes: number; costByVariables: boolean; costs: Map<string, number> };

/** A refusal of the document itself: answered like any GraphQL error (HTTP 200), as Mobilizon's server does. */
const refusal = (message: string): GraphQLResponse => ({
  status: 200,
  body: { errors: [{ message, code: "bad_request", status_code: 400, field: null, extensions: { code: "bad_request", status_code: 400 } }] },
});

/**
 * A thin GraphQL executor: documents are checked against the request limits (graphql/limits.ts), parsed, normalised
 * and validated once, and kept in a cache bounded by their size, so a repeated query costs only its execution.
 * Refused documents are never cached.
 */
export class GraphQLHandler {
  private readonly cache = new Map<string, Prepared>();
  private cachedBytes = 0;

  readonly schema: GraphQLSchema;
  private readonly logger: Logger;
  constructor(schema: GraphQLSchema, logger: Logger) {
    this.schema = schema;
    this.logger = logger;
  }

  private prepare(query: string): Prepared | { errors: readonly GraphQLError[] } {
    const hit = this.cache.get(query);
    if (hit) {
      this.cache.delete(query);
      this.cache.set(query, hit);
      return hit;
    }
    let doc: DocumentNode;
    try {
      if (query.length > LIMITS.queryLength) throw new RequestRefused(`The query is too long (at most ${LIMITS.queryLength} characters)`);
      checkNesting(query);
      // Without locations a document takes about 2.5 times less memory; Mobilizon's clients do not read them.
      doc = parse(query, { maxTokens: LIMITS.tokens, noLocation: true });
      const aliases = countAliases(doc);
      if (aliases > LIMITS.aliases) throw new RequestRefused(`The query has ${aliases} aliases (at most ${LIMITS.aliases})`);
      doc = normaliseNames(this.schema, doc);
    } catch (e) {
      if (e instanceof GraphQLError) return { errors: [e] };
      if (e instanceof RequestRefused) return { errors: [new GraphQLError(e.message)] };
      // The bracket check should have caught it; should any nesting still overflow the parser, it is the document's fault.
      if (e instanceof RangeError) return { errors: [new GraphQLError("The query is nested too deeply")] };
      throw e;
    }
    const errors = validate(this.schema, doc, RULES, { maxErrors: 20 });
    if (errors.length) return { errors };
    const entry: Prepared = { doc, bytes: query.length * BYTES_PER_CHAR, costByVariables: costDependsOnVariables(doc), costs: new Map() };
    if (entry.bytes <= CACHE_BYTES / 4) {
      while (this.cache.size >= CACHE_ENTRIES || this.cachedBytes + entry.bytes > CACHE_BYTES) {
        const [oldest, old] = this.cache.entries().next().value as [string, Prepared];
        this.cache.delete(oldest);
        this.cachedBytes -= old.bytes;
      }
      this.cache.set(query, entry);
      this.cachedBytes += entry.bytes;
    }
    return entry;
  }

  /** Estimated cost of running the operation with these variables; remembered when variables cannot change it. */
  private costOf(p: Prepared, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
    if (p.costByVariables) return estimateCost(this.schema, p.doc, operationName, variables);
    const key = operationName ?? "";
    let cost = p.costs.get(key);
    if (cost === undefined) {
      cost = estimateCost(this.schema, p.doc, operationName, null);
      p.costs.set(key, cost);
    }
    return cost;
  }

  /**
   * Runs one request for a context built by the HTTP layer (user, ip, services). `files` are the parts of an
   * Absinthe-style multipart request, which variables name by their part name.
   */
  async run(req: GraphQLRequest, ctx: Omit<GqlContext, "loaders" | "spent" | "principal">, files?: ReadonlyMap<string, File>): Promise<GraphQLResponse> {
    if (typeof req.query !== "string" || req.query.length === 0)
      return { status: 400, body: { errors: [{ message: "Must provide a query string", code: "bad_request", status_code: 400 }] } };
    if (req.variables != null && (typeof req.variables !== "object" || Array.isArray(req.variables)))
      return { status: 400, body: { errors: [{ message: "Variables must be an object", code: "bad_request", status_code: 400 }] } };
    if (req.operationName != null && typeof req.operationName !== "string")
      return { status: 400, body: { errors: [{ message: "operationName must be a string", code: "bad_request", status_code: 400 }] } };
    const prepared = this.prepare(req.query);
    if ("errors" in prepared) return { status: 200, body: { errors: prepared.errors.map((e) => formatError(e, this.logger)) } };
    let variables = req.variables ?? undefined;
    try {
      checkVariables(variables);
    } catch (e) {
      if (e instanceof RequestRefused) return refusal(e.message);
      throw e;
    }
    const cost = this.costOf(prepared, req.operationName, variables);
    if (cost > LIMITS.cost)
      return refusal(`The query asks for too much at once (estimated cost ${cost}, at most ${LIMITS.cost}): ask for fewer items or fewer nested lists`);
    if (files?.size && variables) {
      try {
        variables = bindUploads(this.schema, prepared.doc, req.operationName, variables, files);
      } catch (e) {
        if (e instanceof RequestRefused) return refusal(e.message);
        throw e;
      }
    }
    const principal = ctx.services.actors.principalFor(ctx.user);
    const context: GqlContext = { ...ctx, principal, loaders: createLoaders(ctx.services, principal), spent: new Set() };
    const result = await execute({
      schema: this.schema,
      document: prepared.doc,
      variableValues: variables,
      operationName: req.operationName ?? undefined,
      contextValue: context,
    });
    const body: ExecutionResult = { data: result.data };
    if (result.errors?.length) (body as { errors: unknown[] }).errors = result.errors.map((e) => formatError(e, this.logger, { user: ctx.user?.id }));
    return { status: 200, body };
  }

  /** How many documents the cache holds and the heap they are estimated to take. */
  cacheStats(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cachedBytes };
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
