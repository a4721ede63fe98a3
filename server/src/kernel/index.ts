export * from "./errors.ts";
export * from "./clock.ts";
export * from "./ids.ts";
export * from "./logger.ts";
export * from "./event-bus.ts";
export * from "./ports.ts";
export * from "./addresses.ts";
export * from "./files.ts";
