import type { GqlContext } from "../../../graphql/context.ts";
import { pageArgs, parseId, parseRef } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { DomainError } from "../../../kernel/index.ts";
import type { Actor } from "../../actors/index.ts";
import type { Event } from "../../events/index.ts";
import type { User } from "../../users/index.ts";
import { ROLES, visibleStats, type Participant, type ParticipantRole } from "../index.ts";

const typeDefs = /* GraphQL */ `
  type DeletedParticipant {
    id: ID
    event: Event
    actor: Actor
  }
  type ParticipantExport {
    path: String
    format: ExportFormatEnum
  }
  enum ExportFormatEnum {
    CSV
    PDF
    ODS
  }
  extend type RootMutationType {
    exportEventParticipants(eventId: ID!, roles: [ParticipantRoleEnum] = [], format: ExportFormatEnum): ParticipantExport
    joinEvent(eventId: ID!, actorId: ID!, email: String, message: String, locale: String, timezone: Timezone): Participant
    confirmParticipation(confirmationToken: String!): Participant
    leaveEvent(eventId: ID!, actorId: ID!, token: String): DeletedParticipant
    updateParticipation(id: ID!, role: ParticipantRoleEnum!): Participant
  }
`;

/** "participant,moderator" (Mobilizon's lower-case list) → roles. */
function parseRoles(s: string | null | undefined): ParticipantRole[] | null {
  if (!s) return null;
  const roles = s.split(",").map((r) => r.trim().toUpperCase()).filter(Boolean);
  const bad = roles.filter((r) => !ROLES.includes(r as ParticipantRole));
  if (bad.length) throw new DomainError("validation", `Unknown roles: ${bad.join(", ")}`, "roles");
  return roles as ParticipantRole[];
}

const loadEvent = (ctx: GqlContext, id: number) => ctx.loaders.event.load(id);

export const participationsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootMutationType: {
      joinEvent: (_, args, ctx) =>
        ctx.services.participations.joinEvent(
          ctx.principal,
          { event: parseRef(args.eventId, "eventId"), actorId: parseId(args.actorId, "actorId"), email: args.email, message: args.message, locale: args.locale, timezone: args.timezone },
          ctx.ip,
        ),
      confirmParticipation: (_, args, ctx) => ctx.services.participations.confirmAnonymous(args.confirmationToken),
      leaveEvent: async (_, args, ctx) => {
        const r = await ctx.services.participations.leaveEvent(ctx.principal, { event: parseRef(args.eventId, "eventId"), actorId: parseId(args.actorId, "actorId"), token: args.token });
        return { ...r, id: String(r.id) };
      },
      updateParticipation: (_, args, ctx) => ctx.services.participations.updateRole(ctx.principal, parseId(args.id), args.role),
      exportEventParticipants: (_, args, ctx) => ctx.services.participations.exportList(ctx.principal, parseRef(args.eventId, "eventId"), args.roles, args.format ?? "CSV"),
    },
    DeletedParticipant: {
      event: (p: { eventId: number }, _, ctx) => loadEvent(ctx, p.eventId),
      actor: (p: { actorId: number }, _, ctx) => ctx.loaders.actor.load(p.actorId),
    },
    Participant: {
      id: (p: Participant) => String(p.id),
      event: (p: Participant, _, ctx) => loadEvent(ctx, p.eventId),
      actor: async (p: Participant, _, ctx) => (p.actorId ? ctx.loaders.actor.load(p.actorId) : ctx.services.actors.anonymousActor()),
      // The cancellation token is shown once, to the person who just joined without an account.
      metadata: (p: Participant & { cancellationToken?: string }) => ({ cancellationToken: p.cancellationToken ?? null, message: p.message, locale: p.locale }),
    },
    Event: {
      participantStats: async (e: Event, _, ctx) => {
        const [stats, manager] = await Promise.all([ctx.loaders.stats.load(e.id), ctx.loaders.canManage.load(e)]);
        return visibleStats(stats, manager, e.options.hideNumberOfParticipants);
      },
      participants: async (e: Event, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.participations.list(ctx.principal, e, parseRoles(args.roles), page, limit);
      },
    },
    Person: {
      participations: async (a: Actor, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.participations.ofActor(ctx.principal, a.id, { event: args.eventId ? parseRef(args.eventId, "eventId") : null, page, limit });
      },
    },
    User: {
      participations: async (u: User, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.participations.ofUser(ctx.principal, u, { after: args.afterDatetime, before: args.beforeDatetime, page, limit });
      },
    },
  },
};
