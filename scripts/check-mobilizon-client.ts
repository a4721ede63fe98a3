// Measures the GraphQL operations of Mobilizon's own web client against Convene's request limits and schema.
//
//   npm run check:mobilizon-client -- <path to a Mobilizon source tree (its src/ folder)>
//
// Mobilizon's client code is not part of Convene and is never copied into it: this script reads a checkout the
// developer has, builds each operation the way graphql-tag does (templates with their interpolated fragments), and
// prints, per operation, its size against every limit of server/src/graphql/limits.ts, whether it validates against
// Mobilizon's API description (shared reference) under those limits, and which of its fields Convene does not serve
// yet. Exit code 1 when any operation is refused by a limit.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, Kind, parse, print, specifiedRules, OverlappingFieldsCanBeMergedRule, validate, type DefinitionNode } from "graphql";
import { checkNesting, countAliases, depthLimitRule, estimateCost, LIMITS, literalLimitRule } from "../server/src/graphql/limits.ts";
import { normaliseNames } from "../server/src/graphql/lenient.ts";
import { createSchema } from "../server/src/graphql/schema.ts";

const src = process.argv[2];
if (!src) {
  console.error("usage: check-mobilizon-client.ts <mobilizon>/src");
  process.exit(2);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|vue)$/.test(n) ? [p] : [];
  });
}

/** Every `const NAME = gql\`…\`` of the tree, and the operations they make once their `${FRAGMENT}`s are joined. */
function operations(dir: string) {
  const templates = new Map<string, string>();
  for (const f of files(dir)) for (const m of readFileSync(f, "utf8").matchAll(/const\s+(\w+)\s*=\s*gql`([\s\S]*?)`/g)) templates.set(m[1], m[2]);
  const definitions = (name: string, seen: Set<string>): DefinitionNode[] => {
    const text = templates.get(name);
    if (text === undefined) throw new Error(`template ${name} not found`);
    // Apollo strips its client-only @connection directive before sending.
    const out = [...parse(text.replace(/\$\{\w+\}/g, "").replace(/@connection\([^)]*\)/g, "")).definitions];
    for (const [, ref] of text.matchAll(/\$\{(\w+)\}/g)) if (!seen.has(ref)) out.push(...definitions(ref, seen.add(ref)));
    return out;
  };
  const ops: { name: string; text: string }[] = [];
  for (const [name, text] of templates) {
    if (/@client/.test(text)) continue; // answered by the client's own cache
    const defs = definitions(name, new Set());
    const own = defs.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!own.length) continue;
    const frags = new Map(defs.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [(d as { name: { value: string } }).name.value, d]));
    ops.push({ name, text: print({ kind: Kind.DOCUMENT, definitions: [...own, ...frags.values()] }) });
  }
  return ops;
}

const reference = buildSchema(readFileSync(new URL("../../shared/reference/mobilizon-5.1.3.graphql", import.meta.url), "utf8"));
const convene = createSchema();
const rules = specifiedRules.filter((r) => r !== OverlappingFieldsCanBeMergedRule);

let refused = 0;
const rows: string[] = [];
const max = { tokens: 0, nesting: 0, aliases: 0, cost: 0, length: 0 };
const ops = operations(src);
for (const op of ops) {
  const problems: string[] = [];
  try {
    checkNesting(op.text);
  } catch (e) {
    problems.push((e as Error).message);
  }
  const doc = parse(op.text, { maxTokens: LIMITS.tokens, noLocation: true });
  const tokens = op.text.split(/[\s,]+|(?=[{}():!$@=[\]])|(?<=[{}():!$@=[\]])/).filter(Boolean).length;
  const aliases = countAliases(doc);
  if (aliases > LIMITS.aliases) problems.push(`${aliases} aliases`);
  const ref = normaliseNames(reference, doc);
  for (const e of validate(reference, ref, [...rules, depthLimitRule(), literalLimitRule])) problems.push(e.message);
  const cost = estimateCost(reference, ref, null, {});
  if (cost > LIMITS.cost) problems.push(`cost ${cost}`);
  const missing = validate(convene, normaliseNames(convene, doc), [...rules, depthLimitRule(), literalLimitRule]).map((e) => e.message);
  if (problems.length) refused++;
  max.tokens = Math.max(max.tokens, tokens);
  max.aliases = Math.max(max.aliases, aliases);
  max.cost = Math.max(max.cost, cost);
  max.length = Math.max(max.length, op.text.length);
  rows.push(`${problems.length ? "REFUSED" : "ok     "} ${op.name.padEnd(40)} cost ${String(cost).padStart(6)}  aliases ${aliases}  chars ${op.text.length}${problems.length ? `  — ${problems.join("; ")}` : ""}${missing.length ? `  [Convene lacks ${missing.length}: ${missing[0]}]` : ""}`);
}
console.log(rows.join("\n"));
console.log(`\n${ops.length} operations; ${ops.length - refused} within the limits, ${refused} refused.`);
console.log(`Largest: cost ${max.cost} (limit ${LIMITS.cost}), aliases ${max.aliases} (limit ${LIMITS.aliases}), ${max.length} characters (limit ${LIMITS.queryLength}), ~${max.tokens} tokens (limit ${LIMITS.tokens}).`);
process.exit(refused ? 1 : 0);
