// English ships with the app; other languages load only when chosen.
import { createI18n } from "vue-i18n";
import en from "./locales/en.json";

export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE = "convene.locale";

type Messages = typeof en;
export const i18n = createI18n<[Messages], Language, false>({
  legacy: false,
  locale: "en",
  fallbackLocale: "en",
  messages: { en } as Record<Language, Messages>,
  missingWarn: false,
  fallbackWarn: false,
});

const loaders: Record<Exclude<Language, "en">, () => Promise<{ default: typeof en }>> = {
  fr: () => import("./locales/fr.json"),
};

export const normalise = (l: string | null | undefined): Language => {
  const base = (l ?? "").slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : "en";
};

/** Switches the interface language, loading its messages first. */
export async function setLanguage(lang: string, remember = true): Promise<void> {
  const l = normalise(lang);
  if (l !== "en" && !i18n.global.availableLocales.includes(l)) i18n.global.setLocaleMessage(l, (await loaders[l]()).default);
  i18n.global.locale.value = l;
  document.documentElement.lang = l;
  if (remember) localStorage.setItem(STORAGE, l);
}

/** The language to start with: the saved choice, else the browser's. */
export const initialLanguage = (): Language => normalise(localStorage.getItem(STORAGE) ?? navigator.language);
