import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import type { Executor } from "../../db/index.ts";
import { newToken } from "../../kernel/index.ts";
import type { Actor } from "../actors/index.ts";
import { participationRepository as repo } from "./participation.repository.ts";
import type { ParticipantRole } from "./participation.types.ts";

/** A CSV field, quoted when needed, and defused against spreadsheet formula injection. */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADERS: Record<string, string[]> = {
  en: ["Name", "Username", "Role", "Joined on", "Message"],
  fr: ["Nom", "Nom d'utilisateur", "Rôle", "Inscription le", "Message"],
};

/**
 * Writes an event's participants with the given roles to a CSV file, streaming from the database in batches so that a
 * large list never sits in memory. The file name is an unguessable token: the download link is the capability.
 */
export async function writeParticipantsCsv(
  db: Executor,
  dir: string,
  eventId: number,
  roles: readonly ParticipantRole[],
  lookupActors: (ids: number[]) => Promise<Actor[]>,
  locale: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = `${newToken(18)}.csv`;
  const out = createWriteStream(join(dir, name), { encoding: "utf8" });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, "drain");
  };
  // A byte-order mark lets spreadsheet programs read the file as UTF-8.
  await write("\uFEFF" + (HEADERS[locale] ?? HEADERS.en).map(csvField).join(",") + "\r\n");
  for await (const batch of repo.streamByEvent(db, eventId, roles)) {
    const actors = new Map((await lookupActors(batch.map((p) => p.actorId).filter((x): x is number => x !== null))).map((a) => [a.id, a]));
    for (const p of batch) {
      const a = p.actorId ? actors.get(p.actorId) : null;
      // People who joined without an account stay anonymous: their e-mail is for confirmations, not for lists.
      await write([a?.name ?? "", a ? `@${a.preferredUsername}` : "anonymous", p.role, p.insertedAt.toISOString(), p.message ?? ""].map(csvField).join(",") + "\r\n");
    }
  }
  out.end();
  await once(out, "finish");
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
