import { CliError, explain, type Command } from "./cli-kit.ts";
import { openApp } from "./context.ts";

export const actorsNew: Command = {
  name: "actors new",
  usage: "actors new --email EMAIL --username NAME [--display-name NAME] [--summary TEXT]",
  summary: "Create a profile for an existing account",
  options: {
    email: { type: "string" },
    username: { type: "string" },
    "display-name": { type: "string" },
    summary: { type: "string" },
    type: { type: "string" },
  },
  async run({ values }, io) {
    if (typeof values.email !== "string" || typeof values.username !== "string")
      throw new CliError(`Missing --email or --username.\nUsage: convene ${this.usage}`, 2);
    if (values.type !== undefined && values.type !== "person") throw new CliError("Only --type person is supported until groups land", 2);
    const app = await openApp();
    const u = await app.services.users.findByEmail(values.email);
    if (!u) throw new CliError(`No account with e-mail ${values.email}`);
    const a = await app.services.actors
      .createForUser(u.id, { preferredUsername: values.username, name: (values["display-name"] as string) ?? null, summary: (values.summary as string) ?? null })
      .catch(explain);
    io.out(`Created profile @${a.preferredUsername} (id ${a.id}) for ${u.email}`);
  },
};
