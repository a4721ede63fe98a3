import { rateLimits, type Db } from "../../db/index.ts";
import { DomainError, HOUR, invalid, OutboundRefused, type Clock, type OutboundHttp } from "../../kernel/index.ts";
import { checkUrl } from "../content/index.ts";
import { EMPTY_METADATA, readOembed, readPage, type LinkMetadata } from "./link-preview.ts";

/** Link previews asked per account per hour (each costs the instance an outbound request). */
export const PREVIEWS_PER_HOUR = 120;
const LIMITS = { timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 3 };

/**
 * Fetches what a link's page says of itself, safely: through the outbound client (no internal address unless
 * ALLOW_PRIVATE_ADDRESSES, every redirect checked again), at most 1 MB and 5 s per document, HTML read with a real
 * parser, its oEmbed document read when it declares one; a budget per account.
 */
export class LinkPreviewer {
  private readonly d: { db: Db; clock: Clock; http: OutboundHttp };
  constructor(d: { db: Db; clock: Clock; http: OutboundHttp }) {
    this.d = d;
  }

  /** Spends one preview of the account's hourly budget. */
  async spend(userId: number): Promise<void> {
    if ((await rateLimits.hit(this.d.db, `link-preview:${userId}`, HOUR, this.d.clock.now())) > PREVIEWS_PER_HOUR)
      throw new DomainError("rate_limited", "Too many link previews, please try again later");
  }

  /** The page's metadata, or an error naming why it could not be read. */
  async preview(raw: string): Promise<LinkMetadata> {
    const url = checkUrl(raw, "resourceUrl");
    if (!url) throw invalid("resourceUrl", "Give the link to preview");
    let res;
    try {
      res = await this.d.http.request(url, { ...LIMITS, headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1" } });
    } catch (e) {
      throw new DomainError("bad_request", e instanceof OutboundRefused ? `This link can't be previewed: ${e.message}` : "Unable to fetch resource details", "resourceUrl");
    }
    if (res.status < 200 || res.status >= 300) throw new DomainError("bad_request", `Unable to fetch resource details (HTTP ${res.status})`, "resourceUrl");
    const type = String(res.headers["content-type"] ?? "");
    if (!/html/i.test(type)) return { ...EMPTY_METADATA, type: type.startsWith("image/") ? "photo" : "link" };
    const { metadata, oembedUrl } = readPage(res.body.toString("utf8"), res.url);
    if (!oembedUrl) return metadata;
    try {
      const o = await this.d.http.request(oembedUrl, { ...LIMITS, maxBytes: 200_000, headers: { accept: "application/json" } });
      return o.status === 200 ? readOembed(JSON.parse(o.body.toString("utf8")), metadata, res.url) : metadata;
    } catch {
      return metadata;
    }
  }
}
