import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { join } from "node:path";
import type { Executor } from "../../db/index.ts";
import { newToken } from "../../kernel/index.ts";
import type { Actor } from "../actors/index.ts";
import { participationRepository as repo } from "./participation.repository.ts";
import type { ParticipantRole } from "./participation.types.ts";

export type ExportFormat = "CSV" | "ODS" | "PDF";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["CSV", "ODS", "PDF"];

/**
 * A CSV field, quoted when needed, and defused against spreadsheet formula injection: a formula may start the cell,
 * or any piece of it a spreadsheet might cut off as a cell of its own — French spreadsheets split CSV on ";", others on
 * tabs, and line breaks start rows. Each such piece that starts (after spaces) with =, +, -, @, a tab or a CR gets a
 * leading apostrophe, which spreadsheets read as "this is text".
 */
export function csvField(v: string): string {
  const safe = v.replace(/(?<=^|[,;\t\r\n])([ ]*)(?=[=+\-@\t\r])/g, "$1'");
  return /[",;\t\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADERS: Record<string, string[]> = {
  en: ["Name", "Username", "Role", "Joined on", "Message"],
  fr: ["Nom", "Nom d'utilisateur", "Rôle", "Inscription le", "Message"],
};

type Row = string[];

/**
 * The participants of an event with the given roles, as rows, read from the database in batches so that a long list
 * never sits in memory. People who joined without an account stay anonymous: their e-mail is for confirmations only.
 */
async function* participantRows(db: Executor, eventId: number, roles: readonly ParticipantRole[], lookupActors: (ids: number[]) => Promise<Actor[]>): AsyncGenerator<Row[]> {
  for await (const batch of repo.streamByEvent(db, eventId, roles)) {
    const actors = new Map((await lookupActors(batch.map((p) => p.actorId).filter((x): x is number => x !== null))).map((a) => [a.id, a]));
    yield batch.map((p) => {
      const a = p.actorId ? actors.get(p.actorId) : null;
      return [a?.name ?? "", a ? `@${a.preferredUsername}` : "anonymous", p.role, p.insertedAt.toISOString(), p.message ?? ""];
    });
  }
}

async function write(out: WriteStream, chunk: string | Uint8Array) {
  if (!out.write(chunk)) await once(out, "drain");
}

async function writeCsv(out: WriteStream, header: Row, rows: AsyncGenerator<Row[]>) {
  // A byte-order mark lets spreadsheet programs read the file as UTF-8.
  await write(out, "\uFEFF" + header.map(csvField).join(",") + "\r\n");
  for await (const batch of rows) await write(out, batch.map((r) => r.map(csvField).join(",") + "\r\n").join(""));
}

// XML 1.0 forbids most control characters: they are dropped.
// eslint-disable-next-line no-control-regex
const xml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

/** An OpenDocument spreadsheet: a zip whose first entry is the uncompressed mimetype, then the manifest and content. */
async function writeOds(out: WriteStream, header: Row, rows: AsyncGenerator<Row[]>) {
  const { Zip, ZipDeflate, ZipPassThrough, strToU8 } = await import("fflate");
  const pending: Promise<void>[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else pending.push(write(out, chunk));
  });
  const add = (name: string, text: string, stored = false) => {
    const f = stored ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  add("mimetype", "application/vnd.oasis.opendocument.spreadsheet", true);
  add("META-INF/manifest.xml", `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`);
  const content = new ZipDeflate("content.xml", { level: 6 });
  zip.add(content);
  const row = (r: Row) => `<table:table-row>${r.map((c) => `<table:table-cell office:value-type="string"><text:p>${xml(c)}</text:p></table:table-cell>`).join("")}</table:table-row>`;
  content.push(strToU8(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Participants">${row(header)}`));
  for await (const batch of rows) {
    content.push(strToU8(batch.map(row).join("")));
    await Promise.all(pending.splice(0));
  }
  content.push(strToU8("</table:table></office:spreadsheet></office:body></office:document-content>"), true);
  zip.end();
  await Promise.all(pending);
  if (failure) throw failure;
}

/** A printable list: title, date, then one line per participant. */
async function writePdf(out: WriteStream, title: string, header: Row, rows: AsyncGenerator<Row[]>) {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "A4", margin: 40, info: { Title: title } });
  doc.pipe(out);
  doc.fontSize(16).text(title).moveDown(0.5).fontSize(9).fillColor("#555").text(header.join("  ·  ")).moveDown(0.5).fillColor("#000").fontSize(10);
  for await (const batch of rows)
    for (const r of batch) doc.text(`${r[0] || r[1]}  (${r[1]})  —  ${r[2]}  —  ${r[3].slice(0, 10)}${r[4] ? `\n    “${r[4]}”` : ""}`);
  doc.end();
  await once(out, "finish");
}

/**
 * Writes an event's participants with the given roles to a file in the chosen format. The file name is an
 * unguessable token: the download link is the capability, valid until the hourly clean-up removes it.
 */
export async function writeParticipantsExport(
  db: Executor,
  dir: string,
  format: ExportFormat,
  event: { id: number; title: string },
  roles: readonly ParticipantRole[],
  lookupActors: (ids: number[]) => Promise<Actor[]>,
  locale: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${newToken(18)}.${format.toLowerCase()}`;
  const out = createWriteStream(join(dir, name));
  const header = HEADERS[locale] ?? HEADERS.en;
  const rows = participantRows(db, event.id, roles, lookupActors);
  try {
    if (format === "CSV") await writeCsv(out, header, rows);
    else if (format === "ODS") await writeOds(out, header, rows);
    else return (await writePdf(out, event.title, header, rows), name);
    out.end();
    await once(out, "finish");
  } catch (e) {
    out.destroy();
    await rm(join(dir, name), { force: true });
    throw e;
  }
  return name;
}

/** Deletes export files older than `maxAgeMs` (hourly task). */
export async function removeOldExports(dir: string, maxAgeMs: number, now: Date): Promise<number> {
  let removed = 0;
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    const p = join(dir, f);
    if (now.getTime() - (await stat(p)).mtimeMs > maxAgeMs) {
      await rm(p, { force: true });
      removed++;
    }
  }
  return removed;
}
