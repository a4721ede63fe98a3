/** Normalises a timestamp read from either dialect (Date from PostgreSQL, ISO text from SQLite). */
export function toDate(v: Date | string): Date;
export function toDate(v: Date | string | null | undefined): Date | null;
export function toDate(v: Date | string | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(v);
}

/** Normalises a boolean read from either dialect (boolean from PostgreSQL, 0/1 from SQLite). */
export const toBool = (v: boolean | number | null | undefined): boolean => v === true || v === 1;

/** A LIKE pattern for text that contains `s` (lower-cased; its own wildcards and escapes dropped). */
export const containing = (s: string): string => `%${s.toLowerCase().replace(/[%_\\]/g, "")}%`;
