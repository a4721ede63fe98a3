// A small GraphQL client: JSON over fetch, multipart uploads per the GraphQL multipart request spec, and a single
// silent token refresh when the access token has expired.
import { tokens } from "./tokens.ts";

export class GqlError extends Error {
  code: string;
  field: string | null;
  constructor(message: string, code: string, field: string | null) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

type Variables = Record<string, unknown>;
type ErrorItem = { message: string | string[]; code?: string; field?: string | null };

function extractFiles(variables: Variables): { clean: Variables; files: Map<File, string[]> } {
  const files = new Map<File, string[]>();
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof File) {
      files.set(value, [...(files.get(value) ?? []), path]);
      return null;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]));
    return value;
  };
  return { clean: walk(variables, "variables") as Variables, files };
}

async function send(query: string, variables: Variables): Promise<{ data?: unknown; errors?: ErrorItem[] }> {
  const headers: Record<string, string> = {};
  if (tokens.access) headers.authorization = `Bearer ${tokens.access}`;
  const { clean, files } = extractFiles(variables);
  let body: BodyInit;
  if (files.size) {
    const form = new FormData();
    form.append("operations", JSON.stringify({ query, variables: clean }));
    const map: Record<string, string[]> = {};
    [...files.values()].forEach((paths, i) => (map[String(i)] = paths));
    form.append("map", JSON.stringify(map));
    [...files.keys()].forEach((file, i) => form.append(String(i), file, file.name));
    body = form;
  } else {
    headers["content-type"] = "application/json";
    body = JSON.stringify({ query, variables });
  }
  let res: Response;
  try {
    res = await fetch("/api", { method: "POST", headers, body });
  } catch {
    throw new GqlError("network", "network", null);
  }
  try {
    return await res.json();
  } catch {
    throw new GqlError(`HTTP ${res.status}`, "network", null);
  }
}

let refreshing: Promise<boolean> | null = null;
async function refresh(): Promise<boolean> {
  if (!tokens.refresh) return false;
  refreshing ??= (async () => {
    const r = await send(`mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`, { t: tokens.refresh });
    const t = (r.data as { refreshToken?: { accessToken: string; refreshToken: string } } | undefined)?.refreshToken;
    if (t) tokens.set(t.accessToken, t.refreshToken);
    else tokens.clear();
    return !!t;
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** Runs a query or mutation; throws GqlError with the server's code and field on failure. */
export async function gql<T>(query: string, variables: Variables = {}): Promise<T> {
  let r = await send(query, variables);
  if (r.errors?.some((e) => e.code === "unauthenticated") && tokens.refresh && (await refresh())) r = await send(query, variables);
  if (r.errors?.length) {
    const e = r.errors[0];
    // Some mutations answer their message as a list, as Mobilizon does for them.
    throw new GqlError(Array.isArray(e.message) ? e.message.join(", ") : e.message, e.code ?? "unknown", e.field ?? null);
  }
  return r.data as T;
}
