import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { requestHeader } from "./request-header.ts";

export class BodyTooLarge extends Error {}

/**
 * Reads a request body as text, stopping as soon as it exceeds `limit` bytes (an oversized body is never buffered
 * whole). Reads the Node request stream directly when there is one, which is also much cheaper than the web stream.
 */
export async function readBodyText(c: Context, limit: number): Promise<string> {
  const declared = Number(requestHeader(c, "content-length") ?? "0");
  if (declared > limit) throw new BodyTooLarge();
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== "function") {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > limit) throw new BodyTooLarge();
    return text;
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners("data");
        incoming.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    incoming.once("end", () => resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    incoming.once("error", reject);
  });
}
