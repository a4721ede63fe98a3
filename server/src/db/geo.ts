import { sql, type Expression, type SqlBool } from "kysely";

/**
 * The geographic radius port: a bounding box on the indexed latitude/longitude columns narrows the rows, then the
 * exact great-circle distance (haversine) filters them. Works the same on SQLite (its math functions) and PostgreSQL.
 */
const EARTH_KM = 6371.0088;

export type Circle = { latitude: number; longitude: number; radiusKm: number };

export function boundingBox(c: Circle) {
  const dLat = (c.radiusKm / EARTH_KM) * (180 / Math.PI);
  const cos = Math.cos((c.latitude * Math.PI) / 180);
  const dLon = cos < 1e-6 ? 180 : Math.min(180, dLat / cos);
  return { minLat: c.latitude - dLat, maxLat: c.latitude + dLat, minLon: c.longitude - dLon, maxLon: c.longitude + dLon };
}

// Parameters are cast: PostgreSQL would otherwise infer an integer type from the surrounding arithmetic.
const num = (n: number) => sql`cast(${n} as double precision)`;

/** Distance in km between the row's `lat`/`lon` columns and a point. */
export function distanceKm(latCol: string, lonCol: string, lat: number, lon: number): Expression<number> {
  const la = sql.ref(latCol);
  const lo = sql.ref(lonCol);
  return sql<number>`(2 * ${sql.lit(EARTH_KM)} * asin(sqrt(
    power(sin(radians(${la} - ${num(lat)}) / 2), 2) +
    cos(radians(${num(lat)})) * cos(radians(${la})) * power(sin(radians(${lo} - ${num(lon)}) / 2), 2)
  )))`;
}

/** Rows within the circle: bounding box first (index), then exact distance. */
export function withinCircle(latCol: string, lonCol: string, c: Circle): Expression<SqlBool> {
  const b = boundingBox(c);
  const la = sql.ref(latCol);
  const lo = sql.ref(lonCol);
  const lonCond =
    b.minLon < -180 || b.maxLon > 180
      ? sql`(${lo} >= ${num(b.minLon < -180 ? b.minLon + 360 : b.minLon)} or ${lo} <= ${num(b.maxLon > 180 ? b.maxLon - 360 : b.maxLon)})`
      : sql`${lo} between ${num(b.minLon)} and ${num(b.maxLon)}`;
  return sql<SqlBool>`(${la} between ${num(b.minLat)} and ${num(b.maxLat)} and ${lonCond} and ${distanceKm(latCol, lonCol, c.latitude, c.longitude)} <= ${num(c.radiusKm)})`;
}

/** Decodes a geohash to the centre of its cell. */
export function decodeGeohash(hash: string): { latitude: number; longitude: number } | null {
  const base32 = "0123456789bcdefghjkmnpqrstuvwxyz";
  let even = true;
  const lat = [-90, 90];
  const lon = [-180, 180];
  for (const ch of hash.toLowerCase()) {
    const v = base32.indexOf(ch);
    if (v < 0) return null;
    for (let bit = 4; bit >= 0; bit--) {
      const range = even ? lon : lat;
      const mid = (range[0] + range[1]) / 2;
      if ((v >> bit) & 1) range[0] = mid;
      else range[1] = mid;
      even = !even;
    }
  }
  if (!hash) return null;
  return { latitude: (lat[0] + lat[1]) / 2, longitude: (lon[0] + lon[1]) / 2 };
}

/** Encodes a point as a geohash of the given precision. */
export function encodeGeohash(latitude: number, longitude: number, precision = 9): string {
  const base32 = "0123456789bcdefghjkmnpqrstuvwxyz";
  const lat = [-90, 90];
  const lon = [-180, 180];
  let hash = "";
  let bits = 0;
  let v = 0;
  let even = true;
  while (hash.length < precision) {
    const range = even ? lon : lat;
    const val = even ? longitude : latitude;
    const mid = (range[0] + range[1]) / 2;
    if (val >= mid) {
      v = (v << 1) | 1;
      range[0] = mid;
    } else {
      v <<= 1;
      range[1] = mid;
    }
    even = !even;
    if (++bits === 5) {
      hash += base32[v];
      bits = 0;
      v = 0;
    }
  }
  return hash;
}
