// The yardstick of every throughput ratio: a bare node:http server answering a small JSON object, run as its own
// process on the same machine, in the same benchmark run as what it is compared with.
import { createServer } from "node:http";

const body = JSON.stringify({ status: "ok" });
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.send?.("ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
