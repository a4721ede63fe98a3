// Every root field of the API, called with ordinary bad input (an id beyond any row's, text holding a NUL character),
// logged in and not: the answer is a clear error or an empty result, never an internal error, on both databases.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";
import { buildEvent, buildUser, startInstance, type TestInstance } from "../../test/kit.ts";

type Variant = "huge-id" | "nul-text";

/**
 * A value of an input type. The `slot.target`-th id met (counting in `slot.seen`) is one beyond any row's; with the
 * NUL variant every text holds a NUL.
 */
function valueOf(type: GraphQLInputType, variant: Variant, slot: { target: number; seen: number }, depth = 0): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [valueOf(t.ofType, variant, slot, depth + 1)];
  if (isEnumType(t)) return t.getValues()[0].value;
  if (isInputObjectType(t)) {
    if (depth > 3) return null;
    return Object.fromEntries(
      Object.values(t.getFields())
        .filter((f) => isNonNullType(f.type) || ["street", "description", "content", "title", "mediaId", "name"].includes(f.name))
        .map((f) => [f.name, valueOf(f.type, variant, slot, depth + 1)]),
    );
  }
  if (isScalarType(t)) {
    switch (t.name) {
      case "ID":
        return variant === "huge-id" && slot.seen++ === slot.target ? "2147483648" : "1";
      case "String":
        return variant === "nul-text" ? "a\u0000b" : "text";
      case "Int":
        return 1;
      case "Float":
        return 1.5;
      case "Boolean":
        return true;
      case "DateTime":
        return new Date(Date.now() + 86_400_000).toISOString();
      case "UUID":
        return "00000000-0000-4000-8000-000000000000";
      case "Timezone":
        return "Europe/Paris";
      case "Point":
        return "2.35;48.85";
      default:
        return null;
    }
  }
  return null;
}

/** One request calling `field` with every argument given (optional ones too: they are where the bad values hide). */
function call(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>, variant: Variant, slot: { target: number; seen: number }) {
  const args = field.args.filter((a: GraphQLArgument) => getNamedType(a.type).name !== "Upload");
  const decls = args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const pass = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const composite = !isScalarType(getNamedType(field.type)) && !isEnumType(getNamedType(field.type));
  const query = `${kind}${decls ? `(${decls})` : ""} { ${field.name}${pass ? `(${pass})` : ""}${composite ? " { __typename }" : ""} }`;
  const variables = Object.fromEntries(args.map((a) => [a.name, valueOf(a.type, variant, slot)]));
  return { query, variables };
}

describe("hostile ordinary input on every root field", () => {
  let inst: TestInstance;
  let token: string;
  before(async () => {
    inst = await startInstance();
    const u = await buildUser(inst);
    await buildEvent(inst, u);
    token = u.accessToken;
  });
  after(() => inst.stop());

  for (const variant of ["huge-id", "nul-text"] as const) {
    test(`${variant}: no internal error, no HTTP error status`, async () => {
      const schema = inst.graphql.schema;
      const roots = [
        ["query", schema.getQueryType()!],
        ["mutation", schema.getMutationType()!],
      ] as const;
      const internal: string[] = [];
      let calls = 0;
      for (const [kind, root] of roots) {
        for (const field of Object.values(root.getFields())) {
          if (variant === "huge-id" && !field.args.some((a) => getNamedType(a.type).name === "ID")) continue;
          if (variant === "nul-text" && !field.args.some((a) => getNamedType(a.type).name === "String" || isInputObjectType(getNamedType(a.type)))) continue;
          // deleteAccount would end the session the rest of the sweep uses.
          if (field.name === "deleteAccount" || field.name === "logout") continue;
          // One call per id the arguments hold, each time that one id out of range (texts: one call).
          for (let target = 0; ; target++) {
            const slot = { target, seen: 0 };
            const { query, variables } = call(kind, field, variant, slot);
            if (target > 0 && slot.seen <= target) break;
            for (const auth of [token, null]) {
              calls++;
              const res = await inst.gql(query, variables, auth);
              if (res.status !== 200) internal.push(`${field.name}: HTTP ${res.status}`);
              for (const e of res.errors ?? []) if (e.code === "internal_error" || (e.status_code ?? 0) >= 500) internal.push(`${field.name}: ${e.message}`);
              if (variant === "nul-text" && !res.errors?.length && res.data?.[field.name] != null && kind === "mutation")
                internal.push(`${field.name}: accepted text with NUL`);
            }
            if (variant === "nul-text") break;
          }
        }
      }
      assert.ok(calls > 20, `swept ${calls} calls`);
      assert.deepEqual(internal, []);
    });
  }

  test("an id beyond any row's is 'not found' on both databases", async () => {
    const res = await inst.gql(`{ person(id: "2147483648") { id } }`, {}, token);
    assert.equal(res.status, 200);
    assert.equal(res.errors?.[0].code, "not_found");
    const join = await inst.gql(`mutation { joinEvent(eventId: "99999999999", actorId: "1") { id } }`, {}, token);
    assert.equal(join.errors?.[0].code, "not_found");
  });

  test("text holding NUL is refused with a clear message, in variables and in the document", async () => {
    const v = await inst.gql(`mutation($t: String!) { createUser(email: $t, password: "a long password") { id } }`, { t: "x\u0000@example.org" });
    assert.match(v.errors?.[0].message ?? "", /NUL/);
    const lit = await inst.gql(`mutation { createUser(email: "x\\u0000@example.org", password: "a long password") { id } }`);
    assert.match(lit.errors?.[0].message ?? "", /NUL/);
  });
});
