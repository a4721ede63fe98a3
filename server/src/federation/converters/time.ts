/** An instant written in a time zone's local time with its offset (`2026-12-01T19:00:00+01:00`), as Mobilizon sends. */
export function isoInZone(d: Date, timezone: string | null): string {
  if (!timezone) return d.toISOString().replace(/\.\d{3}Z$/, "Z");
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
    const local = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
    const offset = Math.round((local - Math.floor(d.getTime() / 1000) * 1000) / 60000);
    const sign = offset < 0 ? "-" : "+";
    const abs = Math.abs(offset);
    const hh = String(Math.floor(abs / 60)).padStart(2, "0");
    const mm = String(abs % 60).padStart(2, "0");
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${hh}:${mm}`;
  } catch {
    return d.toISOString().replace(/\.\d{3}Z$/, "Z");
  }
}
