import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";

const fail = (msg: string) => new GraphQLError(msg);

const parseDateTime = (v: unknown): Date => {
  if (typeof v !== "string") throw fail("DateTime must be an ISO 8601 string");
  // An explicit offset is required: a date without one is ambiguous across timezones.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v)) throw fail(`Invalid DateTime: ${v}`);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw fail(`Invalid DateTime: ${v}`);
  return d;
};

const literalString = (ast: ValueNode, name: string) => {
  if (ast.kind !== Kind.STRING) throw fail(`${name} must be a string`);
  return ast.value;
};

/** An instant, ISO 8601 with an offset; serialised in UTC. */
export const DateTime = new GraphQLScalarType({
  name: "DateTime",
  serialize: (v) => (v instanceof Date ? v.toISOString() : typeof v === "string" ? new Date(v).toISOString() : null),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(literalString(ast, "DateTime")),
});

/** A date and time without timezone, as Mobilizon exposes some timestamps. */
export const NaiveDateTime = new GraphQLScalarType({
  name: "NaiveDateTime",
  serialize: (v) => (v instanceof Date ? v.toISOString().replace(/\.\d+Z$/, "").replace(/Z$/, "") : v),
  parseValue: (v) => {
    if (typeof v !== "string" || Number.isNaN(new Date(v).getTime())) throw fail("Invalid NaiveDateTime");
    return new Date(v);
  },
  parseLiteral: (ast) => new Date(literalString(ast, "NaiveDateTime")),
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const parseUuid = (v: unknown) => {
  if (typeof v !== "string" || !UUID_RE.test(v)) throw fail("Invalid UUID");
  return v.toLowerCase();
};
export const UUID = new GraphQLScalarType({
  name: "UUID",
  serialize: (v) => v,
  parseValue: parseUuid,
  parseLiteral: (ast) => parseUuid(literalString(ast, "UUID")),
});

/** "longitude;latitude", as Mobilizon writes geographic points. */
const parsePoint = (v: unknown) => {
  if (typeof v !== "string") throw fail("Point must be a string");
  const [lon, lat] = v.split(";").map(Number);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) throw fail("Invalid Point");
  return v;
};
export const Point = new GraphQLScalarType({
  name: "Point",
  serialize: (v) => v,
  parseValue: parsePoint,
  parseLiteral: (ast) => parsePoint(literalString(ast, "Point")),
});

const parseTimezone = (v: unknown) => {
  if (typeof v !== "string") throw fail("Timezone must be a string");
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
  } catch {
    throw fail(`Unknown timezone: ${v}`);
  }
  return v;
};
/** An IANA timezone name. */
export const Timezone = new GraphQLScalarType({
  name: "Timezone",
  serialize: (v) => v,
  parseValue: parseTimezone,
  parseLiteral: (ast) => parseTimezone(literalString(ast, "Timezone")),
});

/** A file sent with the GraphQL multipart request; the HTTP layer puts a web `File` in the variables. */
export const Upload = new GraphQLScalarType({
  name: "Upload",
  serialize: () => null,
  parseValue: (v) => {
    if (v instanceof File) return v;
    throw fail("Upload must be a file sent with a multipart request");
  },
  parseLiteral: () => {
    throw fail("Upload must be a variable");
  },
});

export const scalars = { DateTime, NaiveDateTime, UUID, Point, Timezone, Upload };
