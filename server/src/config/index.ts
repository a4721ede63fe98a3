export { loadConfig, ConfigError, type Config } from "./config.ts";
export { defaultToProduction } from "./runtime.ts";
