import { CliError, explain, requirePositional, type Command } from "./cli-kit.ts";
import { openApp } from "./context.ts";

export const usersDelete: Command = {
  name: "users delete",
  usage: "users delete EMAIL --yes",
  summary: "Delete an account and its profiles",
  options: { yes: { type: "boolean", short: "y" }, "assume-yes": { type: "boolean" } },
  async run({ positionals, values }, io) {
    const email = requirePositional(this, positionals, "EMAIL");
    if (!values.yes && !values["assume-yes"]) throw new CliError(`This deletes ${email} and its profiles for good: add --yes to confirm.`, 2);
    const app = await openApp();
    const u = await app.services.users.findByEmail(email);
    if (!u) throw new CliError(`No account with e-mail ${email}`);
    await app.services.users.deleteById(u.id).catch(explain);
    io.out(`Deleted ${email}`);
  },
};
