export type ParticipantRole = "NOT_APPROVED" | "NOT_CONFIRMED" | "PARTICIPANT" | "MODERATOR" | "ADMINISTRATOR" | "CREATOR" | "REJECTED";
export const ROLES: readonly ParticipantRole[] = ["NOT_APPROVED", "NOT_CONFIRMED", "PARTICIPANT", "MODERATOR", "ADMINISTRATOR", "CREATOR", "REJECTED"];

/** Roles of people who are coming ("going" in the counts). */
export const GOING: readonly ParticipantRole[] = ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR", "CREATOR"];
/** Roles that take one of the seats of a capacity-limited event: everyone going but the organizer who created it. */
export const SEATED: readonly ParticipantRole[] = ["PARTICIPANT", "MODERATOR", "ADMINISTRATOR"];
/** Roles that may manage participants. */
export const ORGANIZING: readonly ParticipantRole[] = ["MODERATOR", "ADMINISTRATOR", "CREATOR"];

export type Participant = {
  id: number;
  uuid: string;
  eventId: number;
  actorId: number | null;
  role: ParticipantRole;
  email: string | null;
  message: string | null;
  locale: string | null;
  timezone: string | null;
  /** The id of its Join: ours for local participants, the participant's server's for remote ones. */
  url: string | null;
  insertedAt: Date;
  updatedAt: Date;
};

export type ParticipantStats = {
  going: number;
  notApproved: number;
  notConfirmed: number;
  rejected: number;
  participant: number;
  moderator: number;
  administrator: number;
  creator: number;
};

export const emptyStats = (): ParticipantStats => ({ going: 0, notApproved: 0, notConfirmed: 0, rejected: 0, participant: 0, moderator: 0, administrator: 0, creator: 0 });

export const MAX_JOIN_MESSAGE = 2000;
