// Dates for people: wall-clock times in an event's timezone, converted to and from instants without a library.

function offsetMs(ts: number, tz: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ts));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(ts / 1000) * 1000;
}

/** "2026-06-01T18:00" read as a wall-clock time in `tz` → the instant. */
export function zonedToUtc(local: string, tz: string): Date {
  const m = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/);
  if (!m) throw new Error("invalid date");
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let utc = guess - offsetMs(guess, tz);
  const second = offsetMs(utc, tz);
  if (guess - second !== utc) utc = guess - second;
  return new Date(utc);
}

/** An instant → "YYYY-MM-DDTHH:mm" on the wall clock of `tz` (for datetime-local inputs). */
export function utcToZoned(d: Date, tz: string): string {
  const local = new Date(d.getTime() + offsetMs(d.getTime(), tz));
  return local.toISOString().slice(0, 16);
}

export const browserTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** "Saturday 6 June 2026, 18:00" in the reader's language and the given timezone. */
export function formatDateTime(iso: string, locale: string, tz: string, opts: { time?: boolean } = {}): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    ...(opts.time === false ? {} : { hour: "2-digit", minute: "2-digit" }),
    timeZone: tz,
  }).format(new Date(iso));
}

export function formatTime(iso: string, locale: string, tz: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: tz }).format(new Date(iso));
}

/** Short date for lists: "Sat 6 Jun". */
export function formatShortDate(iso: string, locale: string, tz: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", timeZone: tz }).format(new Date(iso));
}

/** Whether two instants fall on the same day in `tz`. */
export function sameDay(a: string, b: string, tz: string): boolean {
  const f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" });
  return f.format(new Date(a)) === f.format(new Date(b));
}

/** The short name of a timezone at a date, e.g. "CEST". */
export function zoneName(iso: string, locale: string, tz: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: "short" }).formatToParts(new Date(iso)).find((p) => p.type === "timeZoneName")?.value ?? tz;
}
