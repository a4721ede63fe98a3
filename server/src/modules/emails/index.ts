/** Renders transactional e-mails (layout, locale choice). */
export { renderEmail, pickLocale, LOCALES, type Locale, type EmailContent } from "./email.layout.ts";
