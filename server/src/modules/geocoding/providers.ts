import type { GeocoderProvider, Place } from "./geocoding.types.ts";

type Fetch = typeof fetch;

async function getJson(f: Fetch, url: URL, userAgent: string): Promise<unknown> {
  const res = await f(url, { headers: { accept: "application/json", "user-agent": userAgent }, signal: AbortSignal.timeout(8000) });
  if (!res.ok) throw new Error(`geocoder answered ${res.status}`);
  return res.json();
}

const num = (v: unknown) => (typeof v === "string" ? Number(v) : (v as number));

/** Nominatim (OpenStreetMap's geocoder, or a self-hosted one): /search and /reverse with jsonv2. */
export class NominatimProvider implements GeocoderProvider {
  readonly name = "nominatim";
  private readonly base: string;
  private readonly userAgent: string;
  private readonly f: Fetch;
  constructor(base: string, userAgent: string, f: Fetch = fetch) {
    this.base = base;
    this.userAgent = userAgent;
    this.f = f;
  }
  private map(r: Record<string, unknown>): Place {
    const a = (r.address ?? {}) as Record<string, string>;
    return {
      description: (r.name as string) || null,
      street: [a.house_number, a.road].filter(Boolean).join(" ") || null,
      locality: a.city ?? a.town ?? a.village ?? a.municipality ?? null,
      postalCode: a.postcode ?? null,
      region: a.state ?? null,
      country: a.country ?? null,
      latitude: num(r.lat),
      longitude: num(r.lon),
      type: (r.type as string) ?? null,
      originId: r.osm_type && r.osm_id ? `nominatim:${r.osm_type}:${r.osm_id}` : null,
      url: null,
    };
  }
  async search(query: string, opts: { locale: string; limit: number }) {
    const u = new URL("/search", this.base);
    u.search = new URLSearchParams({ q: query, format: "jsonv2", addressdetails: "1", limit: String(opts.limit), "accept-language": opts.locale }).toString();
    return ((await getJson(this.f, u, this.userAgent)) as Record<string, unknown>[]).map((r) => this.map(r));
  }
  async reverse(latitude: number, longitude: number, opts: { locale: string; zoom: number }) {
    const u = new URL("/reverse", this.base);
    u.search = new URLSearchParams({ lat: String(latitude), lon: String(longitude), format: "jsonv2", addressdetails: "1", zoom: String(opts.zoom), "accept-language": opts.locale }).toString();
    const r = (await getJson(this.f, u, this.userAgent)) as Record<string, unknown>;
    return r && r.lat ? [this.map(r)] : [];
  }
}

/** Photon and Addok both answer GeoJSON features; their property names differ slightly. */
abstract class GeoJsonProvider implements GeocoderProvider {
  abstract readonly name: string;
  protected readonly base: string;
  protected readonly userAgent: string;
  protected readonly f: Fetch;
  constructor(base: string, userAgent: string, f: Fetch = fetch) {
    this.base = base;
    this.userAgent = userAgent;
    this.f = f;
  }
  protected abstract searchUrl(query: string, opts: { locale: string; limit: number }): URL;
  protected abstract reverseUrl(latitude: number, longitude: number, opts: { locale: string }): URL;
  protected map(feature: { geometry: { coordinates: [number, number] }; properties: Record<string, string> }): Place {
    const p = feature.properties;
    return {
      description: p.name ?? p.label ?? null,
      street: [p.housenumber, p.street].filter(Boolean).join(" ") || null,
      locality: p.city ?? p.town ?? null,
      postalCode: p.postcode ?? null,
      region: p.state ?? p.context ?? null,
      country: p.country ?? null,
      latitude: feature.geometry.coordinates[1],
      longitude: feature.geometry.coordinates[0],
      type: p.type ?? p.osm_value ?? null,
      originId: p.osm_id ? `${this.name}:${p.osm_type ?? ""}${p.osm_id}` : p.id ? `${this.name}:${p.id}` : null,
      url: null,
    };
  }
  async search(query: string, opts: { locale: string; limit: number }) {
    const r = (await getJson(this.f, this.searchUrl(query, opts), this.userAgent)) as { features: never[] };
    return (r.features ?? []).map((x) => this.map(x));
  }
  async reverse(latitude: number, longitude: number, opts: { locale: string; zoom: number }) {
    const r = (await getJson(this.f, this.reverseUrl(latitude, longitude, opts), this.userAgent)) as { features: never[] };
    return (r.features ?? []).slice(0, 1).map((x) => this.map(x));
  }
}

export class PhotonProvider extends GeoJsonProvider {
  readonly name = "photon";
  protected searchUrl(query: string, opts: { locale: string; limit: number }) {
    const u = new URL("/api/", this.base);
    u.search = new URLSearchParams({ q: query, limit: String(opts.limit), lang: ["en", "de", "fr", "it"].includes(opts.locale) ? opts.locale : "en" }).toString();
    return u;
  }
  protected reverseUrl(latitude: number, longitude: number) {
    const u = new URL("/reverse", this.base);
    u.search = new URLSearchParams({ lat: String(latitude), lon: String(longitude) }).toString();
    return u;
  }
}

export class AddokProvider extends GeoJsonProvider {
  readonly name = "addok";
  protected searchUrl(query: string, opts: { limit: number }) {
    const u = new URL("/search/", this.base);
    u.search = new URLSearchParams({ q: query, limit: String(opts.limit) }).toString();
    return u;
  }
  protected reverseUrl(latitude: number, longitude: number) {
    const u = new URL("/reverse/", this.base);
    u.search = new URLSearchParams({ lat: String(latitude), lon: String(longitude) }).toString();
    return u;
  }
}
