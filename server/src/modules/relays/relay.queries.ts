import { sql } from "kysely";
import { containing, toBool, toDate, type Executor } from "../../db/index.ts";

export type FollowStatus = "APPROVED" | "PENDING" | "NONE";

/** One server as Mobilizon's admin screens show it (the Instance type). */
export type InstanceRow = {
  domain: string;
  followerStatus: FollowStatus;
  followedStatus: FollowStatus;
  eventCount: number;
  personCount: number;
  groupCount: number;
  followersCount: number;
  followingsCount: number;
  reportsCount: number;
  mediaSize: number;
  hasRelay: boolean;
  relayAddress: string | null;
  instanceName: string | null;
  instanceDescription: string | null;
  software: string | null;
  softwareVersion: string | null;
  blocked: boolean;
  silenced: boolean;
  /** Since when deliveries to it fail (null: they succeed), and the last failure. */
  failingSince: Date | null;
  lastFailure: string | null;
};

type Raw = {
  domain: string;
  events: number | string;
  persons: number | string;
  groups: number | string;
  media_size: number | string | null;
  followers: number | string;
  followings: number | string;
  we_follow: number | string | boolean | null;
  they_follow: number | string | boolean | null;
  relay_user: string | null;
  software: string | null;
  software_version: string | null;
  node_name: string | null;
  blocked: number | boolean | null;
  silenced: number | boolean | null;
  failing_since: Date | string | null;
  last_failure: string | null;
};

const status = (v: Raw["we_follow"]): FollowStatus => (v === null || v === undefined ? "NONE" : toBool(v as number | boolean) || v === "1" ? "APPROVED" : "PENDING");

const row = (r: Raw): InstanceRow => ({
  domain: r.domain,
  followerStatus: status(r.we_follow),
  followedStatus: status(r.they_follow),
  eventCount: Number(r.events),
  personCount: Number(r.persons),
  groupCount: Number(r.groups),
  followersCount: Number(r.followers),
  followingsCount: Number(r.followings),
  reportsCount: 0,
  mediaSize: Number(r.media_size ?? 0),
  hasRelay: r.relay_user !== null,
  relayAddress: r.relay_user ? `${r.relay_user}@${r.domain}` : null,
  instanceName: r.node_name,
  instanceDescription: null,
  software: r.software,
  softwareVersion: r.software_version,
  blocked: !!r.blocked && toBool(r.blocked as number | boolean),
  silenced: !!r.silenced && toBool(r.silenced as number | boolean),
  failingSince: toDate(r.failing_since),
  lastFailure: r.last_failure,
});

/** Servers known here (their actors' domains, and those an administrator acted on), with counts and follow states. */
function base(db: Executor, relayId: number) {
  const domains = sql<{ domain: string }>`(select domain from actors where domain is not null union select domain from instances)`;
  return db
    .selectFrom(domains.as("d"))
    .leftJoin("instances as i", "i.domain", "d.domain")
    .select([
      "d.domain as domain",
      sql<number>`(select count(*) from events e join actors a on a.id = e.organizer_actor_id where a.domain = d.domain)`.as("events"),
      sql<number>`(select count(*) from actors a where a.domain = d.domain and a.type = 'Person' and a.deleted_at is null)`.as("persons"),
      sql<number>`(select count(*) from actors a where a.domain = d.domain and a.type = 'Group' and a.deleted_at is null)`.as("groups"),
      sql<number>`(select count(*) from follows f join actors a on a.id = f.follower_id where a.domain = d.domain and f.approved = ${true})`.as("followers"),
      sql<number>`(select count(*) from follows f join actors a on a.id = f.target_id where a.domain = d.domain and f.approved = ${true})`.as("followings"),
      sql<number>`(select coalesce(sum(m.size), 0) from media m join actors a on a.id = m.actor_id where a.domain = d.domain)`.as("media_size"),
      sql<boolean>`(select f.approved from follows f join actors a on a.id = f.target_id where f.follower_id = ${relayId} and a.domain = d.domain order by f.id desc limit 1)`.as("we_follow"),
      sql<boolean>`(select f.approved from follows f join actors a on a.id = f.follower_id where f.target_id = ${relayId} and a.domain = d.domain order by f.id desc limit 1)`.as("they_follow"),
      sql<string>`(select a.preferred_username from actors a where a.domain = d.domain and a.type = 'Application' order by a.id limit 1)`.as("relay_user"),
      "i.software as software",
      "i.software_version as software_version",
      "i.node_name as node_name",
      "i.blocked as blocked",
      "i.silenced as silenced",
      "i.failing_since as failing_since",
      "i.last_failure as last_failure",
    ]);
}

export const relayQueries = {
  /** Known servers, filtered, counted and paged in the database (an instance may know tens of thousands). */
  async instances(db: Executor, relayId: number, f: { filter: string | null; follow: "ALL" | "FOLLOWING" | "FOLLOWED"; suspended: boolean; page: number; limit: number }) {
    let q = base(db, relayId);
    if (f.filter) q = q.where("d.domain", "like", containing(f.filter.slice(0, 255)));
    if (f.follow === "FOLLOWING") q = q.where(sql<boolean>`exists (select 1 from follows f join actors a on a.id = f.target_id where f.follower_id = ${relayId} and a.domain = d.domain)`);
    if (f.follow === "FOLLOWED") q = q.where(sql<boolean>`exists (select 1 from follows f join actors a on a.id = f.follower_id where f.target_id = ${relayId} and a.domain = d.domain)`);
    if (f.suspended) q = q.where("i.blocked", "=", true as never);
    const { n } = await db
      .selectFrom(q.as("counted"))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const rows = await q
      .orderBy(sql`events`, "desc")
      .orderBy("d.domain")
      .limit(f.limit)
      .offset((f.page - 1) * f.limit)
      .execute();
    return { total: Number(n), elements: (rows as unknown as Raw[]).map(row) };
  },
  async instance(db: Executor, relayId: number, domain: string): Promise<InstanceRow | null> {
    const r = await base(db, relayId).where("d.domain", "=", domain).executeTakeFirst();
    return r ? row(r as unknown as Raw) : null;
  },
};
