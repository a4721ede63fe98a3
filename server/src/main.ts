// The server's entry point. NODE_ENV must be settled before any library loads, hence the dynamic import.
import { defaultToProduction } from "./config/runtime.ts";

defaultToProduction();
const { main } = await import("./server.ts");
await main();
