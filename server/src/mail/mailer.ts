import { join } from "node:path";
import type { Transporter } from "nodemailer";
import { writeFileDurably, type Logger, type OutgoingEmail } from "../kernel/index.ts";

/**
 * What names one sending of a message across retries: a job sent again after a crash (delivery is at least once) keeps
 * its Message-ID, so mail clients show it once, and overwrites its own .eml in the outbox instead of adding a second.
 */
export type SendKey = { id: number; queuedAt: Date };

export interface Mailer {
  send(email: OutgoingEmail, key?: SendKey): Promise<void>;
  close(): void;
}

/**
 * Sends e-mail through SMTP when SMTP_URL is set; otherwise writes each message as an .eml file in the outbox folder
 * and logs its path, so a small instance without mail still shows its admin what would have been sent.
 */
export function createMailer(opts: { smtpUrl: string | null; outboxDir: string; from: string; fromName: string; logger: Logger }): Mailer {
  const from = { name: opts.fromName, address: opts.from };
  const domain = opts.from.split("@")[1] ?? "convene.invalid";
  const messageId = (key: SendKey | undefined) => (key ? { messageId: `<convene.${key.id}.${key.queuedAt.getTime()}@${domain}>` } : {});
  // nodemailer is loaded with the first e-mail, keeping an idle instance's memory low.
  let transport: Transporter | null = null;
  const getTransport = async () => {
    if (!transport) {
      const { default: nodemailer } = await import("nodemailer");
      transport = opts.smtpUrl
        ? nodemailer.createTransport(opts.smtpUrl)
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
    }
    return transport;
  };
  if (opts.smtpUrl) {
    return {
      async send(email, key) {
        await (await getTransport()).sendMail({ from, ...email, ...messageId(key) });
        opts.logger.info("email sent", { to: maskEmail(email.to), subject: email.subject });
      },
      close: () => transport?.close(),
    };
  }
  let seq = 0;
  return {
    async send(email, key) {
      const info = await (await getTransport()).sendMail({ from, ...email, ...messageId(key) });
      // Named after the job when there is one (sorted by when it was queued): a retry replaces its own file.
      const name = key ? `${key.queuedAt.toISOString().replace(/[:.]/g, "-")}-job-${String(key.id).padStart(12, "0")}` : `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${++seq}`;
      const file = join(opts.outboxDir, `${name}.eml`);
      // Whole or absent after a crash: a reader of the outbox never finds half a message.
      await writeFileDurably(file, info.message as Buffer);
      opts.logger.info("email written to outbox (no SMTP_URL)", { file, subject: email.subject });
    },
    close: () => transport?.close(),
  };
}

/** Logs show which mailbox, not who: a@example.org → a***@example.org. */
export const maskEmail = (e: string) => e.replace(/^(.)[^@]*/, "$1***");
