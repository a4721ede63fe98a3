/**
 * A small MIME reader for the messages our own mailer writes (multipart/alternative, quoted-printable or base64
 * parts), enough for tests to read subjects, texts and links.
 */
export function simpleParser(raw: string): { subject: string; text: string; html: string } {
  const unfold = raw.replace(/\r\n/g, "\n");
  const [head] = unfold.split("\n\n");
  const subjectLine = head.replace(/\n[ \t]+/g, " ").match(/^Subject: (.*)$/m)?.[1] ?? "";
  const subject = decodeWords(subjectLine);
  const parts = unfold.split(/\n--[^\n]+\n/);
  let text = "";
  let html = "";
  for (const part of parts) {
    const [h, ...rest] = part.split("\n\n");
    const body = rest.join("\n\n");
    const type = h.match(/Content-Type: ([^;\n]+)/i)?.[1]?.trim();
    const enc = h.match(/Content-Transfer-Encoding: (\S+)/i)?.[1]?.toLowerCase();
    const decoded = enc === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : enc === "quoted-printable" ? qp(body) : body;
    if (type === "text/plain" && !text) text = decoded;
    if (type === "text/html" && !html) html = decoded;
  }
  return { subject, text, html };
}

function qp(s: string): string {
  const bytes = s.replace(/=\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=\s*/gi, (_, _cs, enc, data) =>
    enc.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : qp(data.replace(/_/g, " ")),
  );
}
