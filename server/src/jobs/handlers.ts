import type { Mailer } from "../mail/mailer.ts";
import type { OutgoingEmail } from "../kernel/index.ts";
import type { JobHandler } from "./queue.ts";
import type { UserService } from "../modules/users/index.ts";
import type { GroupEventNotices, ParticipationService } from "../modules/participations/index.ts";
import type { EventSnapshot } from "../modules/events/index.ts";
import type { MediaService } from "../modules/media/index.ts";
import type { ActivityService } from "../modules/activity/index.ts";

/** Every job the worker knows, by name. Handlers are idempotent: a job may run twice after a crash. */
export function jobHandlers(deps: { mailer: Mailer; users: UserService; participations: ParticipationService; media: MediaService; groupEventNotices: GroupEventNotices; activity: ActivityService }): Map<string, JobHandler> {
  return new Map<string, JobHandler>([
    ["email.send", (payload, job) => deps.mailer.send(payload as unknown as OutgoingEmail, { id: job.id, queuedAt: job.insertedAt })],
    ["users.purge-unconfirmed", async () => void (await deps.users.purgeUnconfirmed())],
    ["participations.purge-exports", async () => void (await deps.participations.purgeExports())],
    ["media.sweep", async () => void (await deps.media.sweep())],
    ["activity.prune", async () => void (await deps.activity.prune())],
    ["participations.notify-group-event", async (p) => void (await deps.groupEventNotices.send(p.eventId as number))],
    [
      "participations.notify-event-changed",
      async (p) => void (await deps.participations.notifyEventChanged(p.eventId as number, p.before as EventSnapshot)),
    ],
  ]);
}
