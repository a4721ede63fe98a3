/**
 * Ports that modules use and outer layers implement (wired in app.ts), so that modules never import jobs, mail,
 * http or federation code.
 */

export type EnqueueOptions = {
  runAt?: Date;
  maxAttempts?: number;
  queue?: string;
  /** When set, the job is not enqueued if a pending job already has this key (returns false). */
  uniqueKey?: string;
  /**
   * Jobs with the same ordering key run one at a time, in the order they were enqueued (deliveries about one object
   * to one inbox: a Create never overtakes its Update). A job that failed for good no longer holds the others back.
   */
  orderingKey?: string;
};

/** Thrown by a job handler when retrying cannot help (a 4xx answer): the job fails at once. */
export class PermanentJobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobFailure";
  }
}

/** The durable job queue, as modules see it: enqueue within the caller's transaction. */
export interface JobQueue<Tx> {
  enqueue(tx: Tx, name: string, payload: Record<string, unknown>, opts?: EnqueueOptions): Promise<boolean>;
}

/** An e-mail ready to send: rendered in the recipient's language. */
export type OutgoingEmail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: string; contentType: string }[];
};
