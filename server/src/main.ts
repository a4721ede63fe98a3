// The server's entry point. NODE_ENV and the compile cache must be settled before any library loads, hence the dynamic
// import.
import { defaultToProduction, useCompileCache } from "./config/runtime.ts";

useCompileCache();
defaultToProduction();
const { main } = await import("./server.ts");
await main();
