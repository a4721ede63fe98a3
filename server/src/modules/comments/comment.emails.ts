import type { OutgoingEmail } from "../../kernel/index.ts";
import { pickLocale, renderEmail } from "../emails/index.ts";
import { htmlToText } from "../content/index.ts";

/** The organizer's announcement, sent to everyone taking part. */
export function announcementEmail(ctx: { instanceName: string }, r: { email: string; locale: string }, e: { title: string; url: string }, author: string, html: string): OutgoingEmail {
  const l = pickLocale(r.locale);
  const text = htmlToText(html);
  return renderEmail({
    to: r.email,
    locale: l,
    instanceName: ctx.instanceName,
    subject: l === "fr" ? `Annonce : ${e.title}` : `Announcement: ${e.title}`,
    heading: l === "fr" ? `${author} a publié une annonce` : `${author} posted an announcement`,
    paragraphs: text.split(/\n{2,}/),
    action: { label: l === "fr" ? "Voir l'événement" : "See the event", url: e.url },
  });
}
