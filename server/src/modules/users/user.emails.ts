import { renderEmail, pickLocale, type Locale } from "../emails/index.ts";
import type { OutgoingEmail, Urls } from "../../kernel/index.ts";

type Ctx = { to: string; locale: string; instanceName: string; urls: Urls };

const T = {
  confirm: {
    en: { subject: (i: string) => `Confirm your account on ${i}`, heading: "Welcome!", body: (i: string) => [`You created an account on ${i}. Confirm your e-mail address to start using it.`, "This link stays valid for 48 hours."], action: "Confirm my account" },
    fr: { subject: (i: string) => `Confirmez votre compte sur ${i}`, heading: "Bienvenue !", body: (i: string) => [`Vous avez créé un compte sur ${i}. Confirmez votre adresse e-mail pour commencer à l'utiliser.`, "Ce lien reste valable 48 heures."], action: "Confirmer mon compte" },
  },
  reset: {
    en: { subject: (i: string) => `Reset your password on ${i}`, heading: "Choose a new password", body: () => ["Someone asked to reset the password of your account. If it was you, choose a new password with the link below. It stays valid for 2 hours and works once.", "If it was not you, ignore this message: your password does not change."], action: "Choose a new password" },
    fr: { subject: (i: string) => `Réinitialisez votre mot de passe sur ${i}`, heading: "Choisissez un nouveau mot de passe", body: () => ["Quelqu'un a demandé la réinitialisation du mot de passe de votre compte. Si c'était vous, choisissez un nouveau mot de passe avec le lien ci-dessous. Il reste valable 2 heures et ne fonctionne qu'une fois.", "Si ce n'était pas vous, ignorez ce message : votre mot de passe ne change pas."], action: "Choisir un nouveau mot de passe" },
  },
  emailChangeNew: {
    en: { subject: (i: string) => `Confirm your new e-mail address on ${i}`, heading: "Confirm your new address", body: () => ["You asked to use this address for your account. Confirm it with the link below (valid 48 hours)."], action: "Confirm this address" },
    fr: { subject: (i: string) => `Confirmez votre nouvelle adresse e-mail sur ${i}`, heading: "Confirmez votre nouvelle adresse", body: () => ["Vous avez demandé à utiliser cette adresse pour votre compte. Confirmez-la avec le lien ci-dessous (valable 48 heures)."], action: "Confirmer cette adresse" },
  },
  emailChangeOld: {
    en: { subject: (i: string) => `Your e-mail address on ${i} is changing`, heading: "Your e-mail address is changing", body: (_i: string, newEmail?: string) => [`Someone asked to change the e-mail address of your account to ${newEmail}. The change takes effect when the new address is confirmed.`, "If it was not you, change your password now and contact the instance's administrators."] },
    fr: { subject: (i: string) => `L'adresse e-mail de votre compte sur ${i} change`, heading: "Votre adresse e-mail change", body: (_i: string, newEmail?: string) => [`Quelqu'un a demandé à remplacer l'adresse e-mail de votre compte par ${newEmail}. Le changement prend effet quand la nouvelle adresse est confirmée.`, "Si ce n'était pas vous, changez votre mot de passe tout de suite et contactez les administrateurs de l'instance."] },
  },
  passwordChanged: {
    en: { subject: (i: string) => `Your password on ${i} was changed`, heading: "Your password was changed", body: () => ["The password of your account was just changed, and every session was signed out.", "If it was not you, reset your password now."] },
    fr: { subject: (i: string) => `Votre mot de passe sur ${i} a été modifié`, heading: "Votre mot de passe a été modifié", body: () => ["Le mot de passe de votre compte vient d'être modifié et toutes les sessions ont été déconnectées.", "Si ce n'était pas vous, réinitialisez votre mot de passe tout de suite."] },
  },
} as const;

const lang = (c: Ctx): Locale => pickLocale(c.locale);

/** The account confirmation e-mail with its single-use link. */
export function confirmationEmail(c: Ctx, token: string): OutgoingEmail {
  const t = T.confirm[lang(c)];
  return renderEmail({ to: c.to, locale: lang(c), instanceName: c.instanceName, subject: t.subject(c.instanceName), heading: t.heading, paragraphs: t.body(c.instanceName), action: { label: t.action, url: c.urls.validateAccount(token) } });
}

/** The password reset e-mail with its single-use link. */
export function resetEmail(c: Ctx, token: string): OutgoingEmail {
  const t = T.reset[lang(c)];
  return renderEmail({ to: c.to, locale: lang(c), instanceName: c.instanceName, subject: t.subject(c.instanceName), heading: t.heading, paragraphs: t.body(), action: { label: t.action, url: c.urls.passwordReset(token) } });
}

/** Sent to the new address: confirms the change. */
export function emailChangeNewEmail(c: Ctx, token: string): OutgoingEmail {
  const t = T.emailChangeNew[lang(c)];
  return renderEmail({ to: c.to, locale: lang(c), instanceName: c.instanceName, subject: t.subject(c.instanceName), heading: t.heading, paragraphs: t.body(), action: { label: t.action, url: c.urls.validateEmail(token) } });
}

/** Sent to the old address: warns of the change. */
export function emailChangeOldEmail(c: Ctx, newEmail: string): OutgoingEmail {
  const t = T.emailChangeOld[lang(c)];
  return renderEmail({ to: c.to, locale: lang(c), instanceName: c.instanceName, subject: t.subject(c.instanceName), heading: t.heading, paragraphs: t.body(c.instanceName, newEmail) });
}

/** Warns that the password changed. */
export function passwordChangedEmail(c: Ctx): OutgoingEmail {
  const t = T.passwordChanged[lang(c)];
  return renderEmail({ to: c.to, locale: lang(c), instanceName: c.instanceName, subject: t.subject(c.instanceName), heading: t.heading, paragraphs: t.body(), action: { label: lang(c) === "fr" ? "Réinitialiser le mot de passe" : "Reset my password", url: c.urls.passwordResetRequest() } });
}
