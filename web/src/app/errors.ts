// Turns a server error into a message in the user's language, attached to the field it concerns when there is one.
import { GqlError } from "./graphql.ts";
import { i18n } from "./i18n.ts";

export type FormError = { message: string; field: string | null };

export function describeError(e: unknown): FormError {
  const t = i18n.global.t;
  if (!(e instanceof GqlError)) return { message: t("app.unexpected"), field: null };
  if (e.code === "network") return { message: t("app.networkError"), field: null };
  const f = e.field;
  switch (e.code) {
    case "conflict":
      return { message: t(f === "preferredUsername" ? "errors.username_taken" : "errors.email_taken"), field: f };
    case "bad_credentials":
      return f ? { message: t("errors.wrong_password"), field: f } : { message: t("errors.bad_credentials"), field: null };
    case "validation":
      if (f === "file") return { message: t("errors.file", { size: "2 MB" }), field: "avatar" };
      if (/at least \d+ characters/.test(e.message)) return { message: t("errors.password_too_short"), field: f };
      if (/lowercase alphanumeric/.test(e.message)) return { message: t("errors.username_format"), field: f };
      return { message: e.message, field: f };
    case "forbidden":
      if (/last identity/.test(e.message)) return { message: t("errors.last_identity"), field: null };
      return { message: t("errors.forbidden"), field: null };
    case "account_not_confirmed":
    case "account_disabled":
    case "rate_limited":
    case "invalid_token":
    case "registrations_closed":
    case "email_not_allowed":
    case "unauthenticated":
      return { message: t(`errors.${e.code}`), field: null };
    default:
      return { message: e.message || t("app.unexpected"), field: f };
  }
}
