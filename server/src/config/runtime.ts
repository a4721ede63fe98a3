/**
 * Libraries that read NODE_ENV when they load (graphql-js checks every type test against a second copy of itself
 * unless it says "production", about a seventh of a small query's execution): the server runs as production unless
 * told otherwise. Call before importing anything else.
 */
export function defaultToProduction(): void {
  process.env.NODE_ENV ??= "production";
}
