import { SMTPServer } from "smtp-server";
import { simpleParser } from "./mail-parse.ts";

export type ReceivedMail = { to: string[]; subject: string; text: string; html: string; raw: string };

/** A real SMTP server on a free loopback port that keeps what it receives, for tests. */
export class Mailbox {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer;
  private waiters: (() => void)[] = [];
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth: (_auth, _session, cb) => cb(null, { user: "test" }),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const parsed = simpleParser(raw);
          this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address), ...parsed, raw });
          for (const w of this.waiters.splice(0)) w();
          cb();
        });
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
    return `smtp://test:test@127.0.0.1:${this.port}`;
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits for a message to `to` whose subject matches, up to `timeoutMs`. */
  async waitFor(to: string, subject: RegExp = /.*/, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.messages.find((x) => x.to.includes(to) && subject.test(x.subject));
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} (got: ${this.messages.map((x) => x.subject).join(", ")})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  to(address: string) {
    return this.messages.filter((m) => m.to.includes(address));
  }
}
