import type { IncomingMessage } from "node:http";
import type { Context, Hono } from "hono";
import type { Config } from "../config/index.ts";
import type { Services } from "../graphql/context.ts";
import type { GraphQLHandler, GraphQLRequest } from "../graphql/handler.ts";
import type { Logger } from "../kernel/index.ts";
import type { User } from "../modules/users/index.ts";
import { clientIp, type TrustedProxies } from "./client-ip.ts";
import { readMultipart, UploadBudget, type MultipartBody } from "./multipart.ts";
import { BodyTooLarge, readBodyText } from "./read-body.ts";
import { requestHeader } from "./request-header.ts";

const JSON_LIMIT = 1_000_000;
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const bad = (c: Context, message: string, status: 400 | 405 | 408 | 413 | 415 | 503 = 400) =>
  c.json({ errors: [{ message, code: "bad_request", status_code: status }] }, status);

/** A GraphQL-level error, answered with HTTP 200 as Mobilizon's server does (its client reads 4xx as a network failure). */
const gqlError = (c: Context, message: string, code: string, status: number, field: string | null = null) =>
  c.json({ errors: [{ message, code, status_code: status, field, extensions: { code, status_code: status, field } }] }, 200);

const parseJson = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return Symbol.for("invalid");
  }
};
const INVALID = Symbol.for("invalid");

/**
 * A multipart GraphQL request, in either of the two forms clients send:
 * - Absinthe's (Mobilizon's web client): parts `query`, `variables`, `operationName`, and one part per file, which the
 *   variables name (the handler binds them where the operation declares an Upload);
 * - the GraphQL multipart request spec: `operations` (JSON) and `map` (file part → variable paths).
 */
function fromMultipart(body: MultipartBody): { req: GraphQLRequest; files?: ReadonlyMap<string, File> } | string {
  const { fields, files } = body;
  if (fields.has("query")) {
    const variables = parseJson(fields.get("variables"));
    if (variables === INVALID) return "variables must be JSON";
    return { req: { query: fields.get("query")!, variables: (variables ?? null) as Record<string, unknown> | null, operationName: fields.get("operationName") ?? null }, files };
  }
  const ops = parseJson(fields.get("operations"));
  if (ops === undefined) return "Missing operations field (or query field, for Absinthe-style uploads)";
  const paths = parseJson(fields.get("map") ?? "{}");
  if (ops === INVALID || paths === INVALID) return "operations and map must be JSON";
  if (!ops || typeof ops !== "object" || Array.isArray(ops)) return "Batched operations are not supported";
  if (!paths || typeof paths !== "object" || Array.isArray(paths)) return "Invalid map";
  const req = ops as GraphQLRequest;
  for (const [field, targets] of Object.entries(paths as Record<string, unknown>)) {
    const file = files.get(field);
    if (!file) return `Missing file ${field}`;
    // One variable per file: a file named twice would be processed and stored twice.
    if (!Array.isArray(targets) || targets.length !== 1) return "Invalid map: each file goes to exactly one variable";
    for (const path of targets) {
      const parts = String(path).split(".");
      if (parts[0] !== "variables" || parts.length < 2 || parts.length > 10 || parts.some((p) => UNSAFE_KEYS.has(p))) return "Invalid map";
      let obj = req as unknown as Record<string, unknown>;
      for (const p of parts.slice(0, -1)) {
        obj[p] ??= {};
        obj = obj[p] as Record<string, unknown>;
        if (typeof obj !== "object" || obj === null) return "Invalid map";
      }
      obj[parts[parts.length - 1]] = file;
    }
  }
  return { req };
}

/** POST and GET /api: GraphQL in Mobilizon's shape, authenticated by `Authorization: Bearer <access token>`. */
export function mountApi(app: Hono, deps: { handler: GraphQLHandler; services: Services; config: Config; logger: Logger; proxies: TrustedProxies }) {
  const { handler, services, config, logger, proxies } = deps;
  const uploadLimit = Math.max(config.uploads.limit, config.uploads.avatarLimit, config.uploads.bannerLimit);
  const budget = new UploadBudget(Math.max(64 * 1024 * 1024, 4 * uploadLimit));
  // Uploads in flight per account: one account cannot hold the shared budget with bodies it never finishes.
  const uploading = new Map<number, number>();
  const MAX_UPLOADS_PER_ACCOUNT = 2;

  const caller = async (c: Context): Promise<User | null> => {
    const auth = requestHeader(c, "authorization");
    const token = auth?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;
    return token ? services.users.authenticate(token) : null;
  };

  const run = async (c: Context, req: GraphQLRequest, user: User | null, files?: ReadonlyMap<string, File>) => {
    const res = await handler.run(req, { user, ip: clientIp(c, proxies), services, config, logger }, files);
    return c.json(res.body, res.status as 200);
  };

  app.post("/api", async (c) => {
    const type = requestHeader(c, "content-type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      // Uploads are for members: a stranger's body is refused before a byte of it is read.
      const user = await caller(c);
      if (!user) return gqlError(c, "You need to be logged in to upload files", "unauthenticated", 401);
      const declared = Number(requestHeader(c, "content-length") ?? "0");
      if (declared > uploadLimit * 5 + JSON_LIMIT) return bad(c, "Request body is too large", 413);
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      const stream = incoming && typeof incoming.pipe === "function" ? incoming : c.req.raw.body;
      if (!stream) return bad(c, "The multipart body is empty");
      if ((uploading.get(user.id) ?? 0) >= MAX_UPLOADS_PER_ACCOUNT) return gqlError(c, "Another upload of yours is still in progress: try again when it is done", "rate_limited", 429);
      uploading.set(user.id, (uploading.get(user.id) ?? 0) + 1);
      let body: Awaited<ReturnType<typeof readMultipart>>;
      try {
        body = await readMultipart(stream, { "content-type": type }, { fileBytes: uploadLimit, fieldBytes: JSON_LIMIT, files: 5, fields: 10 }, budget);
      } finally {
        const n = (uploading.get(user.id) ?? 1) - 1;
        if (n > 0) uploading.set(user.id, n);
        else uploading.delete(user.id);
      }
      if ("status" in body)
        // A file too large is the user's mistake, told like any invalid input (an HTTP error would make Mobilizon's
        // client retry the whole upload); a broken body is the client's, told with an HTTP status.
        return body.field ? gqlError(c, body.message, "validation", body.status, body.field) : bad(c, body.message, body.status);
      try {
        const parsed = fromMultipart(body);
        if (typeof parsed === "string") return bad(c, parsed);
        return await run(c, parsed.req, user, parsed.files);
      } finally {
        body.release();
      }
    }
    if (!type.startsWith("application/json") && !type.startsWith("application/graphql"))
      return bad(c, "Send GraphQL as application/json (or multipart/form-data for uploads)", 415);
    let text: string;
    try {
      text = await readBodyText(c, JSON_LIMIT);
    } catch (e) {
      if (e instanceof BodyTooLarge) return bad(c, "Request body is too large", 413);
      return bad(c, "The request body could not be read");
    }
    const user = await caller(c);
    if (type.startsWith("application/graphql")) return run(c, { query: text }, user);
    const body = parseJson(text);
    if (body === INVALID || body === undefined) return bad(c, "Request body is not valid JSON");
    if (!body || typeof body !== "object" || Array.isArray(body)) return bad(c, "Batched operations are not supported");
    return run(c, body as GraphQLRequest, user);
  });

  app.get("/api", async (c) => {
    const query = c.req.query("query");
    if (!query) return bad(c, "Must provide a query string");
    const operationName = c.req.query("operationName") ?? null;
    // Mutations over GET would let a link or an <img> change data.
    if (handler.operationType(query, operationName) === "mutation") return bad(c, "Mutations must be sent with POST", 405);
    let variables: Record<string, unknown> | null = null;
    const raw = c.req.query("variables");
    if (raw) {
      const v = parseJson(raw);
      if (v === INVALID) return bad(c, "variables must be JSON");
      variables = v as Record<string, unknown> | null;
    }
    return run(c, { query, variables, operationName }, await caller(c));
  });
}
