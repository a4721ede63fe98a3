import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from "graphql";

/**
 * What one GraphQL request may ask for (docs/security.md, "GraphQL"). Measured against the 200 operations of
 * Mobilizon's web client 5.1.3 (scripts/check-mobilizon-client.ts): the largest of them is far below every bound.
 */
export const LIMITS = {
  /** Characters of a query document. */
  queryLength: 100_000,
  /** Lexical tokens of a document (the parser stops counting past it). */
  tokens: 15_000,
  /** Brackets, braces and parentheses open at once in the raw text: the parser recurses on them. */
  nesting: 60,
  /** Fields nested in one another, fragments followed. */
  depth: 15,
  /** Fields with an alias in one document: aliases are the way to repeat an expensive field. */
  aliases: 50,
  /** Estimated objects resolved: each counts 1 (or its weight), a list multiplies what it holds (`estimateCost`). */
  cost: 10_000,
  /** Items of one list in the arguments or variables. */
  listItems: 100,
  /** The most a `limit` argument may ask for; larger values are answered with this many. */
  pageSize: 100,
};

/** The size assumed for a list without a `limit` argument (tags, comments, replies…). */
const DEFAULT_LIST_SIZE = 10;

/** Lists whose size the server bounds below DEFAULT_LIST_SIZE. */
const LIST_SIZE: Record<string, number> = { "Event.relatedEvents": 3 };

/**
 * Fields that cost a database query of their own for every object they are asked on (not batched across objects):
 * each counts as this many objects, so that a list of events cannot multiply them cheaply.
 */
const FIELD_WEIGHT: Record<string, number> = {
  // Unpaginated lists of texts (as Mobilizon has them): up to 500 comments of an event, 2,000 replies of a thread,
  // each up to 10,000 characters. Counted as what they may hold, so that aliases cannot ask for them many times.
  "Event.comments": 2_000,
  "RootQueryType.thread": 2_000,
  "Event.relatedEvents": 10,
  "Event.participants": 10,
  "Person.organizedEvents": 10,
  "Person.participations": 10,
  "Person.mediaSize": 10,
  "User.mediaSize": 10,
  "User.drafts": 10,
  "User.participations": 10,
  "User.feedTokens": 10,
  "User.settings": 10,
  // Groups' lists: a query each per group, discussion, folder or todo list they are asked on.
  "Group.organizedEvents": 10,
  "Group.discussions": 10,
  "Group.members": 10,
  "Group.resources": 10,
  "Group.posts": 10,
  "Group.todoLists": 10,
  "Group.followers": 10,
  "Group.activity": 10,
  "Person.memberships": 10,
  "Person.follows": 10,
  "User.memberships": 10,
  "User.followedGroupEvents": 10,
  "Discussion.comments": 10,
  "Resource.children": 10,
  "TodoList.todos": 10,
};

/** A client's request is wrong: answered with this message, never executed. */
export class RequestRefused extends Error {}

/**
 * Fields that take a file (an `Upload`, directly or inside an input such as MediaInput) decode, re-encode and store a
 * picture: each counts as this many objects, so that aliases cannot make one request process a file dozens of times.
 */
const UPLOAD_WEIGHT = 2_000;

/** `__schema` and `__type`: the whole schema (a few hundred types) for one; aliases multiply it like anything else. */
const INTROSPECTION_WEIGHT: Record<string, number> = { __schema: 2_000, __type: 20 };

const takesUpload = new WeakMap<object, boolean>();
/** Whether a field has an argument through which a file may be sent. */
function fieldTakesUpload(field: GraphQLField<unknown, unknown>): boolean {
  let known = takesUpload.get(field);
  if (known === undefined) {
    const seen = new Set<string>();
    const holds = (t: GraphQLInputType): boolean => {
      const named = getNamedType(t);
      if (named.name === "Upload") return true;
      if (!isInputObjectType(named) || seen.has(named.name)) return false;
      seen.add(named.name);
      return Object.values(named.getFields()).some((f) => holds(f.type));
    };
    known = field.args.some((a) => holds(a.type));
    takesUpload.set(field, known);
  }
  return known;
}

/**
 * Refuses, before parsing, a document whose brackets nest deeper than the parser should recurse (thousands of nested
 * braces otherwise end in a stack overflow). Strings, block strings and comments are skipped.
 */
export function checkNesting(query: string, max = LIMITS.nesting): void {
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c === 0x22 /* " */) {
      if (query.startsWith('"""', i)) {
        // A block string ends at the first """ that is not escaped as \""".
        let end = query.indexOf('"""', i + 3);
        while (end > 0 && query.charCodeAt(end - 1) === 0x5c) end = query.indexOf('"""', end + 3);
        i = end < 0 ? query.length : end + 2;
      } else {
        for (i++; i < query.length && query.charCodeAt(i) !== 0x22 && query.charCodeAt(i) !== 0x0a; i++) if (query.charCodeAt(i) === 0x5c) i++;
      }
    } else if (c === 0x23 /* # */) {
      while (i < query.length && query.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x7b || c === 0x5b || c === 0x28) {
      if (++depth > max) throw new RequestRefused(`The query nests brackets too deeply (maximum ${max})`);
    } else if (c === 0x7d || c === 0x5d || c === 0x29) {
      depth--;
    }
  }
}

/** Counts the aliases of a parsed document, as its author wrote them (before any name normalisation). */
export function countAliases(doc: DocumentNode): number {
  let n = 0;
  const walk = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD && s.alias) n++;
      if (s.kind !== Kind.FRAGMENT_SPREAD) walk(s.selectionSet);
    }
  };
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk(d.selectionSet);
  return n;
}

/**
 * Refuses documents nested deeper than `max` fields. Each fragment's depth is computed once, so a chain of fragments
 * that each spread the next twice costs linear time, not exponential; a fragment cycle counts as nothing here and is
 * reported by graphql-js's own NoFragmentCycles rule.
 */
export function depthLimitRule(max = LIMITS.depth): ValidationRule {
  return (context) => {
    const memo = new Map<string, number>();
    const visiting = new Set<string>();
    const fragmentDepth = (name: string): number => {
      const known = memo.get(name);
      if (known !== undefined) return known;
      const frag = context.getFragment(name);
      if (!frag || visiting.has(name)) return 0;
      visiting.add(name);
      const d = depthOf(frag.selectionSet);
      visiting.delete(name);
      memo.set(name, d);
      return d;
    };
    const depthOf = (set: SelectionSetNode): number => {
      let max = 0;
      for (const s of set.selections) {
        const d =
          s.kind === Kind.FIELD ? (s.selectionSet ? 1 + depthOf(s.selectionSet) : 1)
          : s.kind === Kind.INLINE_FRAGMENT ? depthOf(s.selectionSet)
          : fragmentDepth(s.name.value);
        if (d > max) max = d;
      }
      return max;
    };
    return {
      OperationDefinition(node: OperationDefinitionNode) {
        if (depthOf(node.selectionSet) > max)
          context.reportError(new GraphQLError(`Query is nested too deeply (maximum depth ${max})`, { nodes: [node] }));
      },
    };
  };
}

/** Whether any `limit` argument of the document takes its value from a variable (its cost then varies per request). */
export function costDependsOnVariables(doc: DocumentNode): boolean {
  let found = false;
  const walk = (set: SelectionSetNode | undefined) => {
    if (!set || found) return;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD && s.arguments?.some((a) => a.name.value === "limit" && a.value.kind === Kind.VARIABLE)) found = true;
      if (s.kind !== Kind.FRAGMENT_SPREAD) walk(s.selectionSet);
    }
  };
  for (const d of doc.definitions) if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) walk(d.selectionSet);
  return found;
}

/**
 * Estimates how many objects executing an operation resolves: each field that returns objects counts 1 (or its
 * FIELD_WEIGHT) plus what it contains, multiplied by the size of the list it returns; leaves count nothing (they read
 * a property of an object already loaded). A field with a `limit` argument (Mobilizon's pages) multiplies by that limit
 * (capped at LIMITS.pageSize, as the resolvers cap it); the list of a page (`elements`) then does not multiply again.
 * Any other list counts DEFAULT_LIST_SIZE items. Fragments are costed once per parent type and count once per
 * selection they are spread into; cycles count nothing.
 */
export function estimateCost(schema: GraphQLSchema, doc: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  if (!op) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // Variables the request leaves out take the defaults the operation declares.
  // Without a prototype, and filled key by key: a variable named "__proto__" is a variable like any other here, as it
  // is for the executor (Object.assign would set the prototype instead and the estimate would miss its value).
  const vars: Record<string, unknown> = Object.create(null);
  for (const v of op.variableDefinitions ?? []) if (v.defaultValue) vars[v.variable.name.value] = valueFromASTUntyped(v.defaultValue);
  for (const [k, v] of Object.entries(variables ?? {})) vars[k] = v;
  const root = op.operation === "mutation" ? schema.getMutationType() : op.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  const limitOf = (field: GraphQLField<unknown, unknown>, args: readonly { name: { value: string }; value: ValueNode }[] | undefined): number | null => {
    const def = field.args.find((a) => a.name === "limit");
    if (!def) return null;
    const node = args?.find((a) => a.name.value === "limit");
    let v: unknown = node ? valueFromASTUntyped(node.value, vars) : undefined;
    if (v === undefined || v === null) v = def.defaultValue ?? DEFAULT_LIST_SIZE;
    const n = typeof v === "number" && Number.isFinite(v) ? Math.floor(v) : DEFAULT_LIST_SIZE;
    return Math.min(LIMITS.pageSize, Math.max(1, n));
  };

  // `spread` holds the fragments already spread into the selection being merged: like graphql-js's executor, a
  // fragment spread twice into one selection counts once.
  const costOf = (set: SelectionSetNode, parent: GraphQLCompositeType, paged: boolean, spread: Set<string> = new Set()): number => {
    let total = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        if (name in INTROSPECTION_WEIGHT) {
          total += INTROSPECTION_WEIGHT[name];
          continue;
        }
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (field && fieldTakesUpload(field)) total += UPLOAD_WEIGHT;
        const type = field && s.selectionSet ? getNamedType(field.type) : null;
        // Leaves are property reads of an object already loaded: only objects count.
        if (!field || !s.selectionSet || !type || !isCompositeType(type)) continue;
        const key = `${parent.name}.${name}`;
        const limit = limitOf(field, s.arguments);
        const list = isListType(getNullableType(field.type));
        const times = limit ?? (list ? (paged ? 1 : (LIST_SIZE[key] ?? DEFAULT_LIST_SIZE)) : 1);
        total += (FIELD_WEIGHT[key] ?? 1) + times * costOf(s.selectionSet, type, limit !== null);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        const cond = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
        total += costOf(s.selectionSet, cond && isCompositeType(cond) ? cond : parent, paged, spread);
      } else {
        const name = s.name.value;
        if (spread.has(name)) continue;
        spread.add(name);
        const key = `${name}|${parent.name}|${paged}`;
        const known = memo.get(key);
        if (known !== undefined) {
          total += known;
          continue;
        }
        const frag = fragments.get(name);
        if (!frag || visiting.has(name)) continue;
        visiting.add(name);
        const cond = schema.getType(frag.typeCondition.name.value);
        // Costed on its own (as if nothing else were spread beside it), so that the memo holds for every place it is
        // spread: this can only overestimate.
        const c = costOf(frag.selectionSet, cond && isCompositeType(cond) ? cond : parent, paged, new Set([name]));
        visiting.delete(name);
        memo.set(key, c);
        total += c;
      }
      // Past any sane bound already: stop walking (the numbers of a hostile document can grow without end).
      if (total > Number.MAX_SAFE_INTEGER / 1000) return total;
    }
    return total;
  };
  return costOf(op.selectionSet, root, false);
}

/**
 * Refuses lists longer than LIMITS.listItems and text containing NUL anywhere in a request's variables: neither
 * database stores NUL in text (PostgreSQL refuses it), and long lists become long SQL `in (…)` lists.
 */
export function checkVariables(value: unknown, path = "variables", depth = 0): void {
  if (depth > 40) throw new RequestRefused("Variables are nested too deeply");
  if (typeof value === "string") {
    if (value.includes("\0")) throw new RequestRefused(`Text must not contain NUL characters (${path})`);
  } else if (Array.isArray(value)) {
    if (value.length > LIMITS.listItems) throw new RequestRefused(`A list has at most ${LIMITS.listItems} items (${path})`);
    value.forEach((v, i) => checkVariables(v, `${path}.${i}`, depth + 1));
  } else if (value && typeof value === "object" && !(value instanceof Blob)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\0")) throw new RequestRefused("Names must not contain NUL characters");
      checkVariables(v, `${path}.${k}`, depth + 1);
    }
  }
}

/** The same checks for values written in the document itself (list literals, string literals with `\u0000`). */
export const literalLimitRule: ValidationRule = (context) => ({
  ListValue(node) {
    if (node.values.length > LIMITS.listItems)
      context.reportError(new GraphQLError(`A list has at most ${LIMITS.listItems} items`, { nodes: [node] }));
  },
  StringValue(node) {
    if (node.value.includes("\0")) context.reportError(new GraphQLError("Text must not contain NUL characters", { nodes: [node] }));
  },
});
