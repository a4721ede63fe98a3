// The signed-in account's role in a group (the highest of its identities'), for pages that show tools by role.
import { ref, type Ref } from "vue";
import { gql } from "../../app/graphql.ts";
import { session } from "../../app/session.ts";
import { highestRole, MY_GROUP_ROLE } from "./groups.gql.ts";

export function useGroupRole(): { role: Ref<string | null>; load: (name: string) => Promise<void> } {
  const role = ref<string | null>(null);
  async function load(name: string) {
    if (!session.isLoggedIn.value) return void (role.value = null);
    type R = { loggedUser: { actors: { memberships: { elements: { role: string }[] } }[] } };
    const d = await gql<R>(MY_GROUP_ROLE, { name }).catch(() => null);
    role.value = d ? highestRole(d.loggedUser.actors.flatMap((a) => a.memberships.elements.map((m) => m.role))) : null;
  }
  return { role, load };
}
