import type { SchemaSlice } from "../../../graphql/resolvers.ts";

// Groups have not landed yet (issue 9). Mobilizon's search page asks for events and groups in one operation, so
// searchGroups must exist and answer honestly meanwhile: this instance has no groups to find.
const typeDefs = /* GraphQL */ `
  type Groups {
    total: Int!
    elements: [GroupSearchResult]!
  }
  enum SearchGroupSortOptions {
    MATCH_DESC
    MEMBER_COUNT_ASC
    MEMBER_COUNT_DESC
    CREATED_AT_ASC
    CREATED_AT_DESC
    LAST_EVENT_ACTIVITY
  }
  extend type RootQueryType {
    "Groups matching a search. This instance has no groups yet: the answer is an empty page."
    searchGroups(term: String = "", location: String, excludeMyGroups: Boolean, minimumVisibility: GroupVisibility, radius: Float = 50, languageOneOf: [String], boostLanguages: [String], searchTarget: SearchTarget = INTERNAL, bbox: String, zoom: Int, page: Int = 1, limit: Int = 10, sortBy: SearchGroupSortOptions = MATCH_DESC): Groups
  }
`;

export const groupsSlice: SchemaSlice = {
  typeDefs,
  resolvers: {
    RootQueryType: {
      searchGroups: () => ({ total: 0, elements: [] }),
    },
  },
};
