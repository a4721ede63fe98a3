/** A place as the API returns it (Mobilizon's Address). */
export type Place = {
  description: string | null;
  street: string | null;
  locality: string | null;
  postalCode: string | null;
  region: string | null;
  country: string | null;
  latitude: number;
  longitude: number;
  type: string | null;
  originId: string | null;
  url: string | null;
};

/** A source of places: the offline gazetteer, or a service the admin configured. */
export interface GeocoderProvider {
  readonly name: string;
  search(query: string, opts: { locale: string; limit: number }): Promise<Place[]>;
  reverse(latitude: number, longitude: number, opts: { locale: string; zoom: number }): Promise<Place[]>;
}

/** Lower-case, accents removed, punctuation to spaces: how names are compared. */
export const normaliseName = (s: string) =>
  s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
