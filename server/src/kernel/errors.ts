/**
 * Expected failures of a use case. Every module's errors are values of this shape: a machine code (the
 * discriminant), the HTTP-like status Mobilizon's API reports, an English message for API clients, and the field
 * the failure concerns. They become GraphQL errors in one place (graphql/errors.ts). See docs/adr/0005.
 */
export type DomainErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_permitted"
  | "not_found"
  | "validation"
  | "conflict"
  | "rate_limited"
  | "registrations_closed"
  | "email_not_allowed"
  | "bad_credentials"
  | "account_not_confirmed"
  | "account_disabled"
  | "invalid_token"
  | "bad_request";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly field: string | null;
  readonly status: number;
  constructor(code: DomainErrorCode, message: string, field: string | null = null) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.field = field;
    this.status = statusOf(code);
  }
}

/**
 * The `status_code` Mobilizon's client reads. Only a missing or expired session carries 401: the client answers 401
 * (and 403) by refreshing its token and resending, so a wrong password or a used link must not look like one.
 */
function statusOf(code: DomainErrorCode): number {
  switch (code) {
    case "unauthenticated":
      return 401;
    case "bad_credentials":
    case "invalid_token":
      return 422;
    case "forbidden":
    case "registrations_closed":
    case "email_not_allowed":
    case "account_not_confirmed":
    case "account_disabled":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
      return 409;
    case "rate_limited":
      return 429;
    case "validation":
    case "bad_request":
    case "not_permitted":
      return 422;
  }
}

export const unauthenticated = () => new DomainError("unauthenticated", "You need to be logged in");
export const forbidden = (msg = "You don't have permission to do this") => new DomainError("forbidden", msg);
/**
 * A logged-in person's action their role does not allow (a member changing the group's settings). Not a 403:
 * Mobilizon's client answers 401 and 403 by refreshing its token and sending the request again, and Mobilizon itself
 * reports these refusals as plain messages, which its client shows.
 */
export const notPermitted = (msg: string, field: string | null = null) => new DomainError("not_permitted", msg, field);
export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
export const invalid = (field: string, msg: string) => new DomainError("validation", msg, field);
export const conflict = (field: string, msg: string) => new DomainError("conflict", msg, field);
