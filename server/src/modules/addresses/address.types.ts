import { invalid } from "../../kernel/index.ts";
import { checkUrl } from "../content/index.ts";

/** A place: a postal address, coordinates, or both (an event's, later a group's). */
export type Address = {
  id: number;
  description: string | null;
  street: string | null;
  locality: string | null;
  postalCode: string | null;
  region: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  type: string | null;
  url: string | null;
  originId: string | null;
  timezone: string | null;
};

export type AddressInput = Omit<Address, "id">;

/** One line for people ("Town hall, 1 place de la Mairie, 69001 Lyon, France"), without repeats. */
export function formatAddress(a: Pick<Address, "description" | "street" | "postalCode" | "locality" | "region" | "country">): string {
  const place = [a.postalCode, a.locality].filter(Boolean).join(" ");
  return [a.description, a.street, place, a.country].filter((x, i, all) => x && all.indexOf(x) === i).join(", ");
}

/** A place as the API sends it (Mobilizon's AddressInput). */
export type AddressArg = {
  geom?: string | null;
  street?: string | null;
  locality?: string | null;
  postalCode?: string | null;
  region?: string | null;
  country?: string | null;
  description?: string | null;
  type?: string | null;
  url?: string | null;
  originId?: string | null;
  timezone?: string | null;
};

export function checkTimezone(tz: string | null | undefined, field = "options.timezone"): string | null {
  if (tz == null || tz === "") return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    throw invalid(field, `Unknown timezone ${tz}`);
  }
  return tz;
}

/** Validates a point "lon;lat". */
export function parsePoint(geom: string | null | undefined): { latitude: number; longitude: number } | null {
  if (!geom) return null;
  const [lon, lat] = geom.split(";").map(Number);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) throw invalid("physicalAddress.geom", "Invalid coordinates");
  return { latitude: lat, longitude: lon };
}

const clean = (s: string | null | undefined, max: number, field: string) => {
  if (s == null) return null;
  const v = s.trim();
  if (v.length > max) throw invalid(field, `Too long (at most ${max} characters)`);
  return v || null;
};

/**
 * Checks a place sent by a client: bounded fields, valid coordinates and timezone (found from the coordinates when
 * absent), and something to find it by.
 */
export function checkAddress(a: AddressArg, timezoneAt: (lat: number, lon: number) => string | null): AddressInput {
  const point = parsePoint(a.geom);
  const tz = checkTimezone(a.timezone, "physicalAddress.timezone") ?? (point ? timezoneAt(point.latitude, point.longitude) : null);
  const address: AddressInput = {
    description: clean(a.description, 500, "physicalAddress.description"),
    street: clean(a.street, 500, "physicalAddress.street"),
    locality: clean(a.locality, 200, "physicalAddress.locality"),
    postalCode: clean(a.postalCode, 50, "physicalAddress.postalCode"),
    region: clean(a.region, 200, "physicalAddress.region"),
    country: clean(a.country, 200, "physicalAddress.country"),
    latitude: point?.latitude ?? null,
    longitude: point?.longitude ?? null,
    type: clean(a.type, 50, "physicalAddress.type"),
    url: checkUrl(a.url, "physicalAddress.url"),
    originId: clean(a.originId, 200, "physicalAddress.originId"),
    timezone: tz,
  };
  if (!address.description && !address.street && !address.locality && !point) throw invalid("physicalAddress", "An address needs at least a description, a street, a locality or coordinates");
  return address;
}
