// A Fetch handler (the gateway, a webhook endpoint) served over a real socket on 127.0.0.1, the way
// the host application would serve it. Scene 8 and `--serve` use it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeListener } from '@hmi/gateway';

/** A handler listening on loopback. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections (event streams included). */
  close(): Promise<void>;
}

/**
 * Serves `handler` on `127.0.0.1:port` (0: a free port). A port already in use fails with a message
 * that says so instead of Node's bare `EADDRINUSE`.
 */
export async function listenOnLoopback(handler: (request: Request) => Promise<Response>, port = 0): Promise<LoopbackServer> {
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`127.0.0.1:${port} is already in use (set HMI_DEMO_PORT to another port, or 0 for a free one)`, {
              cause: error,
            })
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
