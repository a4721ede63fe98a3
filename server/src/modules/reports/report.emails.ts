import { pickLocale, renderEmail } from "../emails/index.ts";
import type { OutgoingEmail } from "../../kernel/index.ts";

const T = {
  en: {
    subject: (i: string) => `A report from another instance on ${i}`,
    heading: "Content was reported",
    intro: (who: string, server: string) => `${server} forwarded a report by ${who} about content of this instance.`,
    comment: "Their words:",
    items: "What was reported:",
  },
  fr: {
    subject: (i: string) => `Un signalement venu d'une autre instance sur ${i}`,
    heading: "Un contenu a été signalé",
    intro: (who: string, server: string) => `${server} a transmis un signalement de ${who} à propos d'un contenu de cette instance.`,
    comment: "Son message :",
    items: "Ce qui est signalé :",
  },
} as const;

/** The notice a moderator receives when another server forwards a report (Flag) about local content. */
export function remoteReportEmail(c: { to: string; locale: string; instanceName: string }, r: { reporter: string; server: string; content: string | null; objects: string[] }): OutgoingEmail {
  const locale = pickLocale(c.locale);
  const t = T[locale];
  return renderEmail({
    to: c.to,
    locale,
    instanceName: c.instanceName,
    subject: t.subject(c.instanceName),
    heading: t.heading,
    paragraphs: [t.intro(r.reporter, r.server), ...(r.content ? [t.comment, r.content] : []), t.items, ...r.objects],
  });
}
