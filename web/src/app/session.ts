// The signed-in account and its identities, shared by every page.
import { computed, reactive } from "vue";
import { gql } from "./graphql.ts";
import { tokens } from "./tokens.ts";

export type Identity = { id: string; preferredUsername: string; name: string | null; summary: string; avatar: { url: string; alt: string | null } | null };
export type SessionUser = { id: string; email: string; locale: string; role: string; defaultActor: Identity | null; actors: Identity[] };

export const IDENTITY_FIELDS = `id preferredUsername name summary avatar { url alt }`;
const USER_FIELDS = `id email locale role defaultActor { ${IDENTITY_FIELDS} } actors { ${IDENTITY_FIELDS} }`;

const state = reactive<{ user: SessionUser | null; loaded: boolean }>({ user: null, loaded: false });

export const session = {
  state,
  isLoggedIn: computed(() => !!state.user),
  current: computed(() => state.user?.defaultActor ?? state.user?.actors[0] ?? null),

  /** Loads the account behind the stored tokens, if any. */
  async load(): Promise<void> {
    if (!tokens.access && !tokens.refresh) {
      state.user = null;
      state.loaded = true;
      return;
    }
    try {
      const d = await gql<{ loggedUser: SessionUser }>(`{ loggedUser { ${USER_FIELDS} } }`);
      state.user = d.loggedUser;
    } catch {
      tokens.clear();
      state.user = null;
    }
    state.loaded = true;
  },

  async login(email: string, password: string): Promise<SessionUser> {
    const d = await gql<{ login: { accessToken: string; refreshToken: string; user: SessionUser } }>(
      `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken user { ${USER_FIELDS} } } }`,
      { email, password },
    );
    tokens.set(d.login.accessToken, d.login.refreshToken);
    state.user = d.login.user;
    return d.login.user;
  },

  /** Opens a session from a token-bearing mutation (validateUser, resetPassword). */
  async adopt(mutation: string, variables: Record<string, unknown>, field: string): Promise<SessionUser> {
    const d = await gql<Record<string, { accessToken: string; refreshToken: string; user: SessionUser }>>(
      mutation.replace("__USER__", USER_FIELDS),
      variables,
    );
    tokens.set(d[field].accessToken, d[field].refreshToken);
    state.user = d[field].user;
    return d[field].user;
  },

  async logout(): Promise<void> {
    if (tokens.refresh) await gql(`mutation($t: String!) { logout(refreshToken: $t) }`, { t: tokens.refresh }).catch(() => undefined);
    tokens.clear();
    state.user = null;
  },

  /** Forgets the session locally (account deleted, password changed elsewhere). */
  forget() {
    tokens.clear();
    state.user = null;
  },

  async reload(): Promise<void> {
    await this.load();
  },
};
