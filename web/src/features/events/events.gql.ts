// GraphQL documents of the events pages, in Mobilizon's API.
export const EVENT_CARD = `id uuid title beginsOn endsOn status visibility draft options { timezone isOnline }
  physicalAddress { locality description } picture { url alt } organizerActor { preferredUsername name }`;

export const EVENT_FULL = `id uuid url title description beginsOn endsOn status visibility joinOptions externalParticipationUrl draft
  category language onlineAddress phoneAddress longEvent
  picture { id url alt }
  physicalAddress { description street locality postalCode region country geom timezone }
  local organizerActor { id preferredUsername domain name avatar { url alt } }
  attributedTo { id preferredUsername domain name avatar { url alt } }
  tags { title slug }
  metadata { key title value type }
  options { maximumAttendeeCapacity remainingAttendeeCapacity showRemainingAttendeeCapacity anonymousParticipation
    commentModeration hideNumberOfParticipants showStartTime showEndTime timezone isOnline hideOrganizerWhenGroupEvent }
  participantStats { going notApproved participant }`;

export const COMMENT_FIELDS = `id uuid text isAnnouncement visibility insertedAt updatedAt deletedAt totalReplies
  actor { id preferredUsername domain name avatar { url alt } }`;

export const GET_EVENT = `query Event($uuid: UUID!) { event(uuid: $uuid) { ${EVENT_FULL}
  comments { ${COMMENT_FIELDS} replies { ${COMMENT_FIELDS} inReplyToComment { id } } } } }`;

export const MY_PARTICIPATION = `query MyParticipation($eventId: ID!) { loggedUser { actors { id participations(eventId: $eventId) { elements { id role } } } } }`;

export const UPCOMING = `query Upcoming($limit: Int) { events(limit: $limit) { total elements { ${EVENT_CARD} } } }`;

export const SEARCH = `query Search($term: String, $location: String, $radius: Float, $type: EventType, $category: String, $beginsOn: DateTime, $endsOn: DateTime, $tags: String, $page: Int, $limit: Int, $sortBy: SearchEventSortOptions) {
  searchEvents(term: $term, location: $location, radius: $radius, type: $type, category: $category, beginsOn: $beginsOn, endsOn: $endsOn, tags: $tags, page: $page, limit: $limit, sortBy: $sortBy) {
    total elements { ... on Event { ${EVENT_CARD} } } } }`;

export const EVENT_ARGS = `$title: String!, $description: String!, $beginsOn: DateTime!, $endsOn: DateTime, $status: EventStatus, $visibility: EventVisibility,
  $joinOptions: EventJoinOptions, $externalParticipationUrl: String, $tags: [String], $picture: MediaInput, $onlineAddress: String,
  $organizerActorId: ID!, $category: EventCategory, $physicalAddress: AddressInput, $options: EventOptionsInput, $metadata: [EventMetadataInput], $draft: Boolean, $language: String, $attributedToId: ID`;
export const EVENT_PASS = `title: $title, description: $description, beginsOn: $beginsOn, endsOn: $endsOn, status: $status, visibility: $visibility,
  joinOptions: $joinOptions, externalParticipationUrl: $externalParticipationUrl, tags: $tags, picture: $picture, onlineAddress: $onlineAddress,
  organizerActorId: $organizerActorId, category: $category, physicalAddress: $physicalAddress, options: $options, metadata: $metadata, draft: $draft, language: $language, attributedToId: $attributedToId`;

export const CREATE_EVENT = `mutation CreateEvent(${EVENT_ARGS}) { createEvent(${EVENT_PASS}) { id uuid } }`;
export const UPDATE_EVENT = `mutation UpdateEvent($eventId: ID!, ${EVENT_ARGS.replace("$organizerActorId: ID!", "$organizerActorId: ID").replace("$beginsOn: DateTime!", "$beginsOn: DateTime").replace("$title: String!", "$title: String").replace("$description: String!", "$description: String")}) {
  updateEvent(eventId: $eventId, ${EVENT_PASS}) { id uuid } }`;

/** The groups whose events the account's identities may publish (moderator or administrator). */
export const MY_MODERATED_GROUPS = `query MyModeratedGroups { loggedUser { memberships(limit: 100) { elements { role actor { id } parent { id preferredUsername name domain } } } } }`;
