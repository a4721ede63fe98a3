import { ConfigError } from "../config/index.ts";
import { actorsNew } from "./actors-new.ts";
import { CliError, parse, type Command } from "./cli-kit.ts";
import { closeApp } from "./context.ts";
import { dbMigrate } from "./db-migrate.ts";
import { usersDelete } from "./users-delete.ts";
import { usersModify } from "./users-modify.ts";
import { usersNew } from "./users-new.ts";
import { usersShow } from "./users-show.ts";
import { workerRun } from "./worker-run.ts";

const COMMANDS: Command[] = [usersNew, usersShow, usersModify, usersDelete, actorsNew, dbMigrate, workerRun];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: npx convene <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Details: npx convene <command> --help",
    "The instance's configuration is read from the environment (see README.md).",
  ].join("\n");
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l) }): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.out(help());
    return 0;
  }
  const cmd = COMMANDS.find((c) => {
    const words = c.name.split(" ");
    return words.every((w, i) => argv[i] === w);
  });
  if (!cmd) {
    // "users --help": the commands of that group.
    const group = COMMANDS.filter((c) => c.name.split(" ")[0] === argv[0] && c.name.includes(" "));
    if (group.length && (argv[1] === "--help" || argv[1] === "-h" || argv.length === 1)) {
      io.out([`Commands of ${argv[0]}:`, ...group.map((c) => `  npx convene ${c.usage}\n      ${c.summary}`)].join("\n"));
      return argv.length === 1 ? 2 : 0;
    }
    io.err(`Unknown command: ${argv.join(" ")}\n\n${help()}`);
    return 2;
  }
  const rest = argv.slice(cmd.name.split(" ").length);
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(`Usage: npx convene ${cmd.usage}\n\n${cmd.summary}\n`);
    return 0;
  }
  try {
    await cmd.run(parse(cmd, rest), io);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`Error: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof ConfigError) {
      io.err(e.message);
      return 1;
    }
    io.err(`Error: ${(e as Error).message}`);
    return 1;
  } finally {
    await closeApp();
  }
}
