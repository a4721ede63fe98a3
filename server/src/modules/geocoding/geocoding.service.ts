import { invalid } from "../../kernel/index.ts";
import type { GeocoderProvider, Place } from "./geocoding.types.ts";

export type GeocodedPlace = Place & { timezone: string | null };

/**
 * Finds places (searchAddress, reverseGeocode) through the configured provider — the offline gazetteer unless the
 * admin set another — and gives each its timezone from its coordinates.
 */
export class GeocodingService {
  private readonly provider: GeocoderProvider;
  private readonly timezoneAt: (lat: number, lon: number) => string | null;
  constructor(provider: GeocoderProvider, timezoneAt: (lat: number, lon: number) => string | null) {
    this.provider = provider;
    this.timezoneAt = timezoneAt;
  }

  get providerName() {
    return this.provider.name;
  }

  private withTz = (p: Place): GeocodedPlace => ({ ...p, timezone: this.timezoneAt(p.latitude, p.longitude) });

  /** Places matching a text, best first. */
  async search(query: string, opts: { locale?: string | null; limit?: number | null }): Promise<GeocodedPlace[]> {
    const q = query.trim();
    if (q.length > 200) throw invalid("query", "The search is too long");
    if (q.length < 2) return [];
    const limit = Math.min(20, Math.max(1, opts.limit ?? 10));
    return (await this.provider.search(q, { locale: (opts.locale ?? "en").slice(0, 2), limit })).map(this.withTz);
  }

  /** The place at coordinates. */
  async reverse(latitude: number, longitude: number, opts: { locale?: string | null; zoom?: number | null }): Promise<GeocodedPlace[]> {
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) throw invalid("latitude", "Invalid coordinates");
    return (await this.provider.reverse(latitude, longitude, { locale: (opts.locale ?? "en").slice(0, 2), zoom: opts.zoom ?? 15 })).map(this.withTz);
  }
}
