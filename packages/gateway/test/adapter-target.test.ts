import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { toNodeListener } from '../src/index.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Sends raw bytes (what no HTTP client would send) and returns the status and the handler's calls. */
async function raw(text: string): Promise<{ status: number; calls: number }> {
  let calls = 0;
  server = createServer(
    toNodeListener(async () => {
      calls++;
      return new Response('ok');
    }),
  );
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1]), calls };
}

const request = (target: string, host = 'crm.example') => `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

it.each([
  ['an absolute target with a broken IPv6 host', 'http://[/v1/integrations'],
  ['a target with a bad port', 'http://crm.example:99999/v1/integrations'],
])('answers 400, never 500, to %s', async (_, target) => {
  expect(await raw(request(target))).toEqual({ status: 400, calls: 0 });
});

it('serves a good target, and a bad Host header falls back to localhost', async () => {
  expect(await raw(request('/v1/integrations'))).toEqual({ status: 200, calls: 1 });
  expect(await raw(request('/v1/integrations', '[bad'))).toEqual({ status: 200, calls: 1 });
});
