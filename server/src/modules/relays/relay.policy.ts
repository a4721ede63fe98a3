import { forbidden } from "../../kernel/index.ts";
import type { Principal } from "../users/index.ts";

/** Instance follows and blocks are the administrators' (Mobilizon's rule): moderators and others are refused. */
export function requireRelayAdmin(caller: Principal): void {
  caller.requireUser();
  if (!caller.admin) throw forbidden("You need to be an administrator");
}
