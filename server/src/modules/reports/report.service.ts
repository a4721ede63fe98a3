import type { Db, Executor } from "../../db/index.ts";
import type { JobQueue, Urls } from "../../kernel/index.ts";
import type { UserService } from "../users/index.ts";
import { remoteReportEmail } from "./report.emails.ts";

export type ReportsDeps = { db: Db; queue: JobQueue<Executor>; urls: Urls; users: UserService; instanceName: string };

/** At most this many reported objects are listed in one notice. */
const MAX_OBJECTS = 20;

/**
 * Reports. For now, those forwarded by other servers (a Flag): the instance's moderators and administrators are told
 * by e-mail, with links to what was reported. (Reports made here, their list and their handling come with
 * moderation.)
 */
export class ReportService {
  private readonly d: ReportsDeps;
  constructor(d: ReportsDeps) {
    this.d = d;
  }

  /** A report forwarded by another server about content of this instance; other servers' content is not ours to judge. */
  async receiveRemote(r: { reporter: string; server: string; content: string | null; objects: string[] }): Promise<number> {
    const objects = [...new Set(r.objects.filter((o) => this.d.urls.isLocal(o)))].slice(0, MAX_OBJECTS);
    if (objects.length === 0) return 0;
    const staff = await this.d.users.staffRecipients();
    await this.d.db.transaction().execute(async (tx) => {
      for (const s of staff)
        await this.d.queue.enqueue(tx, "email.send", remoteReportEmail({ to: s.email, locale: s.locale, instanceName: this.d.instanceName }, { ...r, content: r.content?.slice(0, 2000) ?? null, objects }) as unknown as Record<string, unknown>, { queue: "mailers" });
    });
    return staff.length;
  }
}
