import assert from "node:assert/strict";
import { test } from "node:test";
import { calendar } from "./feed.ics.ts";

/** Unfolds and splits an iCalendar document into its content lines. */
const lines = (ics: string) => ics.replace(/\r\n[ \t]/g, "").split("\r\n");

test("an event becomes a valid VEVENT with UTC times, location, status and categories", async () => {
  const ics = await calendar("Test", { company: "Convene", product: "Convene" }, [
    {
      uid: "abc@convene.test",
      url: "https://convene.test/events/abc",
      title: "Réunion, publique; avec \\ des signes",
      description: "Line one\nLine two",
      start: new Date("2026-06-01T16:00:00Z"),
      end: new Date("2026-06-01T18:30:00Z"),
      timezone: "Europe/Paris",
      location: "1 rue de la Paix, Paris",
      geo: { lat: 48.8691, lon: 2.3316 },
      status: "CONFIRMED",
      organizer: "Alice",
      categories: ["Vélo", "Repair café"],
      created: new Date("2026-05-01T10:00:00Z"),
      lastModified: new Date("2026-05-02T10:00:00Z"),
    },
  ]);
  const l = lines(ics);
  assert.equal(l[0], "BEGIN:VCALENDAR");
  assert.ok(l.includes("VERSION:2.0"));
  assert.ok(l.includes("BEGIN:VEVENT") && l.includes("END:VEVENT"));
  assert.ok(l.includes("UID:abc@convene.test"));
  assert.ok(l.includes("DTSTART:20260601T160000Z"));
  assert.ok(l.includes("DTEND:20260601T183000Z"));
  assert.ok(l.includes("SUMMARY:Réunion\\, publique\\; avec \\\\ des signes"));
  assert.ok(l.includes("DESCRIPTION:Line one\\nLine two\\n\\n— Alice"));
  assert.ok(l.includes("STATUS:CONFIRMED"));
  assert.ok(l.some((x) => x.startsWith("LOCATION:1 rue de la Paix\\, Paris")));
  assert.ok(l.includes("GEO:48.8691;2.3316"));
  assert.ok(l.includes("X-WR-TIMEZONE:Europe/Paris"));
  assert.ok(ics.split("\r\n").every((x) => Buffer.byteLength(x) <= 75), "lines are folded at 75 octets");
});
