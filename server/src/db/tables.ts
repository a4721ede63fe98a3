import type { ColumnType, Generated } from "kysely";

/**
 * The database schema as Kysely sees it. Timestamps are written as Date and read back as Date (PostgreSQL) or ISO
 * text (SQLite); booleans are read back as boolean or 0/1. Repositories normalise with `toDate`/`toBool`
 * (db/values.ts), so the rest of the code sees one shape.
 */
type Timestamp = ColumnType<Date | string, Date, Date>;
type NullableTimestamp = ColumnType<Date | string | null, Date | null | undefined, Date | null>;
type Bool = ColumnType<boolean | number, boolean | undefined, boolean>;

export interface InstanceSettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  role: "USER" | "MODERATOR" | "ADMINISTRATOR";
  locale: string;
  confirmed_at: NullableTimestamp;
  confirmation_sent_at: NullableTimestamp;
  disabled: Bool;
  default_actor_id: number | null;
  unconfirmed_email: string | null;
  current_sign_in_at: NullableTimestamp;
  current_sign_in_ip: string | null;
  last_sign_in_at: NullableTimestamp;
  last_sign_in_ip: string | null;
  password_changed_at: NullableTimestamp;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserSettingsTable {
  user_id: number;
  timezone: string | null;
  notification_on_day: Bool;
  notification_each_week: Bool;
  notification_before_event: Bool;
  notification_pending_participation: string;
  notification_pending_membership: string;
  group_notifications: string;
  location_name: string | null;
  location_geohash: string | null;
  location_range: number | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserTokensTable {
  id: Generated<number>;
  user_id: number;
  kind: "confirm" | "reset" | "email_change";
  token_hash: string;
  data: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  inserted_at: Timestamp;
}

export interface RefreshTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  family: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  inserted_at: Timestamp;
}

export interface ActorsTable {
  id: Generated<number>;
  type: "Person" | "Group" | "Application";
  preferred_username: string;
  domain: string | null;
  name: string | null;
  summary: string | null;
  url: string;
  user_id: number | null;
  avatar_id: number | null;
  banner_id: number | null;
  visibility: string;
  suspended: Bool;
  manually_approves_followers: Bool;
  inserted_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
  /** Where a remote actor receives and lists (null for local actors: their URLs follow the instance's layout). */
  inbox_url: string | null;
  shared_inbox_url: string | null;
  outbox_url: string | null;
  followers_url: string | null;
  following_url: string | null;
  members_url: string | null;
  last_refreshed_at: NullableTimestamp;
  /** Groups: how people join (OPEN, MODERATED, INVITE_ONLY); null for other actors. */
  openness: string | null;
  physical_address_id: number | null;
}

export interface ActorKeysTable {
  actor_id: number;
  key_id: string;
  public_key_pem: string;
  private_key_pem: string | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface FollowsTable {
  id: Generated<number>;
  url: string;
  follower_id: number;
  target_id: number;
  approved: Bool;
  notify: Bool;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembersTable {
  id: Generated<number>;
  url: string;
  parent_id: number;
  actor_id: number;
  role: string;
  invited_by_id: number | null;
  message: string | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface PostsTable {
  id: Generated<number>;
  uuid: string;
  slug: string;
  url: string;
  local: Bool;
  author_id: number | null;
  attributed_to_id: number;
  title: string;
  body: string;
  draft: Bool;
  visibility: string;
  language: string | null;
  picture_id: number | null;
  publish_at: NullableTimestamp;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface PostTagsTable {
  post_id: number;
  tag_id: number;
}

export interface DiscussionsTable {
  id: Generated<number>;
  uuid: string;
  slug: string;
  url: string;
  title: string;
  group_id: number;
  creator_id: number | null;
  last_comment_id: number | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResourcesTable {
  id: Generated<number>;
  uuid: string;
  url: string;
  title: string;
  summary: string | null;
  type: string;
  resource_url: string | null;
  metadata: string | null;
  path: string;
  parent_id: number | null;
  group_id: number;
  creator_id: number | null;
  published_at: NullableTimestamp;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface TodoListsTable {
  id: Generated<number>;
  uuid: string;
  url: string;
  title: string;
  group_id: number;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface TodosTable {
  id: Generated<number>;
  uuid: string;
  url: string;
  title: string;
  status: Bool;
  due_date: NullableTimestamp;
  todo_list_id: number;
  creator_id: number | null;
  assigned_to_id: number | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface ActivitiesTable {
  id: Generated<number>;
  group_id: number;
  type: string;
  subject: string;
  subject_params: string;
  author_id: number | null;
  object_type: string | null;
  object_id: number | null;
  inserted_at: Timestamp;
}

export interface TombstonesTable {
  uri: string;
  former_type: string;
  actor_id: number | null;
  deleted_at: Timestamp;
}

export interface InstancesTable {
  domain: string;
  software: string | null;
  software_version: string | null;
  node_name: string | null;
  blocked: Bool;
  silenced: Bool;
  failing_since: NullableTimestamp;
  last_failure: string | null;
  failed_deliveries: Generated<number>;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface ActivityReceiptsTable {
  key: string;
  received_at: Timestamp;
}

export interface MediaTable {
  id: Generated<number>;
  uuid: string;
  actor_id: number | null;
  name: string;
  alt: string | null;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  blurhash: string | null;
  path: string;
  /** Where a remote media lives (pictures of remote actors and events are not copied). */
  remote_url: string | null;
  inserted_at: Timestamp;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  name: string;
  payload: string;
  run_at: Timestamp;
  attempts: number;
  max_attempts: number;
  locked_until: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  failed_at: NullableTimestamp;
  unique_key: string | null;
  ordering_key: string | null;
  inserted_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface AddressesTable {
  id: Generated<number>;
  description: string | null;
  street: string | null;
  locality: string | null;
  postal_code: string | null;
  region: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  type: string | null;
  url: string | null;
  origin_id: string | null;
  timezone: string | null;
  inserted_at: Timestamp;
}

export interface EventsTable {
  id: Generated<number>;
  uuid: string;
  url: string;
  local: Bool;
  organizer_actor_id: number;
  attributed_to_id: number | null;
  title: string;
  description: string;
  begins_on: Timestamp;
  ends_on: NullableTimestamp;
  publish_at: NullableTimestamp;
  status: string;
  visibility: string;
  join_options: string;
  external_participation_url: string | null;
  draft: Bool;
  picture_id: number | null;
  physical_address_id: number | null;
  latitude: number | null;
  longitude: number | null;
  online_address: string | null;
  phone_address: string | null;
  is_online: Bool;
  long_event: Bool;
  category: string | null;
  language: string | null;
  options: string;
  metadata: string;
  series_id: number | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface TagsTable {
  id: Generated<number>;
  title: string;
  slug: string;
}

export interface EventTagsTable {
  event_id: number;
  tag_id: number;
}

export interface ParticipantsTable {
  id: Generated<number>;
  uuid: string;
  event_id: number;
  actor_id: number | null;
  role: string;
  email: string | null;
  message: string | null;
  locale: string | null;
  timezone: string | null;
  confirmation_token_hash: string | null;
  cancellation_token_hash: string | null;
  inserted_at: Timestamp;
  updated_at: Timestamp;
  /** The id of its Join activity (ours, or the remote participant's server's). */
  url: string | null;
}

export interface CommentsTable {
  id: Generated<number>;
  uuid: string;
  url: string;
  event_id: number | null;
  /** A discussion's message (event_id is then null). */
  discussion_id: ColumnType<number | null, number | null | undefined, number | null>;
  actor_id: number | null;
  in_reply_to_comment_id: number | null;
  origin_comment_id: number | null;
  text: string;
  is_announcement: Bool;
  visibility: string;
  language: string | null;
  local: Bool;
  published_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  inserted_at: Timestamp;
  updated_at: Timestamp;
}

export interface FeedTokensTable {
  token: string;
  user_id: number;
  actor_id: number | null;
  inserted_at: Timestamp;
}

export interface PlacesTable {
  id: number;
  name: string;
  search_name: string;
  country: string;
  admin_code: string | null;
  population: number;
  latitude: number;
  longitude: number;
}

export interface MediaReferencesTable {
  media_id: number;
  owner_type: string;
  owner_id: number;
}

export interface UploadFilesTable {
  uuid: string;
  path: string;
  inserted_at: Timestamp;
}

export interface ActivitySettingsTable {
  user_id: number;
  key: string;
  method: string;
  enabled: Bool;
}

export interface Database {
  instance_settings: InstanceSettingsTable;
  users: UsersTable;
  user_settings: UserSettingsTable;
  user_tokens: UserTokensTable;
  refresh_tokens: RefreshTokensTable;
  actors: ActorsTable;
  media: MediaTable;
  jobs: JobsTable;
  rate_limits: RateLimitsTable;
  addresses: AddressesTable;
  events: EventsTable;
  tags: TagsTable;
  event_tags: EventTagsTable;
  participants: ParticipantsTable;
  comments: CommentsTable;
  feed_tokens: FeedTokensTable;
  places: PlacesTable;
  media_references: MediaReferencesTable;
  upload_files: UploadFilesTable;
  activity_settings: ActivitySettingsTable;
  actor_keys: ActorKeysTable;
  follows: FollowsTable;
  members: MembersTable;
  posts: PostsTable;
  post_tags: PostTagsTable;
  discussions: DiscussionsTable;
  resources: ResourcesTable;
  todo_lists: TodoListsTable;
  todos: TodosTable;
  activities: ActivitiesTable;
  tombstones: TombstonesTable;
  instances: InstancesTable;
  activity_receipts: ActivityReceiptsTable;
}
