import module from "node:module";

/**
 * Libraries that read NODE_ENV when they load (graphql-js checks every type test against a second copy of itself
 * unless it says "production", about a seventh of a small query's execution): the server runs as production unless
 * told otherwise. Call before importing anything else.
 */
export function defaultToProduction(): void {
  process.env.NODE_ENV ??= "production";
}

/**
 * Node keeps the compiled (and type-stripped) code of every module in a cache on disk, so that a restart does not
 * compile the server again: about 40 % of the time to the first answer and 15 MB of memory (bench/RESULTS.md). The
 * cache lives in the system's temporary folder (or NODE_COMPILE_CACHE), keyed by Node's version and each file's
 * content; a stale entry is never used. Call before importing anything else.
 */
export function useCompileCache(): void {
  module.enableCompileCache?.();
}

/** Writes what was compiled so far to the cache now (a server killed later still restarts fast). */
export function saveCompileCache(): void {
  module.flushCompileCache?.();
}
