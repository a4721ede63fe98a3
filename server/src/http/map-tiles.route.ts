import type { Hono } from "hono";

// A 256×256 tile of one neutral colour (177 bytes of PNG).
const NEUTRAL_TILE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAQAAAAEACAMAAABrrFhUAAAAA1BMVEXo5uHfojpGAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAVElEQVR42u3BAQEAAACAkP6v7ggKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAEPAAEccgnDAAAAAElFTkSuQmCC",
  "base64",
);

/** Where the neutral tiles are served; `config.maps.tiles.endpoint` names it when no tile server is configured. */
export const NEUTRAL_TILES_PATH = "/map-tiles/{z}/{x}/{y}.png";

/**
 * GET /map-tiles/:z/:x/:y.png — a neutral tile for any place. Without MAP_TILES_URL Convene calls no third party, but
 * Mobilizon's client needs a tile URL that works (Leaflet throws on none): it gets this one, and draws its marker on
 * a plain background.
 */
export function mountMapTiles(app: Hono) {
  app.get("/map-tiles/:z/:x/:file", (c) => {
    const z = Number(c.req.param("z"));
    const x = Number(c.req.param("x"));
    const y = Number(c.req.param("file").replace(/\.png$/, ""));
    const n = 2 ** z;
    if (!Number.isInteger(z) || z < 0 || z > 22 || !Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= n || y >= n || !c.req.param("file").endsWith(".png"))
      return c.notFound();
    return c.body(new Uint8Array(NEUTRAL_TILE), 200, { "content-type": "image/png", "cache-control": "public, max-age=604800, immutable" });
  });
}
