import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { expectError, startInstance, type TestInstance } from "../../../test/kit.ts";

const SEARCH = `query($q: String!, $l: String) { searchAddress(query: $q, locale: $l, limit: 5) { description locality country geom timezone type originId } }`;
const REVERSE = `query($lat: Float!, $lon: Float!) { reverseGeocode(latitude: $lat, longitude: $lon) { locality country geom timezone } }`;
type Found = { searchAddress: { description: string; locality: string; country: string; geom: string; timezone: string; originId: string }[] };

describe("places, offline by default", () => {
  let inst: TestInstance;
  before(async () => {
    inst = await startInstance();
  });
  after(() => inst.stop());

  test("searchAddress finds cities by accent-insensitive prefix, biggest first, with their timezone", async () => {
    const r = await inst.gql<Found>(SEARCH, { q: "montreal", l: "fr" });
    const first = r.data.searchAddress[0];
    assert.equal(first.locality, "Montréal");
    assert.equal(first.country, "Canada");
    assert.equal(first.timezone, "America/Toronto");
    assert.match(first.originId, /^geonames:\d+$/);
    const paris = await inst.gql<Found>(SEARCH, { q: "Par", l: "en" });
    assert.equal(paris.data.searchAddress[0].locality, "Paris");
    assert.equal(paris.data.searchAddress[0].country, "France");
    assert.deepEqual((await inst.gql<Found>(SEARCH, { q: "x" })).data.searchAddress, []);
    expectError(await inst.gql(SEARCH, { q: "a".repeat(300) }), "validation");
  });

  test("reverseGeocode names the nearest city", async () => {
    const r = await inst.gql<{ reverseGeocode: { locality: string; timezone: string; geom: string }[] }>(REVERSE, { lat: 45.7601, lon: 4.8422 });
    assert.equal(r.data.reverseGeocode[0].locality, "Lyon");
    assert.equal(r.data.reverseGeocode[0].timezone, "Europe/Paris");
    assert.equal(r.data.reverseGeocode[0].geom, "4.8422;45.7601");
    expectError(await inst.gql(REVERSE, { lat: 120, lon: 0 }), "validation");
  });
});

describe("places through a configured Nominatim", () => {
  let server: Server;
  let inst: TestInstance;
  const seen: string[] = [];
  before(async () => {
    // A local stand-in for a Nominatim server, answering in its jsonv2 format.
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers["user-agent"]}`);
      res.setHeader("content-type", "application/json");
      if (req.url!.startsWith("/search"))
        res.end(JSON.stringify([{ lat: "48.8584", lon: "2.2945", name: "Tour Eiffel", type: "attraction", osm_type: "way", osm_id: 5013364, address: { road: "Avenue Anatole France", house_number: "5", city: "Paris", postcode: "75007", country: "France" } }]));
      else res.end(JSON.stringify({ lat: "48.8584", lon: "2.2945", name: "", address: { city: "Paris", country: "France" } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    inst = await startInstance({ GEOCODER: "nominatim", GEOCODER_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
  });
  after(async () => {
    await inst.stop();
    server.close();
  });

  test("search and reverse go to the configured server, with an honest user agent", async () => {
    const r = await inst.gql<Found>(SEARCH, { q: "tour eiffel" });
    assert.deepEqual(r.data.searchAddress[0], { description: "Tour Eiffel", locality: "Paris", country: "France", geom: "2.2945;48.8584", timezone: "Europe/Paris", type: "attraction", originId: "nominatim:way:5013364" });
    const rev = await inst.gql<{ reverseGeocode: { locality: string }[] }>(REVERSE, { lat: 48.8584, lon: 2.2945 });
    assert.equal(rev.data.reverseGeocode[0].locality, "Paris");
    assert.match(seen[0], /^\/search\?q=tour\+eiffel&format=jsonv2/);
    assert.match(seen[0], /Convene\//);
    const cfg = await inst.gql<{ config: { geocoding: { provider: string } } }>(`{ config { geocoding { provider } } }`);
    assert.equal(cfg.data.config.geocoding.provider, "nominatim");
  });
});

describe("places through a configured Photon or Addok", () => {
  // Local stand-ins answering in each service's GeoJSON format.
  const feature = (props: Record<string, unknown>) => ({ type: "FeatureCollection", features: [{ type: "Feature", geometry: { type: "Point", coordinates: [4.8357, 45.764] }, properties: props }] });
  for (const [provider, props, searchPath] of [
    ["photon", { name: "Place Bellecour", street: "Place Bellecour", city: "Lyon", postcode: "69002", country: "France", osm_type: "N", osm_id: 42, type: "street" }, "/api/"],
    ["addok", { label: "Place Bellecour 69002 Lyon", name: "Place Bellecour", city: "Lyon", postcode: "69002", context: "69, Rhône, Auvergne-Rhône-Alpes", id: "69382_0610", type: "street" }, "/search/"],
  ] as const) {
    test(`${provider}: search and reverse`, async () => {
      const paths: string[] = [];
      const server = createServer((req, res) => {
        paths.push(req.url!);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(feature(props)));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      const inst = await startInstance({ GEOCODER: provider, GEOCODER_URL: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
      try {
        const r = await inst.gql<Found>(SEARCH, { q: "bellecour" });
        assert.equal(r.data.searchAddress[0].locality, "Lyon");
        assert.equal(r.data.searchAddress[0].description, "Place Bellecour");
        assert.equal(r.data.searchAddress[0].geom, "4.8357;45.764");
        assert.equal(r.data.searchAddress[0].timezone, "Europe/Paris");
        const rev = await inst.gql<{ reverseGeocode: { locality: string }[] }>(REVERSE, { lat: 45.764, lon: 4.8357 });
        assert.equal(rev.data.reverseGeocode[0].locality, "Lyon");
        assert.ok(paths[0].startsWith(`${searchPath}?q=bellecour`), paths[0]);
      } finally {
        await inst.stop();
        server.close();
      }
    });
  }
});
