import type { UserRole } from "../modules/users/index.ts";
import { CliError, explain, requirePositional, type Command } from "./cli-kit.ts";
import { openApp } from "./context.ts";
import { describeUser } from "./users-show.ts";

export const usersNew: Command = {
  name: "users new",
  usage: "users new EMAIL --password PASSWORD [--admin | --moderator] [--profile-username NAME] [--profile-display-name NAME]",
  summary: "Create a confirmed account (and optionally its first profile)",
  options: {
    password: { type: "string" },
    admin: { type: "boolean" },
    moderator: { type: "boolean" },
    "profile-username": { type: "string" },
    "profile-display-name": { type: "string" },
  },
  async run({ positionals, values }, io) {
    const email = requirePositional(this, positionals, "EMAIL");
    if (typeof values.password !== "string") throw new CliError(`Missing --password.\nUsage: convene ${this.usage}`, 2);
    if (values.admin && values.moderator) throw new CliError("Choose one of --admin and --moderator", 2);
    const role: UserRole = values.admin ? "ADMINISTRATOR" : values.moderator ? "MODERATOR" : "USER";
    const app = await openApp();
    const user = await app.services.users.adminCreate({ email, password: values.password, role }).catch(explain);
    if (typeof values["profile-username"] === "string") {
      await app.services.actors
        .createForUser(user.id, { preferredUsername: values["profile-username"], name: (values["profile-display-name"] as string) ?? null })
        .catch(async (e) => {
          await app.services.users.deleteById(user.id);
          explain(e);
        });
    }
    io.out(`Created ${role.toLowerCase()} account ${user.email}`);
    io.out(await describeUser(user.id));
  },
};
