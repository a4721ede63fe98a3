import { CliError, requirePositional, type Command } from "./cli-kit.ts";
import { openApp } from "./context.ts";

/** A readable summary of an account and its profiles. */
export async function describeUser(id: number): Promise<string> {
  const app = await openApp();
  const u = await app.services.users.findById(id);
  if (!u) throw new CliError("No such account");
  const actors = await app.services.actors.findByUsers([u.id]);
  return [
    `  id:         ${u.id}`,
    `  email:      ${u.email}${u.unconfirmedEmail ? ` (changing to ${u.unconfirmedEmail})` : ""}`,
    `  role:       ${u.role}`,
    `  confirmed:  ${u.confirmedAt ? u.confirmedAt.toISOString() : "no"}`,
    `  disabled:   ${u.disabled ? "yes" : "no"}`,
    `  locale:     ${u.locale}`,
    `  last login: ${u.currentSignInAt ? u.currentSignInAt.toISOString() : "never"}`,
    `  profiles:   ${actors.length ? actors.map((a) => `@${a.preferredUsername}${a.id === u.defaultActorId ? " (default)" : ""}`).join(", ") : "none"}`,
  ].join("\n");
}

export const usersShow: Command = {
  name: "users show",
  usage: "users show EMAIL",
  summary: "Show an account",
  options: {},
  async run({ positionals }, io) {
    const email = requirePositional(this, positionals, "EMAIL");
    const app = await openApp();
    const u = await app.services.users.findByEmail(email);
    if (!u) throw new CliError(`No account with e-mail ${email}`);
    io.out(await describeUser(u.id));
  },
};
