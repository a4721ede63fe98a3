/**
 * Every URL the instance gives out, in one place: services (stored ids, e-mail links), HTTP routes and the
 * federation dispatchers build them here, so an object's ActivityPub id, its page and its links always agree.
 * The layout is Mobilizon's (remote servers store these URLs, and an instance migrated from Mobilizon keeps them):
 * actors at `/@name`, events at `/events/:uuid`, comments at `/comments/:uuid`, the shared inbox at `/inbox`, the
 * instance actor at `/relay`.
 */
export class Urls {
  /** The public origin, without a trailing slash (`https://example.org`, or with a port). */
  readonly base: string;
  /** The host as remote servers see it, with its port where it has one (`example.org:8443`). */
  readonly host: string;
  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, "");
    this.host = new URL(this.base).host;
  }

  /** Whether a URL belongs to this instance (same scheme, host and port). */
  isLocal(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.base).origin;
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------ actors and their collections
  actor(username: string): string {
    return `${this.base}/@${username}`;
  }
  inbox(username: string): string {
    return `${this.actor(username)}/inbox`;
  }
  outbox(username: string): string {
    return `${this.actor(username)}/outbox`;
  }
  followers(username: string): string {
    return `${this.actor(username)}/followers`;
  }
  following(username: string): string {
    return `${this.actor(username)}/following`;
  }
  /** A group's collections (members, resources, posts, todos, events, discussions). */
  collection(username: string, name: "members" | "resources" | "posts" | "todos" | "events" | "discussions"): string {
    return `${this.actor(username)}/${name}`;
  }
  /** The key of an actor (`#main-key`, as Mobilizon and Mastodon name it). */
  key(actorUrl: string): string {
    return `${actorUrl}#main-key`;
  }
  sharedInbox(): string {
    return `${this.base}/inbox`;
  }
  /** The instance actor (an Application named `relay`, which Mobilizon falls back to). */
  relay(): string {
    return `${this.base}/relay`;
  }

  // ------------------------------------------------------------ objects
  event(uuid: string): string {
    return `${this.base}/events/${uuid}`;
  }
  comment(uuid: string): string {
    return `${this.base}/comments/${uuid}`;
  }
  /** A participation: the id of its Join (not dereferenceable, as in Mobilizon). */
  participation(uuid: string): string {
    return `${this.base}/join/event/${uuid}`;
  }
  /** A group's post (`/p/<slug>`, Mobilizon's layout). */
  post(slug: string): string {
    return `${this.base}/p/${slug}`;
  }
  address(uuid: string): string {
    return `${this.base}/address/${uuid}`;
  }
  tag(slug: string): string {
    return `${this.base}/tags/${encodeURIComponent(slug)}`;
  }
  /** The folder media files are served from. */
  mediaPrefix(): string {
    return `${this.base}/media/`;
  }
  media(file: string): string {
    return `${this.mediaPrefix()}${file}`;
  }
  /** An activity about an object, stable across retries (`<object>/activity`, `<object>/delete`…). */
  activity(objectUrl: string, verb: string): string {
    return `${objectUrl}/${verb}`;
  }

  // ------------------------------------------------------------ links in e-mails and feeds
  validateAccount(token: string): string {
    return `${this.base}/validate/${token}`;
  }
  validateEmail(token: string): string {
    return `${this.base}/validate/email/${token}`;
  }
  passwordReset(token: string): string {
    return `${this.base}/password-reset/${token}`;
  }
  passwordResetRequest(): string {
    return `${this.base}/password-reset/send`;
  }
  confirmParticipation(token: string): string {
    return `${this.base}/participation/email/confirm/${token}`;
  }
  cancelParticipation(eventUuid: string, token: string): string {
    return `${this.base}/participation/email/cancel/${eventUuid}/${token}`;
  }
  goingFeed(token: string): string {
    return `${this.base}/events/going/${token}`;
  }
  mapTiles(): string {
    return `${this.base}/map-tiles/{z}/{x}/{y}.png`;
  }
}
