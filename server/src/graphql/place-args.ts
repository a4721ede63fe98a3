import { decodeGeohash, type Circle } from "../db/index.ts";
import { invalid } from "../kernel/index.ts";

/** A search's place: Mobilizon sends a geohash (`location`) and a radius in km (default 50). */
export function circleOf(location: string | null | undefined, radius: number | null | undefined): Circle | null {
  if (!location) return null;
  const c = decodeGeohash(location);
  if (!c) throw invalid("location", "location must be a geohash");
  const r = radius ?? 50;
  if (!Number.isFinite(r) || r <= 0 || r > 20_000) throw invalid("radius", "radius must be between 0 and 20,000 km");
  return { ...c, radiusKm: r };
}
