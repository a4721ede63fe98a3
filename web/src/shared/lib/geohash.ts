// Geohash encoding, for the location saved in user settings and search by distance.
const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

export function encodeGeohash(lat: number, lon: number, precision = 7): string {
  const la = [-90, 90];
  const lo = [-180, 180];
  let hash = "";
  let bits = 0;
  let v = 0;
  let even = true;
  while (hash.length < precision) {
    const r = even ? lo : la;
    const x = even ? lon : lat;
    const mid = (r[0] + r[1]) / 2;
    if (x >= mid) {
      v = (v << 1) | 1;
      r[0] = mid;
    } else {
      v <<= 1;
      r[1] = mid;
    }
    even = !even;
    if (++bits === 5) {
      hash += BASE32[v];
      bits = 0;
      v = 0;
    }
  }
  return hash;
}
