import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError, type Logger } from "../kernel/index.ts";

/**
 * The one place where failures become GraphQL errors, in Mobilizon's shape: `message`, `status_code`, `code` and
 * `field` at the top level of each error (Absinthe style), mirrored in `extensions` for standard clients.
 * Unexpected errors are logged with their context and answered with a generic message.
 */
const LISTED_MESSAGES = new Set(["createResource", "updateResource"]);

export function formatError(error: GraphQLError, logger: Logger, ctx: Record<string, unknown> = {}): GraphQLFormattedError {
  const original = error.originalError;
  const base = { message: error.message, locations: error.locations, path: error.path };
  if (original instanceof DomainError) {
    // Mobilizon's client joins the message of these mutations' errors as a list (Absinthe's changeset errors are
    // lists): a plain string there would break its resource forms.
    const listed = typeof error.path?.[0] === "string" && LISTED_MESSAGES.has(error.path[0]);
    return {
      ...base,
      message: (listed ? [original.message] : original.message) as string,
      ...({ code: original.code, status_code: original.status, field: original.field } as object),
      extensions: { code: original.code, status_code: original.status, field: original.field },
    };
  }
  if (!original || original instanceof GraphQLError) {
    // Validation and coercion errors: the client's request is wrong.
    return { ...base, ...({ code: "bad_request", status_code: 400, field: null } as object), extensions: { code: "bad_request", status_code: 400 } };
  }
  logger.error("unexpected error in GraphQL resolver", { ...ctx, path: error.path?.join("."), err: original });
  return {
    ...base,
    message: "Internal server error",
    ...({ code: "internal_error", status_code: 500, field: null } as object),
    extensions: { code: "internal_error", status_code: 500 },
  };
}
