
export type CalendarItem = {
  uid: string;
  url: string;
  title: string;
  description: string;
  start: Date;
  end: Date | null;
  timezone: string | null;
  location: string | null;
  geo: { lat: number; lon: number } | null;
  status: "TENTATIVE" | "CONFIRMED" | "CANCELLED";
  /** Who organizes, named in the description: ORGANIZER needs an e-mail address, which we never publish. */
  organizer: string | null;
  categories: string[];
  created: Date;
  lastModified: Date;
};

/** Control characters (but tab and line breaks) and noncharacters: calendar clients choke on them. */
// eslint-disable-next-line no-control-regex -- these are the characters being removed or looked for
const text = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g, "");

/**
 * An iCalendar (RFC 5545) document. Times are written in UTC, which every calendar client places correctly in its
 * own timezone; the event's timezone is kept as X-WR-TIMEZONE for clients that show it.
 */
export async function calendar(name: string, prodId: { company: string; product: string }, items: CalendarItem[], opts: { ttlSeconds?: number } = {}): Promise<string> {
  // Loaded with the first calendar asked for, like the other formats' libraries an idle instance does not need.
  const { default: ical } = await import("ical-generator");
  const cal = ical({ name: text(name), prodId: { ...prodId, language: "EN" }, ttl: opts.ttlSeconds ?? 3600 });
  for (const i of items) {
    cal.createEvent({
      id: i.uid,
      start: i.start,
      // Without an end, an event lasts an hour for calendar clients (RFC 5545 would make it instantaneous).
      end: i.end ?? new Date(i.start.getTime() + 3600_000),
      summary: text(i.title),
      description: text(i.organizer ? `${i.description}\n\n— ${i.organizer}`.trim() : i.description),
      location: i.location ? text(i.location) : undefined,
      url: i.url,
      status: i.status as never,
      categories: i.categories.map((c) => ({ name: text(c) })),
      created: i.created,
      lastModified: i.lastModified,
      stamp: i.lastModified,
      ...(i.geo && i.location ? { location: { title: text(i.location), geo: i.geo } } : {}),
    });
  }
  const tz = items.length === 1 ? items[0].timezone : null;
  if (tz) cal.x([{ key: "X-WR-TIMEZONE", value: tz }]);
  return cal.toString();
}
