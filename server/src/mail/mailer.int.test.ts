// A job sent again after a crash (at least once) is the same message: one .eml in the outbox, one Message-ID by SMTP.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createLogger } from "../kernel/index.ts";
import { Mailbox } from "../../test/mailbox.ts";
import { createMailer } from "./mailer.ts";

const email = { to: "someone@example.org", subject: "Hello", text: "Hi", html: "<p>Hi</p>" };
const key = { id: 42, queuedAt: new Date("2026-11-30T10:00:00Z") };
const logger = createLogger("silent");

test("the outbox keeps one file per job, however often it is sent", async () => {
  const dir = mkdtempSync(join(tmpdir(), "convene-outbox-"));
  try {
    const mailer = createMailer({ smtpUrl: null, outboxDir: dir, from: "noreply@convene.test", fromName: "Convene", logger });
    await mailer.send(email, key);
    await mailer.send(email, key);
    await mailer.send(email, { id: 43, queuedAt: key.queuedAt });
    const files = readdirSync(dir);
    assert.deepEqual(files.sort(), ["2026-11-30T10-00-00-000Z-job-000000000042.eml", "2026-11-30T10-00-00-000Z-job-000000000043.eml"]);
    mailer.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("by SMTP, a message sent again carries the same Message-ID", async () => {
  const box = new Mailbox();
  const url = await box.start();
  try {
    const mailer = createMailer({ smtpUrl: url, outboxDir: "/nonexistent", from: "noreply@convene.test", fromName: "Convene", logger });
    await mailer.send(email, key);
    await mailer.send(email, key);
    const ids = box.to("someone@example.org").map((m) => m.raw.match(/^Message-ID: (.*)$/im)?.[1].trim());
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[0], "<convene.42.1796032800000@convene.test>");
    mailer.close();
  } finally {
    await box.stop();
  }
});
