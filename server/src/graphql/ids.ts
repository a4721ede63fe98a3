import { DomainError, invalid } from "../kernel/index.ts";

/** The largest id a row can have: PostgreSQL's `integer` (SQLite's are wider, but both dialects must answer alike). */
export const MAX_ID = 2_147_483_647;

/**
 * Parses a GraphQL ID argument into a database id, or refuses it with a validation error naming the field. An id
 * beyond any row's is well formed but names nothing: "not found", as for any other id without a row.
 */
export function parseId(v: unknown, field = "id"): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,30}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n <= 0) throw invalid(field, `Invalid ${field}`);
  if (n > MAX_ID) throw new DomainError("not_found", "Not found", field);
  return n;
}

/** Like parseId, for optional arguments. */
export const parseOptionalId = (v: unknown, field = "id"): number | null => (v == null ? null : parseId(v, field));

/** Page and limit as Mobilizon takes them, bounded so that no request asks for everything at once. */
export function pageArgs(args: { page?: number | null; limit?: number | null }, maxLimit = 100) {
  const page = Math.max(1, Math.floor(args.page ?? 1));
  const limit = Math.min(maxLimit, Math.max(1, Math.floor(args.limit ?? 10)));
  return { page, limit, offset: (page - 1) * limit };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An event or comment named in an ID argument: its number, or its uuid — the API gives uuids as ids for what only a
 * link may reach (unlisted events and their comments), and clients hand them back as they got them.
 */
export function parseRef(v: unknown, field = "id"): { id: number } | { uuid: string } {
  if (typeof v === "string" && UUID_RE.test(v)) return { uuid: v.toLowerCase() };
  return { id: parseId(v, field) };
}

/** Like parseRef, for optional arguments. */
export const parseOptionalRef = (v: unknown, field = "id") => (v == null ? null : parseRef(v, field));
