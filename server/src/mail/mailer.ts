import { join } from "node:path";
import type { Transporter } from "nodemailer";
import { writeFileDurably, type Logger, type OutgoingEmail } from "../kernel/index.ts";

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * Sends e-mail through SMTP when SMTP_URL is set; otherwise writes each message as an .eml file in the outbox folder
 * and logs its path, so a small instance without mail still shows its admin what would have been sent.
 */
export function createMailer(opts: { smtpUrl: string | null; outboxDir: string; from: string; fromName: string; logger: Logger }): Mailer {
  const from = { name: opts.fromName, address: opts.from };
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
      async send(email) {
        await (await getTransport()).sendMail({ from, ...email });
        opts.logger.info("email sent", { to: maskEmail(email.to), subject: email.subject });
      },
      close: () => transport?.close(),
    };
  }
  let seq = 0;
  return {
    async send(email) {
      const info = await (await getTransport()).sendMail({ from, ...email });
      const file = join(opts.outboxDir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${++seq}.eml`);
      // Whole or absent after a crash: a reader of the outbox never finds half a message.
      await writeFileDurably(file, info.message as Buffer);
      opts.logger.info("email written to outbox (no SMTP_URL)", { file, subject: email.subject });
    },
    close: () => transport?.close(),
  };
}

/** Logs show which mailbox, not who: a@example.org → a***@example.org. */
export const maskEmail = (e: string) => e.replace(/^(.)[^@]*/, "$1***");
