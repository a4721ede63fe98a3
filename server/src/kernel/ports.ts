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
};

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
