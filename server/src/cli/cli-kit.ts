import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { DomainError } from "../kernel/index.ts";

/** A failure the CLI reports as one line on stderr with a non-zero exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

export type Command = {
  name: string;
  usage: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  run(args: { positionals: string[]; values: Record<string, string | boolean | undefined> }, io: Io): Promise<void>;
};

export type Io = { out: (line: string) => void };

/** Parses the flags of a command; accepts Mobilizon's snake_case spellings (--profile_username) too. */
export function parse(cmd: Command, argv: string[]) {
  const normalised = argv.map((a) => (a.startsWith("--") ? a.replace(/_/g, "-") : a));
  try {
    const r = parseArgs({ args: normalised, options: cmd.options, allowPositionals: true, strict: true });
    return { positionals: r.positionals, values: r.values as Record<string, string | boolean | undefined> };
  } catch (e) {
    throw new CliError(`${(e as Error).message}\nUsage: convene ${cmd.usage}`, 2);
  }
}

/** Turns a service's expected failure into a CLI error. */
export function explain(e: unknown): never {
  if (e instanceof DomainError) throw new CliError(`${e.field ? `${e.field}: ` : ""}${e.message}`);
  throw e;
}

export function requirePositional(cmd: Command, positionals: string[], what: string): string {
  const v = positionals[0];
  if (!v) throw new CliError(`Missing ${what}.\nUsage: convene ${cmd.usage}`, 2);
  return v;
}
