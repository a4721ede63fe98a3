import { readFileSync } from "node:fs";
import type { Config } from "./config/index.ts";
import { instanceSecret, migrateToLatest, openDatabase, type DatabaseHandle, type Tx } from "./db/index.ts";
import { createSchema } from "./graphql/schema.ts";
import { GraphQLHandler } from "./graphql/handler.ts";
import { Federation } from "./federation/federation.ts";
import type { Services } from "./graphql/context.ts";
import { jobHandlers } from "./jobs/handlers.ts";
import { DbJobQueue, WorkerGroup } from "./jobs/queue.ts";
import { Scheduler } from "./jobs/scheduler.ts";
import { EventBus, OutboundHttp, Signer, Urls, createLogger, systemClock, type Clock, type Logger } from "./kernel/index.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { ActorService, FederatedActorService, type ActorEvent } from "./modules/actors/index.ts";
import { TombstoneService } from "./modules/tombstones/index.ts";
import { FollowService, type FollowEvent } from "./modules/follows/index.ts";
import { PeerService } from "./modules/peers/index.ts";
import { RelayService } from "./modules/relays/index.ts";
import { ReportService } from "./modules/reports/index.ts";
import { NO_REMOTE_LOOKUP, type RemoteLookup } from "./modules/actors/index.ts";
import { CommentService, type CommentEvent } from "./modules/comments/index.ts";
import { EventService, RemoteEventService, type EventEvent } from "./modules/events/index.ts";
import { FeedService, type FeedEvent } from "./modules/feeds/index.ts";
import { GroupFollowerService, GroupService, MemberService, type GroupEvent } from "./modules/groups/index.ts";
import { PostService, type PostEvent } from "./modules/posts/index.ts";
import { DiscussionService, type DiscussionEvent } from "./modules/discussions/index.ts";
import { LinkPreviewer, ResourceService, type ResourceEvent } from "./modules/resources/index.ts";
import { TodoService, type TodoEvent } from "./modules/todos/index.ts";
import { ActivityService } from "./modules/activity/index.ts";
import { AddokProvider, GeocodingService, NominatimProvider, OfflineGazetteer, PhotonProvider, type GeocoderProvider } from "./modules/geocoding/index.ts";
import { GroupEventNotices, ParticipationService, type ParticipationEvent } from "./modules/participations/index.ts";
import { createRequire } from "node:module";
import { InstanceService } from "./modules/instance/index.ts";
import { MediaService, type MediaEvent } from "./modules/media/index.ts";
import { AccessTokens, UserService, type UserEvent } from "./modules/users/index.ts";

/** Every domain event of every module: what the composition root's listeners (the federation outbox) see. */
export type AppEvent = UserEvent | ActorEvent | MediaEvent | EventEvent | ParticipationEvent | CommentEvent | FollowEvent | FeedEvent | GroupEvent | PostEvent | DiscussionEvent | ResourceEvent | TodoEvent;

export const VERSION: string = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;

export type App = {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  queue: DbJobQueue;
  worker: WorkerGroup;
  scheduler: Scheduler;
  mailer: Mailer;
  services: Services;
  graphql: GraphQLHandler;
  federation: Federation;
  close(): Promise<void>;
};

/**
 * Wires the modules together: opens and migrates the database, builds services, the job worker and the GraphQL
 * handler. Used by the server (main.ts), the CLI and the tests, so that all three run the same code.
 */
export async function createApp(config: Config, opts: { clock?: Clock; logger?: Logger; migrate?: boolean } = {}): Promise<App> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config.database, {
    // Correctness does not depend on it (nothing is cached meanwhile), but a lost listener slows every request.
    onWatchError: (err) => logger.warn("row cache paused: the connection listening for database changes failed; reconnecting", { err }),
  });
  try {
    if (opts.migrate !== false) await migrateToLatest(database.db);
  } catch (e) {
    await database.close();
    throw e;
  }
  const db = database.db;
  const bus = new EventBus<Tx, AppEvent>();
  const queue = new DbJobQueue(db, database.dialect, clock);
  const secret = await instanceSecret(db, config.secretKey);
  const tokens = new AccessTokens(secret, config.baseUrl);
  const urls = new Urls(config.baseUrl);

  const users = new UserService({
    db,
    clock,
    queue,
    bus,
    tokens,
    urls,
    settings: {
      instanceName: config.instanceName,
      defaultLocale: config.defaultLocale,
      registrations: config.registrations,
    },
  });
  const media = new MediaService({ db, clock, uploads: config.uploads, urls, bus, logger });
  // Filled in once the federation adapter exists (it needs the services): look-ups of actors and objects elsewhere.
  let lookup: RemoteLookup = NO_REMOTE_LOOKUP;
  const actors = new ActorService({ db, clock, urls, users, media, bus, lookup: () => lookup });
  const federatedActors = new FederatedActorService({ db, clock, urls, bus });
  const instance = new InstanceService({
    name: config.instanceName,
    description: config.instanceDescription,
    baseUrl: config.baseUrl,
    version: VERSION,
    registrationsOpen: config.registrations.open,
    registrationsAllowlist: config.registrations.allowlist.length > 0,
    languages: ["en", "fr"],
    uploadLimits: { default: config.uploads.limit, avatar: config.uploads.avatarLimit, banner: config.uploads.bannerLimit },
  });
  // The timezone map is loaded on first use (an idle instance does not carry it).
  let tzlookup: ((lat: number, lon: number) => string) | null = null;
  const timezoneAt = (lat: number, lon: number) => {
    try {
      tzlookup ??= createRequire(import.meta.url)("@photostructure/tz-lookup") as (lat: number, lon: number) => string;
      return tzlookup(lat, lon);
    } catch {
      return null;
    }
  };
  const userAgent = `Convene/${VERSION} (${config.baseUrl})`;
  const provider: GeocoderProvider =
    config.geocoder.provider === "nominatim" ? new NominatimProvider(config.geocoder.url!, userAgent)
    : config.geocoder.provider === "photon" ? new PhotonProvider(config.geocoder.url!, userAgent)
    : config.geocoder.provider === "addok" ? new AddokProvider(config.geocoder.url!, userAgent)
    : new OfflineGazetteer(db);
  const geocoding = new GeocodingService(provider, timezoneAt);
  const follows = new FollowService({ db, clock, urls, bus });
  const groupDeps = { db, clock, urls, bus, queue, actors, users, media, instanceName: config.instanceName, timezoneAt, onlyAdminsCreateGroups: config.onlyAdminsCreateGroups, lookup: () => lookup };
  const groups = new GroupService(groupDeps);
  const members = new MemberService(groupDeps, groups);
  const events = new EventService({
    db,
    dialect: database.dialect,
    clock,
    bus,
    urls,
    actors,
    media,
    timezoneAt,
    features: { externalParticipation: true },
    groups,
    members,
    follows,
  });
  const participations = new ParticipationService({
    db,
    dialect: database.dialect,
    clock,
    bus,
    queue,
    events,
    actors,
    users,
    instanceName: config.instanceName,
    exportsDir: config.exportsDir,
    urls,
    anonymousParticipation: config.anonymousParticipation,
    logger,
    cancellationSigner: new Signer(secret, "participation-cancellation"),
    icsFor: (event, tx) => feeds.icsOf(event, tx),
  });
  const groupEventNotices = new GroupEventNotices({ db, clock, queue, events, participations, members, follows, actors, users, instanceName: config.instanceName }, bus);
  const comments = new CommentService({ db, clock, bus, queue, urls, instanceName: config.instanceName, events, actors, participations, media });
  const discussions = new DiscussionService({ db, clock, urls, bus, groups, comments });
  media.addReader(async (viewer, m) => discussions.showsMedia(viewer, await media.referencedBy(m.id, "discussion-comment")));
  const outbound = new OutboundHttp({ allowPrivate: config.allowPrivateAddresses, userAgent: `Convene/${VERSION} (+${config.baseUrl})` });
  const resources = new ResourceService({ db, clock, urls, bus, groups, previewer: new LinkPreviewer({ db, clock, http: outbound }) });
  instance.addCounter(async () => ({ numberOfUsers: await users.countConfirmed() }));
  instance.addCounter(async () => {
    const e = await events.countPublished();
    return { numberOfEvents: e.all, numberOfLocalEvents: e.local };
  });
  instance.addCounter(async () => {
    const c = await comments.countPublished();
    return { numberOfComments: c.all, numberOfLocalComments: c.local };
  });
  // Who may see a media, beyond its owner: whoever may see what shows it.
  media.addReader((_, m) => actors.showsMedia(m.id));
  media.addReader(async (viewer, m) => events.showsMedia(viewer, m.id, await media.referencedBy(m.id, "event")));
  media.addReader(async (viewer, m) => comments.showsMedia(viewer, await media.referencedBy(m.id, "comment")));
  const posts = new PostService({ db, clock, urls, bus, groups, media });
  media.addReader(async (viewer, m) => posts.showsMedia(viewer, m.id, await media.referencedBy(m.id, "post")));
  const feeds = new FeedService({ db, clock, bus, events, actors, posts, instanceName: config.instanceName, instanceDescription: config.instanceDescription, urls, version: VERSION });
  const tombstones = new TombstoneService({ db, clock, urls, bus });
  const remoteEvents = new RemoteEventService({ db, dialect: database.dialect, clock, urls, bus, events, lookup: () => lookup, isTombstoned: async (uri, tx) => !!(await tombstones.find(uri, tx)) });
  const peers = new PeerService({ db, clock });
  const relays = new RelayService({ db, ownHost: urls.host, actors, federatedActors, follows, peers, lookup: () => lookup });
  const services: Services = { urls, users, actors, federatedActors, tombstones, follows, peers, relays, reports: new ReportService({ db, queue, urls, users, instanceName: config.instanceName }), remoteEvents, media, instance, events, participations, feeds, comments, geocoding, groups, members, groupFollowers: new GroupFollowerService({ follows, groups }), posts, discussions, resources, todos: new TodoService({ db, clock, urls, bus, groups }), activity: new ActivityService({ db, clock, bus, actors, groups, events }) };

  const mailer = createMailer({ smtpUrl: config.smtpUrl, outboxDir: config.mailOutboxDir, from: config.emailFrom, fromName: config.instanceName, logger });
  const graphql = new GraphQLHandler(createSchema(), logger);
  const federation = new Federation({ config, db, clock, queue, services, logger, version: VERSION });
  federation.listen(bus);
  if (config.federation) lookup = federation.lookup;
  const worker = new WorkerGroup(queue, new Map([...jobHandlers({ mailer, users, participations, media, groupEventNotices, activity: services.activity }), ...federation.jobHandlers()]), logger, [{ except: ["federation"] }, { only: ["federation"] }]);
  const scheduler = new Scheduler(db, queue, clock, logger);

  return {
    config,
    database,
    clock,
    logger,
    queue,
    worker,
    scheduler,
    mailer,
    services,
    graphql,
    federation,
    async close() {
      scheduler.stop();
      await worker.stop();
      mailer.close();
      await database.close();
    },
  };
}
