import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hono } from "hono";

const EXPORT_TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", ods: "application/vnd.oasis.opendocument.spreadsheet", pdf: "application/pdf" };

/** GET /exports/:format/:file — a participant export; the random file name is the capability, valid a day. */
export function mountExports(app: Hono, exportsDir: string) {
  app.get("/exports/:format/:file", async (c) => {
    const file = c.req.param("file");
    const format = c.req.param("format");
    if (!EXPORT_TYPES[format] || !new RegExp(`^[A-Za-z0-9_-]{20,}\\.${format}$`).test(file)) return c.notFound();
    try {
      const body = await readFile(join(exportsDir, file));
      return c.body(new Uint8Array(body), 200, { "content-type": EXPORT_TYPES[format], "content-disposition": `attachment; filename="participants.${format}"`, "cache-control": "private, no-store" });
    } catch {
      return c.notFound();
    }
  });
}
