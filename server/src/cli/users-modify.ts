import type { UserRole } from "../modules/users/index.ts";
import { CliError, explain, requirePositional, type Command } from "./cli-kit.ts";
import { openApp } from "./context.ts";
import { describeUser } from "./users-show.ts";

export const usersModify: Command = {
  name: "users modify",
  usage: "users modify EMAIL [--email NEW] [--password P] [--admin | --moderator | --user] [--disable | --enable] [--confirm | --unconfirm]",
  summary: "Change an account's e-mail, password, role, disabled or confirmed state",
  options: {
    email: { type: "string" },
    password: { type: "string" },
    admin: { type: "boolean" },
    moderator: { type: "boolean" },
    user: { type: "boolean" },
    disable: { type: "boolean" },
    enable: { type: "boolean" },
    confirm: { type: "boolean" },
    unconfirm: { type: "boolean" },
  },
  async run({ positionals, values }, io) {
    const email = requirePositional(this, positionals, "EMAIL");
    const roles = (["admin", "moderator", "user"] as const).filter((r) => values[r]);
    if (roles.length > 1) throw new CliError("Choose one of --admin, --moderator and --user", 2);
    if (values.disable && values.enable) throw new CliError("Choose one of --disable and --enable", 2);
    if (values.confirm && values.unconfirm) throw new CliError("Choose one of --confirm and --unconfirm", 2);
    const role: UserRole | undefined = roles[0] === "admin" ? "ADMINISTRATOR" : roles[0] === "moderator" ? "MODERATOR" : roles[0] === "user" ? "USER" : undefined;
    const patch = {
      role,
      email: values.email as string | undefined,
      password: values.password as string | undefined,
      disabled: values.disable ? true : values.enable ? false : undefined,
      confirmed: values.confirm ? true : values.unconfirm ? false : undefined,
    };
    if (Object.values(patch).every((v) => v === undefined)) throw new CliError(`Nothing to change.\nUsage: convene ${this.usage}`, 2);
    const app = await openApp();
    const u = await app.services.users.findByEmail(email);
    if (!u) throw new CliError(`No account with e-mail ${email}`);
    await app.services.users.adminModify(u.id, patch).catch(explain);
    io.out(`Updated ${email}`);
    io.out(await describeUser(u.id));
  },
};
