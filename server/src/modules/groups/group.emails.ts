import type { OutgoingEmail } from "../../kernel/index.ts";
import { pickLocale, renderEmail } from "../emails/index.ts";

export type GroupEmailKind = "invited" | "approved" | "rejected" | "removed" | "requested";
export type GroupRecipient = { email: string; locale: string };

const T = {
  en: {
    open: "Open the group",
    invited: { subject: (g: string) => `You are invited to join ${g}`, heading: (g: string) => `Join ${g}`, body: (g: string, by: string) => `${by} invited you to join the group ${g}. Open the group to accept or decline the invitation.` },
    approved: { subject: (g: string) => `Your membership in ${g} is approved`, heading: (g: string) => `Welcome to ${g}`, body: (g: string) => `Your request to join ${g} was approved. You are now a member of the group.` },
    rejected: { subject: (g: string) => `Your request to join ${g} was declined`, heading: () => "Request declined", body: (g: string) => `The moderators of ${g} declined your request to join the group.` },
    removed: { subject: (g: string) => `You were removed from ${g}`, heading: () => "Removed from the group", body: (g: string) => `A moderator of ${g} removed you from the group.` },
    requested: { subject: (g: string) => `New request to join ${g}`, heading: () => "A request to join is waiting", body: (g: string, by: string) => `${by} asked to join ${g}. Open the group's members to approve or decline the request.` },
  },
  fr: {
    open: "Ouvrir le groupe",
    invited: { subject: (g: string) => `Vous êtes invité·e à rejoindre ${g}`, heading: (g: string) => `Rejoindre ${g}`, body: (g: string, by: string) => `${by} vous a invité·e à rejoindre le groupe ${g}. Ouvrez le groupe pour accepter ou refuser l'invitation.` },
    approved: { subject: (g: string) => `Votre adhésion à ${g} est acceptée`, heading: (g: string) => `Bienvenue dans ${g}`, body: (g: string) => `Votre demande pour rejoindre ${g} a été acceptée. Vous êtes maintenant membre du groupe.` },
    rejected: { subject: (g: string) => `Votre demande pour rejoindre ${g} a été refusée`, heading: () => "Demande refusée", body: (g: string) => `Les modérateur·ices de ${g} ont refusé votre demande pour rejoindre le groupe.` },
    removed: { subject: (g: string) => `Vous avez été retiré·e de ${g}`, heading: () => "Retiré·e du groupe", body: (g: string) => `Un·e modérateur·ice de ${g} vous a retiré·e du groupe.` },
    requested: { subject: (g: string) => `Nouvelle demande d'adhésion à ${g}`, heading: () => "Une demande d'adhésion attend", body: (g: string, by: string) => `${by} demande à rejoindre ${g}. Ouvrez la liste des membres du groupe pour accepter ou refuser la demande.` },
  },
};

/** The e-mail someone receives about their membership of a group (or a group's administrators about a request). */
export function groupEmail(kind: GroupEmailKind, ctx: { instanceName: string }, r: GroupRecipient, g: { name: string; url: string }, by = ""): OutgoingEmail {
  const l = pickLocale(r.locale);
  const t = T[l];
  const c = t[kind];
  return renderEmail({ to: r.email, locale: l, instanceName: ctx.instanceName, subject: c.subject(g.name), heading: c.heading(g.name), paragraphs: [c.body(g.name, by)], action: { label: t.open, url: g.url } });
}
