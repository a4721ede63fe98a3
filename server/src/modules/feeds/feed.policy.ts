import { notFound } from "../../kernel/index.ts";
import type { User } from "../users/index.ts";
import type { FeedToken } from "./feed.repository.ts";

/** Private feed tokens are the account's own: not even the instance's staff read them. */
export const mayReadTokens = (caller: User | null, accountId: number): boolean => caller?.id === accountId;

/** Only the account that made a token revokes it; another's token reads as unknown. */
export function requireOwnToken(t: FeedToken | null, accountId: number): FeedToken {
  if (!t || t.userId !== accountId) throw notFound("Feed token");
  return t;
}
