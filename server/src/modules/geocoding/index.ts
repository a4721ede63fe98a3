/** Places: the offline gazetteer by default, Nominatim, Photon or Addok when configured; timezones from coordinates. */
export { GeocodingService, type GeocodedPlace } from "./geocoding.service.ts";
export { OfflineGazetteer } from "./gazetteer.ts";
export { NominatimProvider, PhotonProvider, AddokProvider } from "./providers.ts";
export type { GeocoderProvider, Place } from "./geocoding.types.ts";
