import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import { EVENT_CATEGORIES } from "../index.ts";

const typeDefs = /* GraphQL */ `
  type Statistics {
    numberOfUsers: Int
    numberOfEvents: Int
    numberOfLocalEvents: Int
    numberOfComments: Int
    numberOfLocalComments: Int
    numberOfGroups: Int
    numberOfLocalGroups: Int
    numberOfInstanceFollowers: Int
    numberOfInstanceFollowings: Int
  }
  type Language {
    code: String
    name: String
  }
  extend type RootQueryType {
    config: Config
    "The instance's statistics (its about page)."
    statistics: Statistics
    "Languages by ISO 639-1 code, named in the reader's language; codes keeps only those."
    languages(codes: [String]): [Language]
  }
`;

/**
 * The public configuration. Values of features that have not landed say so honestly (no web push, no resource
 * providers); nothing points at a third party unless the admin configured one.
 */
export const configSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      statistics: (_, __, ctx) => ctx.services.instance.statistics(),
      languages: (_, args, ctx) => ctx.services.instance.languages(ctx.user?.locale ?? ctx.config.defaultLocale, args.codes),
      config: async (_, __, ctx) => {
        const i = ctx.services.instance.get();
        const anonymousActor = await ctx.services.actors.anonymousActor();
        return {
          name: i.name,
          description: i.description,
          longDescription: "",
          slogan: null,
          contact: null,
          languages: i.languages,
          eventCategories: EVENT_CATEGORIES,
          registrationsOpen: i.registrationsOpen,
          registrationsAllowlist: i.registrationsAllowlist,
          demoMode: false,
          longEvents: true,
          durationOfLongEvent: 30,
          countryCode: null,
          location: null,
          geocoding: { autocomplete: true, provider: ctx.services.geocoding.providerName },
          // Without a configured tile server, the instance's own neutral tiles (http/map-tiles.route.ts): no third
          // party is called, and Mobilizon's client, whose maps throw on a null endpoint, still works.
          maps: {
            tiles: ctx.config.mapTiles ? { endpoint: ctx.config.mapTiles.url, attribution: ctx.config.mapTiles.attribution } : { endpoint: ctx.services.urls.mapTiles(), attribution: "" },
            routing: { type: "OPENSTREETMAP" },
          },
          anonymous: {
            participation: { allowed: ctx.config.anonymousParticipation, validation: { email: { enabled: true, confirmationRequired: true }, captcha: { enabled: false } } },
            eventCreation: { allowed: false, validation: { email: { enabled: false, confirmationRequired: false }, captcha: { enabled: false } } },
            reports: { allowed: false },
            actorId: String(anonymousActor.id),
          },
          resourceProviders: [],
          uploadLimits: i.uploadLimits,
          timezones: ctx.services.instance.timezones(),
          features: { groups: true, eventCreation: true, eventExternal: true, antispam: false },
          restrictions: { onlyAdminCanCreateGroups: ctx.config.onlyAdminsCreateGroups, onlyGroupsCanCreateEvents: false },
          version: i.version,
          federating: ctx.config.federation,
          terms: { url: null, type: "DEFAULT", bodyHtml: null },
          privacy: { url: null, type: "DEFAULT", bodyHtml: null },
          instanceLogo: null,
          defaultPicture: null,
          primaryColor: null,
          secondaryColor: null,
          rules: null,
          auth: { ldap: false, databaseLogin: true, oauthProviders: [] },
          instanceFeeds: { enabled: false },
          webPush: { enabled: false, publicKey: null },
          exportFormats: { eventParticipants: ["CSV", "ODS", "PDF"] },
          analytics: [],
          search: { global: { isEnabled: false, isDefault: false } },
        };
      },
    },
  },
};
