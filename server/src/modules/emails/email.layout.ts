import type { OutgoingEmail } from "../../kernel/index.ts";
import { escapeHtml } from "../content/index.ts";

export type Locale = "en" | "fr";
export const LOCALES: readonly Locale[] = ["en", "fr"];

/** Picks a supported locale from a user's setting ("fr", "fr_FR", "fr-CA" → "fr"). */
export const pickLocale = (value: string | null | undefined, fallback: Locale = "en"): Locale => {
  const base = (value ?? "").slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(base) ? (base as Locale) : fallback;
};

const FOOTER: Record<Locale, (name: string) => string> = {
  en: (name) => `This message was sent by ${name}, a Convene instance. If you did not expect it, you can ignore it.`,
  fr: (name) => `Ce message a été envoyé par ${name}, une instance Convene. Si vous ne l'attendiez pas, vous pouvez l'ignorer.`,
};

export type EmailContent = {
  to: string;
  locale: Locale;
  instanceName: string;
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  after?: string[];
};

/** Renders a transactional e-mail as text and simple, accessible HTML in the recipient's language. */
export function renderEmail(c: EmailContent): OutgoingEmail {
  const footer = FOOTER[c.locale](c.instanceName);
  const text = [
    c.heading,
    "",
    ...c.paragraphs.flatMap((p) => [p, ""]),
    ...(c.action ? [`${c.action.label}: ${c.action.url}`, ""] : []),
    ...(c.after ?? []).flatMap((p) => [p, ""]),
    "-- ",
    footer,
  ].join("\n");
  const para = (p: string) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p)}</p>`;
  const html = `<!doctype html><html lang="${c.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(c.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f1ec;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328">
<div style="max-width:560px;margin:0 auto;padding:24px">
<p style="font-weight:700;color:#3a2a7a;margin:0 0 16px">${escapeHtml(c.instanceName)}</p>
<div style="background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:22px;margin:0 0 16px">${escapeHtml(c.heading)}</h1>
${c.paragraphs.map(para).join("\n")}
${c.action ? `<p style="margin:24px 0"><a href="${escapeHtml(c.action.url)}" style="background:#3a2a7a;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(c.action.label)}</a></p><p style="font-size:13px;color:#555;word-break:break-all">${escapeHtml(c.action.url)}</p>` : ""}
${(c.after ?? []).map(para).join("\n")}
</div>
<p style="font-size:12px;color:#666;margin-top:16px">${escapeHtml(footer)}</p>
</div></body></html>`;
  return { to: c.to, subject: c.subject, text, html };
}
