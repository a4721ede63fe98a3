import { invalid } from "../../kernel/index.ts";

export type ActorType = "Person" | "Group" | "Application";

export type Actor = {
  id: number;
  type: ActorType;
  preferredUsername: string;
  domain: string | null;
  name: string | null;
  summary: string | null;
  url: string;
  userId: number | null;
  avatarId: number | null;
  bannerId: number | null;
  visibility: string;
  suspended: boolean;
  manuallyApprovesFollowers: boolean;
  insertedAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  /** Where a remote actor receives and lists; null for local actors (their URLs follow the instance's layout). */
  endpoints: RemoteEndpoints | null;
  /** When a remote actor's document was last read from its server. */
  lastRefreshedAt: Date | null;
  /** Groups: how people join (OPEN, MODERATED, INVITE_ONLY); null for other actors. */
  openness: string | null;
  /** Groups: where the group is based. */
  physicalAddressId: number | null;
};

export type RemoteEndpoints = {
  inbox: string;
  sharedInbox: string | null;
  outbox: string | null;
  followers: string | null;
  following: string | null;
  members: string | null;
};

/** A remote actor as read from its document, ready to be stored. */
export type RemoteActorInput = {
  url: string;
  type: ActorType;
  preferredUsername: string;
  domain: string;
  name: string | null;
  summary: string | null;
  endpoints: RemoteEndpoints;
  manuallyApprovesFollowers: boolean;
  discoverable: boolean;
  /** Groups: how people join (OPEN, MODERATED, INVITE_ONLY). */
  openness?: string | null;
  publicKey: { id: string; pem: string } | null;
};

/** A key pair (local actors) or public key (remote ones) named by its id. */
export type ActorKey = { actorId: number; keyId: string; publicKeyPem: string; privateKeyPem: string | null };

export const MAX_USERNAME_LENGTH = 100;
export const MAX_NAME_LENGTH = 200;
export const MAX_SUMMARY_LENGTH = 5000;
export const MAX_IDENTITIES_PER_USER = 30;

// Names the instance keeps for itself (its relay actor, anonymous participants).
const RESERVED = new Set(["relay", "anonymous", "instance"]);

/**
 * Usernames as Mobilizon accepts them: lower-case letters, digits and underscores only (upper case refused since
 * Mobilizon 1.0.3). Leading/trailing spaces are forgiven.
 */
export function checkUsername(raw: string): string {
  const u = raw.trim();
  if (u.length === 0) throw invalid("preferredUsername", "Username can't be empty");
  if (u.length > MAX_USERNAME_LENGTH) throw invalid("preferredUsername", `Username is too long (at most ${MAX_USERNAME_LENGTH} characters)`);
  if (!/^[a-z0-9_]+$/.test(u))
    throw invalid("preferredUsername", "Username must only contain lowercase alphanumeric characters and underscores.");
  if (RESERVED.has(u)) throw invalid("preferredUsername", "This username is reserved");
  return u;
}

/** A display name: trimmed, bounded, empty becomes null. */
export function checkName(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const n = raw.trim();
  if (n.length > MAX_NAME_LENGTH) throw invalid("name", `The name is too long (at most ${MAX_NAME_LENGTH} characters)`);
  return n || null;
}

/**
 * A profile description: plain text with line breaks, stored and served as typed (Mobilizon's clients show it as
 * text). Wherever Convene renders it as HTML it escapes it first.
 */
export function checkSummary(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.replace(/\r\n/g, "\n").trim();
  if (s.length > MAX_SUMMARY_LENGTH) throw invalid("summary", `The description is too long (at most ${MAX_SUMMARY_LENGTH} characters)`);
  return s || null;
}

