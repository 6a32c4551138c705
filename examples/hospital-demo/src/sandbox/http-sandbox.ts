// A vendor sandbox on loopback: a real node:http server on 127.0.0.1 (a free port) that answers
// with a connector's own MSW handlers. Each Node request becomes a Fetch Request, msw's
// `getResponse(handlers, request)` finds the handler, and its Response is written back. The
// connectors talk to it over real sockets, exactly as they talk to the vendor; nothing is mocked
// inside the process and nothing leaves the machine.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

/** What an injected fault does to one request. */
export type SandboxFault =
  /** The socket is destroyed before the vendor reads the request: the client sees a reset. */
  | { kind: 'reset' }
  /** An error response in the vendor's own shape. */
  | { kind: 'status'; status: number; json: unknown; headers?: Record<string, string> };

/** A running sandbox. */
export interface HttpSandbox {
  readonly name: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests that reached the socket (answered, faulted or unrouted). */
  readonly requestCount: number;
  /** Requests no handler answered (a connector calling what the vendor does not serve). */
  readonly unrouted: string[];
  /** Serve these handlers (set after `listen`, because fakes need the URL to build their links). */
  use(handlers: readonly RequestHandler[]): void;
  /** Every request goes through `fault` first; returning undefined lets it through. */
  setFault(fault: ((request: Request) => SandboxFault | undefined) | undefined): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toFetchRequest(req: IncomingMessage, body: Buffer, origin: string): Request {
  const headers = new Headers();
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    for (const value of values ?? []) headers.append(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body.length > 0;
  return new Request(new URL(req.url ?? '/', origin), { method, headers, ...(hasBody && { body: new Uint8Array(body) }) });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = Buffer.from(await response.arrayBuffer());
  // The body is re-sent whole, so the length is ours to state (a handler's encoding is undone).
  delete headers['content-encoding'];
  delete headers['transfer-encoding'];
  headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Starts a sandbox on 127.0.0.1 and a free port. */
export async function startHttpSandbox(name: string): Promise<HttpSandbox> {
  let handlers: readonly RequestHandler[] = [];
  let fault: ((request: Request) => SandboxFault | undefined) | undefined;
  let requestCount = 0;
  const unrouted: string[] = [];
  let origin = '';

  const server = createServer(async (req, res) => {
    requestCount++;
    try {
      const request = toFetchRequest(req, await readBody(req), origin);
      const injected = fault?.(request);
      if (injected?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (injected?.kind === 'status') {
        await writeResponse(res, Response.json(injected.json, { status: injected.status, headers: injected.headers }));
        return;
      }
      const response = await getResponse([...handlers], request);
      if (!response) {
        unrouted.push(`${request.method} ${new URL(request.url).pathname}`);
        await writeResponse(res, Response.json({ error: `the ${name} sandbox has no route for this request` }, { status: 404 }));
        return;
      }
      await writeResponse(res, response);
    } catch {
      if (!res.headersSent) await writeResponse(res, Response.json({ error: 'sandbox failure' }, { status: 500 }));
      else res.destroy();
    }
  });
  // Keep-alive sockets must not hold the process open once the demo is done.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    name,
    url: origin,
    get requestCount() {
      return requestCount;
    },
    unrouted,
    use(next) {
      handlers = next;
    },
    setFault(next) {
      fault = next;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
