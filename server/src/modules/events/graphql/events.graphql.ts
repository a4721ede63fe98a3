import { pageArgs, parseId, parseRef } from "../../../graphql/ids.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { spendOnce } from "../../../graphql/context.ts";
import { circleOf } from "../../../graphql/place-args.ts";
import { mapAddress } from "../../../graphql/mappers.ts";
import { invalid } from "../../../kernel/index.ts";
import { toPicture } from "../../../graphql/media-input.ts";
import type { User } from "../../users/index.ts";
import { slugify } from "../../content/index.ts";
import { apiIdOf, isLongEvent, type Event, type EventInput, type EventSearch, type SearchSort } from "../index.ts";

const typeDefs = /* GraphQL */ `
  input EventOptionsInput {
    maximumAttendeeCapacity: Int
    remainingAttendeeCapacity: Int
    showRemainingAttendeeCapacity: Boolean
    anonymousParticipation: Boolean = false
    offers: [EventOfferInput]
    participationConditions: [EventParticipationConditionInput]
    attendees: [String]
    program: String
    commentModeration: EventCommentModeration
    showParticipationPrice: Boolean
    hideNumberOfParticipants: Boolean
    showStartTime: Boolean
    showEndTime: Boolean
    timezone: Timezone
    hideOrganizerWhenGroupEvent: Boolean
    isOnline: Boolean
  }
  input AddressInput {
    geom: Point
    street: String
    locality: String
    postalCode: String
    region: String
    country: String
    description: String
    type: String
    url: String
    id: ID
    originId: String
    timezone: Timezone
  }
  input EventMetadataInput {
    key: String!
    title: String
    value: String!
    type: EventMetadataType
  }
  input EventOfferInput {
    price: Float
    priceCurrency: String
    url: String
  }
  input EventParticipationConditionInput {
    title: String
    content: String
    url: String
  }
  input Contact {
    id: String
  }
  type Events {
    total: Int!
    elements: [EventSearchResult]!
  }
  enum EventType {
    IN_PERSON
    ONLINE
  }
  enum SearchEventSortOptions {
    MATCH_DESC
    START_TIME_ASC
    START_TIME_DESC
    CREATED_AT_DESC
    CREATED_AT_ASC
    PARTICIPANT_COUNT_DESC
  }
  enum SearchTarget {
    SELF
    INTERNAL
    GLOBAL
  }
  extend type RootQueryType {
    "What a URL names (Mobilizon's remote interaction page): an event of this instance or of another one."
    interact(uri: String!): Interactable
    event(uuid: UUID!): Event
    events(location: String, radius: Float, page: Int = 1, limit: Int = 10, orderBy: EventOrderBy = BEGINS_ON, direction: SortDirection = ASC, longEvents: Boolean): PaginatedEventList
    searchEvents(term: String = "", tags: String, location: String, type: EventType, category: String, categoryOneOf: [String], statusOneOf: [EventStatus], languageOneOf: [String], boostLanguages: [String], searchTarget: SearchTarget = INTERNAL, radius: Float = 50, longEvents: Boolean, bbox: String, zoom: Int, page: Int = 1, limit: Int = 10, beginsOn: DateTime, endsOn: DateTime, sortBy: SearchEventSortOptions = MATCH_DESC): Events
    tags(filter: String, page: Int = 1, limit: Int = 10): [Tag]!
    "Upcoming public events by category."
    categoryStatistics: [CategoryStatistics]
  }
  type CategoryStatistics {
    key: String
    number: Int
  }
  extend type RootMutationType {
    createEvent(title: String!, description: String!, beginsOn: DateTime!, endsOn: DateTime, status: EventStatus, visibility: EventVisibility = PUBLIC, joinOptions: EventJoinOptions = FREE, externalParticipationUrl: String, tags: [String] = [], picture: MediaInput, publishAt: DateTime, onlineAddress: String, phoneAddress: String, organizerActorId: ID!, attributedToId: ID, category: EventCategory = MEETING, physicalAddress: AddressInput, options: EventOptionsInput = {anonymousParticipation: false}, metadata: [EventMetadataInput], draft: Boolean = false, contacts: [Contact] = [], language: String = "und"): Event
    # Mobilizon declares defaults for visibility, joinOptions and language here; a partial update would then reset
    # them. Omitted arguments keep their current value instead (Mobilizon's client always sends them all).
    updateEvent(eventId: ID!, title: String, description: String, beginsOn: DateTime, endsOn: DateTime, status: EventStatus, visibility: EventVisibility, joinOptions: EventJoinOptions, externalParticipationUrl: String, tags: [String], picture: MediaInput, onlineAddress: String, phoneAddress: String, organizerActorId: ID, attributedToId: ID, category: EventCategory, physicalAddress: AddressInput, options: EventOptionsInput, metadata: [EventMetadataInput], draft: Boolean, contacts: [Contact] = [], language: String): Event
    deleteEvent(eventId: ID!): DeletedObject
  }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function toInput(args: any): Promise<EventInput> {
  const language = args.language === "und" ? null : args.language;
  return {
    title: args.title,
    description: args.description,
    beginsOn: args.beginsOn,
    endsOn: args.endsOn,
    status: args.status,
    visibility: args.visibility,
    joinOptions: args.joinOptions,
    externalParticipationUrl: args.externalParticipationUrl,
    tags: args.tags,
    picture: await toPicture(args.picture, "picture"),
    onlineAddress: args.onlineAddress,
    phoneAddress: args.phoneAddress,
    organizerActorId: args.organizerActorId != null ? parseId(args.organizerActorId, "organizerActorId") : args.organizerActorId,
    // Mobilizon's client sends "" or null for an event of no group.
    attributedToId: args.attributedToId === undefined ? undefined : args.attributedToId === null || args.attributedToId === "" ? null : parseId(args.attributedToId, "attributedToId"),
    category: args.category,
    physicalAddress: args.physicalAddress,
    options: args.options,
    metadata: args.metadata,
    draft: args.draft,
    ...(args.language !== undefined && { language }),
  };
}

const MAX_SEARCH_TAGS = 20;

/** "minLon,minLat,maxLon,maxLat" → a box. */
function parseBbox(bbox: string | null | undefined) {
  if (!bbox) return null;
  const n = bbox.split(/[,:_;]/).map(Number);
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) throw invalid("bbox", "bbox must be minLon,minLat,maxLon,maxLat");
  const [minLon, minLat, maxLon, maxLat] = n;
  return { minLat: Math.min(minLat, maxLat), maxLat: Math.max(minLat, maxLat), minLon: Math.min(minLon, maxLon), maxLon: Math.max(minLon, maxLon) };
}

export const eventsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      event: (_, args, ctx) => ctx.services.events.getByUuid(ctx.principal, args.uuid),
      events: async (_, args, ctx) => {
        const { page, limit } = pageArgs(args);
        const sort: SearchSort = args.orderBy === "INSERTED_AT" || args.orderBy === "UPDATED_AT" ? (args.direction === "DESC" ? "CREATED_AT_DESC" : "CREATED_AT_ASC") : args.direction === "DESC" ? "START_TIME_DESC" : "START_TIME_ASC";
        return ctx.services.events.search({ from: new Date(), circle: circleOf(args.location, args.radius), longEvents: args.longEvents, sort, page, limit });
      },
      interact: (_, args, ctx) => {
        spendOnce(ctx, "remote-lookup", "One look-up on another server per request");
        return ctx.services.remoteEvents.byUri(ctx.principal, String(args.uri), ctx.ip);
      },
      searchEvents: async (_, args, ctx) => {
        // A pasted URL is looked up (on its server when it is another's), as on Mobilizon's search page.
        if (/^https?:\/\/\S+$/i.test(String(args.term ?? "").trim())) {
          spendOnce(ctx, "remote-lookup", "One look-up on another server per request");
          const e = await ctx.services.remoteEvents.byUri(ctx.principal, String(args.term), ctx.ip);
          return { total: e ? 1 : 0, elements: e ? [e] : [] };
        }
        const { page, limit } = pageArgs(args);
        const tags: string[] = args.tags ? String(args.tags).split(",").map((t: string) => t.trim()).filter(Boolean) : [];
        if (tags.length > MAX_SEARCH_TAGS) throw invalid("tags", `Search for at most ${MAX_SEARCH_TAGS} tags at once`);
        const s: EventSearch = {
          term: args.term,
          tags,
          categories: [...(args.category ? [args.category] : []), ...(args.categoryOneOf ?? [])],
          statuses: args.statusOneOf ?? [],
          languages: args.languageOneOf ?? [],
          type: args.type,
          circle: circleOf(args.location, args.radius),
          bbox: parseBbox(args.bbox),
          from: args.beginsOn ?? new Date(),
          to: args.endsOn,
          longEvents: args.longEvents,
          sort: args.sortBy ?? "MATCH_DESC",
          page,
          limit,
        };
        if (s.to && s.to.getTime() < s.from.getTime()) throw invalid("endsOn", "endsOn must be after beginsOn");
        return ctx.services.events.search(s);
      },
      categoryStatistics: (_, __, ctx) => ctx.services.events.categoryStatistics(),
      tags: (_, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.events.tags(args.filter ?? null, page, limit);
      },
    },
    FollowedGroupEvent: {
      event: (f: { event: Event }) => f.event,
      group: (f: { groupId: number }, _, ctx) => ctx.loaders.actor.load(f.groupId),
      profile: (f: { profileId: number }, _, ctx) => ctx.loaders.actor.load(f.profileId),
      user: () => null,
    },
    Group: {
      organizedEvents: (g: { id: number }, args, ctx) =>
        ctx.services.events.byGroup(ctx.principal, g.id, {
          after: args.afterDatetime ?? null,
          before: args.beforeDatetime ?? null,
          order: args.order ?? "BEGINS_ON",
          direction: args.orderDirection ?? "ASC",
          ...pageArgs(args),
        }),
    },
    Person: {
      organizedEvents: (a: { id: number }, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.events.organizedBy(ctx.principal, a.id, page, limit);
      },
    },
    User: {
      followedGroupEvents: (u: User, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.events.followedGroupEvents(ctx.principal, u, args.afterDatetime ?? null, page, limit);
      },
      drafts: (u: User, args, ctx) => {
        const { page, limit } = pageArgs(args);
        return ctx.services.events.drafts(ctx.principal, u, page, limit);
      },
    },
    RootMutationType: {
      createEvent: async (_, args, ctx) => ctx.services.events.create(ctx.principal, await toInput(args)),
      updateEvent: async (_, args, ctx) => ctx.services.events.update(ctx.principal, parseRef(args.eventId, "eventId"), await toInput(args)),
      deleteEvent: async (_, args, ctx) => ({ id: apiIdOf(await ctx.services.events.delete(ctx.principal, parseRef(args.eventId, "eventId"))) }),
    },
    Event: {
      id: (e: Event) => apiIdOf(e),
      slug: (e: Event) => slugify(e.title),
      longEvent: (e: Event) => isLongEvent(e),
      picture: (e: Event, _, ctx) => (e.pictureId ? ctx.loaders.media.load(e.pictureId) : null),
      physicalAddress: async (e: Event, _, ctx) => (e.physicalAddressId ? mapAddress(await ctx.loaders.address.load(e.physicalAddressId)) : null),
      // A group's event whose organizer asked to stay hidden shows the group as its organizer, except to those who run it.
      organizerActor: async (e: Event, _, ctx) =>
        e.attributedToId && e.options.hideOrganizerWhenGroupEvent && !(await ctx.loaders.canManage.load(e)) ? ctx.loaders.actor.load(e.attributedToId) : ctx.loaders.actor.load(e.organizerActorId),
      attributedTo: (e: Event, _, ctx) => (e.attributedToId ? ctx.loaders.actor.load(e.attributedToId) : null),
      tags: async (e: Event, _, ctx) => (await ctx.loaders.tags.load(e.id)).map((t) => ({ id: String(t.id), slug: t.slug, title: t.title, related: [] })),
      media: () => [],
      contacts: () => [],
      relatedEvents: (e: Event, _, ctx) => ctx.services.events.related(e),
      options: async (e: Event, _, ctx) => {
        // The seats left reveal the count of participants: shown only if the organizer chose to show them.
        const max = e.options.maximumAttendeeCapacity;
        const show = max > 0 && (e.options.showRemainingAttendeeCapacity || (await ctx.loaders.canManage.load(e)));
        const s = show ? await ctx.loaders.stats.load(e.id) : null;
        const seated = s ? s.participant + s.moderator + s.administrator : 0;
        return { ...e.options, remainingAttendeeCapacity: show ? Math.max(0, max - seated) : null };
      },
    },
  },
};

