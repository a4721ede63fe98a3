// Seeds N public events into a Convene database, fast: bulk inserts straight into the tables, then the search index
// in one statement per dialect. For benchmarks only.
import { sql } from "kysely";
import { randomUUID } from "node:crypto";
import { geoTokens, type Db, type DialectName } from "../server/src/db/index.ts";

const WORDS = ["réunion", "atelier", "vélo", "jardin", "concert", "marche", "débat", "pique-nique", "café", "repair", "climat", "lecture", "cinéma", "danse", "théâtre", "cuisine", "solidarité", "assemblée", "formation", "fête", "quartier", "écologie", "musique", "randonnée", "permanence", "collecte", "manifestation", "projection", "conférence", "jeux"];
const CITIES: [string, number, number][] = [
  ["Paris", 48.8566, 2.3522], ["Lyon", 45.764, 4.8357], ["Marseille", 43.2965, 5.3698], ["Toulouse", 43.6047, 1.4442], ["Nantes", 47.2184, -1.5536],
  ["Lille", 50.6292, 3.0573], ["Bordeaux", 44.8378, -0.5792], ["Rennes", 48.1173, -1.6778], ["Strasbourg", 48.5734, 7.7521], ["Grenoble", 45.1885, 5.7245],
  ["Bruxelles", 50.8503, 4.3517], ["Genève", 46.2044, 6.1432], ["Montréal", 45.5017, -73.5673], ["Berlin", 52.52, 13.405], ["Madrid", 40.4168, -3.7038],
];
export { CITIES };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

export async function seedEvents(db: Db, dialect: DialectName, n: number, organizerActorId: number): Promise<void> {
  const rand = rng(42);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const now = Date.now();
  const batch = 500;
  for (let i = 0; i < n; i += batch) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      const [city, lat, lon] = pick(CITIES);
      const begins = new Date(now + (rand() * 400 - 35) * 86400_000);
      const uuid = randomUUID();
      const title = `${pick(WORDS)} ${pick(WORDS)} ${city} ${j}`;
      rows.push({
        uuid,
        url: `http://bench.test/events/${uuid}`,
        local: true,
        organizer_actor_id: organizerActorId,
        title: title[0].toUpperCase() + title.slice(1),
        description: `<p>${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} et ${pick(WORDS)} à ${city}. Venez nombreux !</p>`,
        begins_on: begins,
        ends_on: new Date(begins.getTime() + 2 * 3600_000),
        status: "CONFIRMED",
        visibility: rand() < 0.9 ? "PUBLIC" : "UNLISTED",
        join_options: "FREE",
        draft: false,
        latitude: lat + (rand() - 0.5) * 0.6,
        longitude: lon + (rand() - 0.5) * 0.8,
        is_online: rand() < 0.1,
        long_event: false,
        category: "COMMUNITY",
        options: "{}",
        metadata: "[]",
        inserted_at: new Date(now - rand() * 90 * 86400_000),
        updated_at: new Date(now),
      });
    }
    const ids = await db.insertInto("events").values(rows).returning(["id", "title", "description", "latitude", "longitude"]).execute();
    if (dialect === "sqlite")
      await db.transaction().execute(async (tx) => {
        for (const r of ids)
          await sql`insert into events_fts (rowid, title, description, tags, geo) values (${r.id}, ${r.title}, ${r.description}, '', ${geoTokens(r.latitude, r.longitude)})`.execute(tx);
      });
  }
  if (dialect === "postgres") {
    await sql`update events set search_vector = setweight(to_tsvector('simple', convene_unaccent(title)), 'A') || setweight(to_tsvector('simple', convene_unaccent(description)), 'C')`.execute(db);
    await sql`analyze events`.execute(db);
  }
}
