import { spendOnce } from "../../../graphql/context.ts";
import type { SchemaSlice } from "../../../graphql/resolvers.ts";
import type { GeocodedPlace } from "../index.ts";

const typeDefs = /* GraphQL */ `
  enum AddressSearchType {
    ADMINISTRATIVE
  }
  extend type RootQueryType {
    searchAddress(query: String!, locale: String = "en", page: Int = 1, limit: Int = 10, type: AddressSearchType): [Address]
    reverseGeocode(longitude: Float!, latitude: Float!, zoom: Int = 15, locale: String = "en"): [Address]
  }
`;

const ONCE = "One place search per request: send searchAddress and reverseGeocode in separate requests";

const toAddress = (p: GeocodedPlace) => ({ ...p, id: null, geom: `${p.longitude};${p.latitude}`, pictureInfo: null });

export const geocodingSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      searchAddress: async (_, args, ctx) => {
        spendOnce(ctx, "geocoder", ONCE);
        return (await ctx.services.geocoding.search(args.query, { locale: args.locale, limit: args.limit })).map(toAddress);
      },
      reverseGeocode: async (_, args, ctx) => {
        spendOnce(ctx, "geocoder", ONCE);
        return (await ctx.services.geocoding.reverse(args.latitude, args.longitude, { locale: args.locale, zoom: args.zoom })).map(toAddress);
      },
    },
  },
};
