import { createServer } from "node:net";

/** A free TCP port on the loopback interface (for test and benchmark servers). */
export const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
