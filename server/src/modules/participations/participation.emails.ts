import type { OutgoingEmail } from "../../kernel/index.ts";
import { pickLocale, renderEmail, type Locale } from "../emails/index.ts";
import type { EventSnapshot } from "../events/index.ts";

export type Recipient = { email: string; locale: string; timezone: string | null; anonymousParticipantUuid?: string };
export type MailEvent = { title: string; url: string; beginsOn: Date; endsOn: Date | null; timezone: string | null; address: string | null; onlineAddress: string | null };
type Ctx = { instanceName: string };

/** A date in the reader's language, in the event's timezone (or theirs), with the zone named. */
export function formatWhen(locale: Locale, d: Date, tz: string | null): string {
  return new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", {
    weekday: "long",
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: tz ?? "UTC",
    timeZoneName: "short",
  }).format(d);
}

const T = {
  en: {
    when: "When",
    where: "Where",
    online: "Online",
    open: "See the event",
    confirmed: { subject: (t: string) => `You're going to ${t}`, heading: (t: string) => `You're going to ${t}`, body: "Your participation is confirmed. The event is attached as a calendar file." },
    requested: { subject: (t: string) => `Your request to join ${t}`, heading: "Request sent", body: (t: string) => `The organizer of ${t} reviews participation requests. You will receive an e-mail when they answer.` },
    approved: { subject: (t: string) => `Your participation in ${t} is approved`, heading: "You're in!", body: (t: string) => `The organizer approved your participation in ${t}.` },
    rejected: { subject: (t: string) => `Your participation in ${t} was declined`, heading: "Participation declined", body: (t: string) => `The organizer of ${t} declined your participation request.` },
    updated: { subject: (t: string) => `${t} has changed`, heading: (t: string) => `${t} has changed`, intro: "The organizer changed an event you take part in:" },
    cancelled: { subject: (t: string) => `${t} is cancelled`, heading: (t: string) => `${t} is cancelled`, body: "The organizer cancelled this event." },
    deleted: { subject: (t: string) => `${t} was deleted`, heading: (t: string) => `${t} was deleted`, body: "The organizer deleted this event. It will not take place as announced." },
    fields: { title: "Title", beginsOn: "Start", endsOn: "End", status: "Status", address: "Address", onlineAddress: "Online link" },
    status: { TENTATIVE: "tentative", CONFIRMED: "confirmed", CANCELLED: "cancelled" } as Record<string, string>,
    none: "none",
  },
  fr: {
    when: "Quand",
    where: "Où",
    online: "En ligne",
    open: "Voir l'événement",
    confirmed: { subject: (t: string) => `Vous participez à ${t}`, heading: (t: string) => `Vous participez à ${t}`, body: "Votre participation est confirmée. L'événement est joint sous forme de fichier d'agenda." },
    requested: { subject: (t: string) => `Votre demande de participation à ${t}`, heading: "Demande envoyée", body: (t: string) => `L'organisateur de ${t} examine les demandes de participation. Vous recevrez un e-mail à sa réponse.` },
    approved: { subject: (t: string) => `Votre participation à ${t} est acceptée`, heading: "C'est confirmé !", body: (t: string) => `L'organisateur a accepté votre participation à ${t}.` },
    rejected: { subject: (t: string) => `Votre participation à ${t} a été refusée`, heading: "Participation refusée", body: (t: string) => `L'organisateur de ${t} a refusé votre demande de participation.` },
    updated: { subject: (t: string) => `${t} a changé`, heading: (t: string) => `${t} a changé`, intro: "L'organisateur a modifié un événement auquel vous participez :" },
    cancelled: { subject: (t: string) => `${t} est annulé`, heading: (t: string) => `${t} est annulé`, body: "L'organisateur a annulé cet événement." },
    deleted: { subject: (t: string) => `${t} a été supprimé`, heading: (t: string) => `${t} a été supprimé`, body: "L'organisateur a supprimé cet événement. Il n'aura pas lieu comme annoncé." },
    fields: { title: "Titre", beginsOn: "Début", endsOn: "Fin", status: "Statut", address: "Adresse", onlineAddress: "Lien en ligne" },
    status: { TENTATIVE: "provisoire", CONFIRMED: "confirmé", CANCELLED: "annulé" } as Record<string, string>,
    none: "aucun",
  },
};

function details(l: Locale, r: Recipient, e: MailEvent): string[] {
  const t = T[l];
  const tz = e.timezone ?? r.timezone;
  return [`${t.when}: ${formatWhen(l, e.beginsOn, tz)}`, ...(e.address ? [`${t.where}: ${e.address}`] : []), ...(e.onlineAddress ? [`${t.online}: ${e.onlineAddress}`] : [])];
}

export type ParticipationEmailKind = "confirmed" | "requested" | "approved" | "rejected";

/** The e-mail a participant receives when their participation is created or decided. */
export function participationEmail(kind: ParticipationEmailKind, ctx: Ctx, r: Recipient, e: MailEvent, extra: { ics?: string; cancelUrl?: string } = {}): OutgoingEmail {
  const l = pickLocale(r.locale);
  const t = T[l];
  const c = t[kind];
  const heading = typeof c.heading === "function" ? c.heading(e.title) : c.heading;
  const body = typeof c.body === "function" ? c.body(e.title) : c.body;
  const email = renderEmail({
    to: r.email,
    locale: l,
    instanceName: ctx.instanceName,
    subject: c.subject(e.title),
    heading,
    paragraphs: [body, ...(kind === "rejected" ? [] : details(l, r, e))],
    action: { label: t.open, url: e.url },
    after: extra.cancelUrl ? [l === "fr" ? `Pour annuler votre participation : ${extra.cancelUrl}` : `To cancel your participation: ${extra.cancelUrl}`] : [],
  });
  if (extra.ics && (kind === "confirmed" || kind === "approved")) email.attachments = [{ filename: "event.ics", content: extra.ics, contentType: "text/calendar; charset=utf-8; method=PUBLISH" }];
  return email;
}

/** What changed between two snapshots, as readable lines. */
export function describeChanges(l: Locale, before: EventSnapshot, after: EventSnapshot, tz: string | null): string[] {
  const t = T[l];
  const lines: string[] = [];
  const date = (s: string | null) => (s ? formatWhen(l, new Date(s), tz) : t.none);
  if (before.title !== after.title) lines.push(`${t.fields.title}: ${before.title} → ${after.title}`);
  if (before.beginsOn !== after.beginsOn) lines.push(`${t.fields.beginsOn}: ${date(before.beginsOn)} → ${date(after.beginsOn)}`);
  if (before.endsOn !== after.endsOn) lines.push(`${t.fields.endsOn}: ${date(before.endsOn)} → ${date(after.endsOn)}`);
  if (before.status !== after.status) lines.push(`${t.fields.status}: ${t.status[before.status]} → ${t.status[after.status]}`);
  if (before.address !== after.address) lines.push(`${t.fields.address}: ${before.address ?? t.none} → ${after.address ?? t.none}`);
  if (before.onlineAddress !== after.onlineAddress) lines.push(`${t.fields.onlineAddress}: ${before.onlineAddress ?? t.none} → ${after.onlineAddress ?? t.none}`);
  return lines;
}

/** The notice of an important change (dates, place, status) to someone taking part. */
export function eventChangedEmail(ctx: Ctx, r: Recipient, e: { title: string; url: string; timezone: string | null }, before: EventSnapshot, after: EventSnapshot): OutgoingEmail | null {
  const l = pickLocale(r.locale);
  const t = T[l];
  const tz = e.timezone ?? r.timezone;
  if (after.status === "CANCELLED" && before.status !== "CANCELLED")
    return renderEmail({ to: r.email, locale: l, instanceName: ctx.instanceName, subject: t.cancelled.subject(after.title), heading: t.cancelled.heading(after.title), paragraphs: [t.cancelled.body, `${t.when}: ${formatWhen(l, new Date(after.beginsOn), tz)}`], action: { label: t.open, url: e.url } });
  const changes = describeChanges(l, before, after, tz);
  if (changes.length === 0) return null;
  return renderEmail({ to: r.email, locale: l, instanceName: ctx.instanceName, subject: t.updated.subject(after.title), heading: t.updated.heading(after.title), paragraphs: [t.updated.intro, ...changes], action: { label: t.open, url: e.url } });
}

/** The notice that an upcoming event a person takes part in was deleted. */
export function eventDeletedEmail(ctx: Ctx, r: Recipient, s: EventSnapshot, tz: string | null): OutgoingEmail {
  const l = pickLocale(r.locale);
  const t = T[l];
  return renderEmail({ to: r.email, locale: l, instanceName: ctx.instanceName, subject: t.deleted.subject(s.title), heading: t.deleted.heading(s.title), paragraphs: [t.deleted.body, `${t.when}: ${formatWhen(l, new Date(s.beginsOn), tz ?? r.timezone)}`] });
}

/** Whether two snapshots differ in what participants care about. */
export const importantChange = (a: EventSnapshot, b: EventSnapshot) =>
  a.beginsOn !== b.beginsOn || a.endsOn !== b.endsOn || a.status !== b.status || a.address !== b.address || a.onlineAddress !== b.onlineAddress || a.title !== b.title;

/** Asks someone who joined without an account to confirm their address (and tells how to cancel). */
export function anonymousConfirmationEmail(ctx: Ctx, r: Recipient, e: MailEvent, confirmUrl: string, cancelUrl: string): OutgoingEmail {
  const l = pickLocale(r.locale);
  const fr = l === "fr";
  return renderEmail({
    to: r.email,
    locale: l,
    instanceName: ctx.instanceName,
    subject: fr ? `Confirmez votre participation à ${e.title}` : `Confirm your participation in ${e.title}`,
    heading: fr ? "Confirmez votre participation" : "Confirm your participation",
    paragraphs: [
      fr ? `Vous avez demandé à participer à ${e.title} sans compte. Confirmez avec le lien ci-dessous pour réserver votre place.` : `You asked to take part in ${e.title} without an account. Confirm with the link below to hold your seat.`,
      ...details(l, r, e),
    ],
    action: { label: fr ? "Confirmer ma participation" : "Confirm my participation", url: confirmUrl },
    after: [fr ? `Si ce n'était pas vous, ignorez ce message. Pour annuler plus tard : ${cancelUrl}` : `If it was not you, ignore this message. To cancel later: ${cancelUrl}`],
  });
}

/** The notice that a group someone is in or follows published an event. */
export function groupEventEmail(ctx: Ctx, r: Recipient, group: string, e: MailEvent): OutgoingEmail {
  const l = pickLocale(r.locale);
  const fr = l === "fr";
  return renderEmail({
    to: r.email,
    locale: l,
    instanceName: ctx.instanceName,
    subject: fr ? `${group} publie un événement : ${e.title}` : `${group} published an event: ${e.title}`,
    heading: e.title,
    paragraphs: [fr ? `Le groupe ${group} a publié un nouvel événement.` : `The group ${group} published a new event.`, ...details(l, r, e)],
    action: { label: T[l].open, url: e.url },
    after: [fr ? "Vous recevez ce message parce que vous êtes membre de ce groupe ou que vous le suivez." : "You receive this message because you are a member of this group or follow it."],
  });
}
