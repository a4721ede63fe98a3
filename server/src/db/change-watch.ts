import { AsyncLocalStorage } from "node:async_hooks";
import { closeSync, openSync, readSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";

/**
 * Tells a process when rows it may have cached could have changed, whichever process changed them (see
 * docs/adr/0009). `version()` returns a number that moves on any such change, or null while changes can't be seen
 * (nothing may be cached then).
 */
export interface ChangeWatch {
  version(): number | null;
  /** This process wrote: move the version at once rather than when the database tells. */
  bump(): void;
  /**
   * Runs `fn` (one request) so that changes by other processes are looked for once, at its first read, rather than
   * at every read: it still sees every change committed before it began, and every write of its own process.
   */
  unitOfWork<T>(fn: () => T): T;
  close(): Promise<void>;
}

/**
 * The unit of work a request runs in: SQLite's watch keeps the version it saw there. The first watch to look claims
 * it (a process normally has one database; tests open several).
 */
type Unit = { owner: object | null; seen: number; local: number };
const units = new AsyncLocalStorage<Unit>();

/** Runs `fn` in no unit of work: work started by a request but done later (a woken worker) looks for itself. */
export function outsideUnitOfWork<T>(fn: () => T): T {
  return units.exit(fn);
}

/** The PostgreSQL channel the triggers of migration 0003 notify on. */
export const CHANGES_CHANNEL = "convene_row_changes";

/**
 * The first of the two copies of SQLite's WAL-index header, at the start of the `-shm` file (sqlite.org/walformat.html,
 * "The WAL-Index Header"): 48 bytes that every commit rewrites (its `iChange` counter moves with each transaction),
 * written second-copy-first so that a reader comparing both copies never takes a torn one. `iVersion` (3007000) and
 * `isInit` tell the layout is the one described.
 */
const WAL_INDEX_HEADER = 48;
const WAL_INDEX_VERSION = 3007000;

/**
 * Reads the WAL-index header of an open `-shm` file: its bytes when both copies agree and the layout is the known one,
 * "torn" while a writer is between the two copies, null when the file is not in that layout.
 */
function readWalIndexHeader(fd: number, buf: Buffer): "ok" | "torn" | null {
  if (readSync(fd, buf, 0, WAL_INDEX_HEADER * 2, 0) < WAL_INDEX_HEADER * 2) return null;
  const little = buf.readUInt32LE(0) === WAL_INDEX_VERSION;
  if (!little && buf.readUInt32BE(0) !== WAL_INDEX_VERSION) return null;
  if (buf[12] !== 1) return null;
  return buf.compare(buf, 0, WAL_INDEX_HEADER, WAL_INDEX_HEADER, WAL_INDEX_HEADER * 2) === 0 ? "ok" : "torn";
}

/**
 * SQLite: another process's commit is seen by reading the WAL-index header from the `-shm` file (one `pread` of 96
 * bytes): exact, since every commit rewrites it in the shared memory the file maps. If the file is not in the known
 * layout, or a read finds it torn, a second connection reads `PRAGMA data_version` instead (a read transaction: about
 * ten times the cost). Either way a commit that has returned is seen by the next call (docs/adr/0009, bench/NOTES.md).
 */
export function sqliteChangeWatch(file: string): ChangeWatch & { method(): "wal-index" | "data_version" } {
  let conn: DatabaseSync | null = new DatabaseSync(file, { timeout: 10_000 });
  const stmt: StatementSync = conn.prepare("PRAGMA data_version");
  stmt.setReturnArrays(true);
  // The connection above keeps the WAL-index (and its -shm file) alive for as long as the watch runs.
  stmt.get();
  let shm: number | null = null;
  const header = Buffer.alloc(WAL_INDEX_HEADER * 2);
  const lastHeader = Buffer.alloc(WAL_INDEX_HEADER);
  let headerVersion = 0;
  try {
    shm = openSync(`${file}-shm`, "r");
    if (readWalIndexHeader(shm, header) !== "ok") {
      closeSync(shm);
      shm = null;
    } else header.copy(lastHeader, 0, 0, WAL_INDEX_HEADER);
  } catch {
    shm = null;
  }
  // Versions from the two sources never compare equal: the header's are even, data_version's are mapped to odd.
  const fromHeader = (): number | null => {
    if (shm === null) return null;
    try {
      if (readWalIndexHeader(shm, header) !== "ok") return null;
    } catch {
      return null;
    }
    if (header.compare(lastHeader, 0, WAL_INDEX_HEADER, 0, WAL_INDEX_HEADER) !== 0) {
      header.copy(lastHeader, 0, 0, WAL_INDEX_HEADER);
      headerVersion += 2;
    }
    return headerVersion;
  };
  const fromPragma = (): number | null => {
    try {
      return (stmt.get() as unknown as [number])[0] * 2 + 1;
    } catch {
      return null; // can't tell (a busy or failing file): read the database, cache nothing
    }
  };
  // The unit of work keeps the version it saw, valid while this process has not written since (`local`).
  let local = 0;
  const self = {};
  return {
    method: () => (shm === null ? "data_version" : "wal-index"),
    version: () => {
      if (!conn) return null;
      let unit = units.getStore();
      if (unit && unit.owner !== self) {
        if (unit.owner !== null) unit = undefined;
        else unit.owner = self;
      }
      if (unit && unit.local === local) return unit.seen;
      const seen = fromHeader() ?? fromPragma();
      if (seen === null) return null;
      if (unit) {
        unit.seen = seen;
        unit.local = local;
      }
      return seen;
    },
    // The header moves by itself on every commit; units of work that already looked must look again.
    bump: () => {
      local++;
    },
    unitOfWork: (fn) => units.run({ owner: null, seen: 0, local: -1 }, fn),
    close: async () => {
      if (shm !== null) closeSync(shm);
      shm = null;
      conn?.close();
      conn = null;
    },
  };
}

type PgClient = {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", fn: (msg: { channel: string }) => void): unknown;
  on(event: "error" | "end", fn: (err?: Error) => void): unknown;
  removeAllListeners(): unknown;
};

/**
 * PostgreSQL: one dedicated connection LISTENs for the notifications the triggers send after a commit that updated or
 * deleted a cached table's rows, from any process. While that connection is down, `version()` is null and nothing
 * is cached; it reconnects with a growing delay.
 */
export function pgChangeWatch(newClient: () => PgClient, onError: (err: unknown) => void = () => {}, opts: { heartbeatMs?: number } = {}): ChangeWatch {
  let counter = 0;
  let listening = false;
  let closed = false;
  let client: PgClient | null = null;
  let retryMs = 250;
  let timer: NodeJS.Timeout | null = null;
  // A connection can die without a word (a NAT or firewall forgetting it, a failover): notices would silently stop
  // and caches would go stale. A query every so often proves it alive; one that fails or hangs drops it (nothing is
  // cached until a new connection listens).
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const heartbeat = setInterval(() => {
    const c = client;
    if (!c || !listening) return;
    const deadline = setTimeout(() => {
      onError(new Error("the connection listening for database changes stopped answering"));
      drop(c);
    }, Math.min(10_000, heartbeatMs));
    deadline.unref();
    c.query("select 1").then(
      () => clearTimeout(deadline),
      (err) => {
        clearTimeout(deadline);
        onError(err);
        drop(c);
      },
    );
  }, heartbeatMs);
  heartbeat.unref();

  const drop = (c: PgClient) => {
    if (client !== c) return;
    client = null;
    listening = false;
    counter++;
    c.removeAllListeners();
    c.on("error", () => {});
    c.end().catch(() => {});
    if (!closed) {
      timer = setTimeout(connect, retryMs);
      timer.unref();
      retryMs = Math.min(retryMs * 2, 30_000);
    }
  };

  const connect = async () => {
    timer = null;
    if (closed) return;
    const c = newClient();
    client = c;
    c.on("error", (err) => {
      onError(err);
      drop(c);
    });
    c.on("end", () => drop(c));
    c.on("notification", (msg) => {
      if (msg.channel === CHANGES_CHANNEL) counter++;
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (client !== c) return;
      // Changes made while no one listened are unknown: start from a new version.
      counter++;
      listening = true;
      retryMs = 250;
    } catch (err) {
      onError(err);
      drop(c);
    }
  };

  const ready = connect();
  return {
    version: () => (listening ? counter : null),
    bump: () => {
      counter++;
    },
    // Reading the version costs nothing here.
    unitOfWork: (fn) => fn(),
    close: async () => {
      closed = true;
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      await ready.catch(() => {});
      const c = client;
      client = null;
      listening = false;
      if (c) {
        c.removeAllListeners();
        c.on("error", () => {});
        await c.end().catch(() => {});
      }
    },
  };
}
