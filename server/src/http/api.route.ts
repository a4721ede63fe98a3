import type { Context, Hono } from "hono";
import type { Config } from "../config/index.ts";
import type { Services } from "../graphql/context.ts";
import type { GraphQLHandler, GraphQLRequest } from "../graphql/handler.ts";
import type { Logger } from "../kernel/index.ts";
import { clientIp } from "./client-ip.ts";
import { BodyTooLarge, readBodyText } from "./read-body.ts";
import { requestHeader } from "./request-header.ts";

const JSON_LIMIT = 1_000_000;

const bad = (c: Context, message: string, status: 400 | 405 | 413 | 415 = 400) =>
  c.json({ errors: [{ message, code: "bad_request", status_code: status }] }, status);

/**
 * Builds a GraphQL request from the graphql-multipart-request-spec form: `operations` (JSON), `map` (JSON: file field →
 * variable paths) and the files. Files are placed into the variables as web File objects.
 */
async function fromMultipart(c: Context, maxBytes: number): Promise<GraphQLRequest | string> {
  const len = Number(requestHeader(c, "content-length") ?? "0");
  if (len > maxBytes) return "too large";
  const form = await c.req.formData();
  const ops = form.get("operations");
  const map = form.get("map");
  if (typeof ops !== "string") return "Missing operations field";
  let req: GraphQLRequest;
  let paths: Record<string, string[]>;
  try {
    req = JSON.parse(ops);
    paths = typeof map === "string" ? JSON.parse(map) : {};
  } catch {
    return "operations and map must be JSON";
  }
  if (!req || typeof req !== "object" || Array.isArray(req)) return "Batched operations are not supported";
  for (const [field, targets] of Object.entries(paths)) {
    const file = form.get(field);
    if (!(file instanceof File)) return `Missing file ${field}`;
    if (!Array.isArray(targets)) return "Invalid map";
    for (const path of targets) {
      const parts = String(path).split(".");
      if (parts[0] !== "variables" || parts.length < 2) return "Files can only go into variables";
      let obj = req as unknown as Record<string, unknown>;
      for (const p of parts.slice(0, -1)) {
        if (p === "__proto__" || p === "constructor" || p === "prototype") return "Invalid map";
        obj[p] ??= {};
        obj = obj[p] as Record<string, unknown>;
        if (typeof obj !== "object" || obj === null) return "Invalid map";
      }
      const last = parts[parts.length - 1];
      if (last === "__proto__" || last === "constructor" || last === "prototype") return "Invalid map";
      obj[last] = file;
    }
  }
  return req;
}

/** POST and GET /api: GraphQL in Mobilizon's shape, authenticated by `Authorization: Bearer <access token>`. */
export function mountApi(app: Hono, deps: { handler: GraphQLHandler; services: Services; config: Config; logger: Logger }) {
  const { handler, services, config, logger } = deps;

  const run = async (c: Context, req: GraphQLRequest) => {
    const auth = requestHeader(c, "authorization");
    const token = auth?.match(/^Bearer\s+(.+)$/i)?.[1] ?? null;
    const user = token ? await services.users.authenticate(token) : null;
    const res = await handler.run(req, { user, ip: clientIp(c, config.trustProxy), services, config, logger });
    return c.json(res.body, res.status as 200);
  };

  app.post("/api", async (c) => {
    const type = requestHeader(c, "content-type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      const req = await fromMultipart(c, config.uploads.limit + 1_000_000);
      if (req === "too large") return bad(c, "Request body is too large", 413);
      if (typeof req === "string") return bad(c, req);
      return run(c, req);
    }
    if (!type.startsWith("application/json") && !type.startsWith("application/graphql"))
      return bad(c, "Send GraphQL as application/json (or multipart/form-data for uploads)", 415);
    let text: string;
    try {
      text = await readBodyText(c, JSON_LIMIT);
    } catch (e) {
      if (e instanceof BodyTooLarge) return bad(c, "Request body is too large", 413);
      throw e;
    }
    if (type.startsWith("application/graphql")) return run(c, { query: text });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return bad(c, "Request body is not valid JSON");
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) return bad(c, "Batched operations are not supported");
    return run(c, body as GraphQLRequest);
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
      try {
        variables = JSON.parse(raw);
      } catch {
        return bad(c, "variables must be JSON");
      }
    }
    return run(c, { query, variables, operationName });
  });
}
