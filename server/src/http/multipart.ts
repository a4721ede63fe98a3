import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type busboy from "busboy";

export type MultipartLimits = {
  /** Largest file part, in bytes. */
  fileBytes: number;
  /** How long the body may stall (no byte arriving) before it is given up, in milliseconds. */
  idleMs?: number;
  /** Largest text part (the query, the variables), in bytes. */
  fieldBytes: number;
  files: number;
  fields: number;
};

/** The parts of a body; `release` gives the files' bytes back to the budget once the request is done with them. */
export type MultipartBody = { fields: Map<string, string>; files: Map<string, File>; release: () => void };
/** A refused body; `field` names the input at fault when it is the user's file rather than the client's request. */
export type MultipartFailure = { status: 400 | 408 | 413 | 503; message: string; field?: string };

/**
 * Bytes of uploads held in memory by all requests at once. One upload is bounded by its limit; this bounds many at
 * once, so that a burst of uploads answers "try again" instead of growing the process.
 */
export class UploadBudget {
  private used = 0;
  readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  take(n: number): boolean {
    if (this.used + n > this.max) return false;
    this.used += n;
    return true;
  }
  give(n: number) {
    this.used -= n;
  }
  get inUse() {
    return this.used;
  }
}

/**
 * Reads a multipart/form-data body as it streams in, part by part, and stops at the first limit crossed: a file larger
 * than `fileBytes` is cut there whatever the request declared (or did not declare: chunked bodies have no length),
 * so memory never holds more than the limits. Whatever is left of a refused body is read and discarded.
 */
export async function readMultipart(
  body: IncomingMessage | ReadableStream<Uint8Array>,
  headers: Record<string, string | string[] | undefined>,
  limits: MultipartLimits,
  budget: UploadBudget,
): Promise<MultipartBody | MultipartFailure> {
  // Loaded with the first upload: an instance that never receives one does not carry the parser.
  const { default: parser } = await import("busboy");
  return new Promise((resolve) => {
    const fields = new Map<string, string>();
    const files = new Map<string, File>();
    let held = 0;
    let settled = false;
    const source: Readable = body instanceof Readable ? body : Readable.fromWeb(body as never);
    const release = () => {
      budget.give(held);
      held = 0;
    };
    // A body that stops arriving would hold its share of the budget until Node's request timeout (minutes).
    let idle: NodeJS.Timeout | null = null;
    const stillArriving = () => {
      if (settled) return; // what a refused body still sends is only drained
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => finish({ status: 408, message: "The upload stalled: no data for too long" }), limits.idleMs ?? 30_000);
    };
    const take = (n: number) => {
      if (!budget.take(n)) return false;
      held += n;
      return true;
    };
    const finish = (result: MultipartBody | MultipartFailure) => {
      if (settled) return;
      settled = true;
      if (idle) clearTimeout(idle);
      if ("status" in result) {
        release();
        source.unpipe();
        source.resume(); // drain without keeping anything
      }
      resolve(result);
    };
    let bb: busboy.Busboy;
    try {
      bb = parser({
        headers: headers as never,
        limits: { fileSize: limits.fileBytes, files: limits.files, fields: limits.fields, fieldSize: limits.fieldBytes, parts: limits.files + limits.fields },
      });
    } catch {
      finish({ status: 400, message: "The multipart body has no boundary" });
      return;
    }
    bb.on("field", (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) return finish({ status: 413, message: `The part ${name.slice(0, 50)} is too large` });
      if (value.includes("\0") && name !== "variables") return finish({ status: 400, message: "Text must not contain NUL characters" });
      if (!take(value.length)) return finish({ status: 503, message: "Too many uploads at once: please try again in a moment" });
      fields.set(name, value);
    });
    bb.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        if (settled) return;
        if (!take(chunk.length)) return finish({ status: 503, message: "Too many uploads at once: please try again in a moment" });
        chunks.push(chunk);
      });
      // A part cut short (the body ends inside it) errors its stream: the client's mistake, never the process's end.
      stream.on("error", () => finish({ status: 400, message: "The multipart body ended inside a file" }));
      stream.on("limit", () => finish({ status: 413, message: `The file is too large (limit ${Math.round(limits.fileBytes / 1024)} KiB)`, field: "file" }));
      stream.on("close", () => {
        if (settled) return;
        files.set(name, new File(chunks as Uint8Array<ArrayBuffer>[], info.filename ?? name, { type: info.mimeType }));
      });
    });
    bb.on("filesLimit", () => finish({ status: 413, message: `At most ${limits.files} files per request` }));
    bb.on("fieldsLimit", () => finish({ status: 413, message: `At most ${limits.fields} fields per request` }));
    bb.on("partsLimit", () => finish({ status: 413, message: "Too many parts in the request" }));
    bb.on("error", () => finish({ status: 400, message: "The multipart body could not be read" }));
    bb.on("close", () => finish({ fields, files, release }));
    source.on("error", () => finish({ status: 400, message: "The request body could not be read" }));
    source.on("data", stillArriving);
    // The client went away before the end: nothing more will come.
    source.on("close", () => {
      if (!source.readableEnded) finish({ status: 400, message: "The request was cut off" });
    });
    stillArriving();
    source.pipe(bb);
  });
}
