import type { Db } from "../../db/index.ts";
import type { Services } from "../../graphql/context.ts";
import type { Clock, Logger, Urls } from "../../kernel/index.ts";
import type { Actor } from "../../modules/actors/index.ts";
import type { ApFetcher } from "../fetcher.ts";
import { hostOf, type Json } from "../parse/json.ts";
import type { RemoteActors } from "../remote-actors.ts";
import type { Documents } from "../documents.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { PictureJob } from "../pictures.ts";

/** What an inbound handler works with: the activity, its verified sender, and the federation's parts. */
export type InboxContext = {
  activity: Json;
  /** The actor whose signature was verified (the activity's actor). */
  signer: Actor;
  db: Db;
  clock: Clock;
  urls: Urls;
  services: Services;
  actors: RemoteActors;
  fetcher: ApFetcher;
  outbox: Outbox;
  documents: Documents;
  logger: Logger;
  /** Asks for a copy of a remote picture (a job: never in the request's way). */
  picture: (job: PictureJob, currentMediaId: number | null) => Promise<void>;
};

export type InboxHandler = (ctx: InboxContext) => Promise<void>;

/** The server the signer speaks from (its host with its port). */
export const signerDomain = (ctx: Pick<InboxContext, "signer">): string => ctx.signer.domain ?? hostOf(ctx.signer.url)!;
