import { connect } from 'node:net';
import { toNodeHandler } from '@hmi/flow';
import { type LoopbackListener, listenOnLoopback } from '@hmi/testing';
import { afterEach, expect, it } from 'vitest';

let server: LoopbackListener | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends raw bytes (what no HTTP client would send) and returns the status line. */
async function raw(text: string, options: Parameters<typeof toNodeHandler>[1] = {}): Promise<{ status: number; calls: number }> {
  let calls = 0;
  server = await listenOnLoopback(
    toNodeHandler(async () => {
      calls++;
      return new Response('ok');
    }, options),
  );
  const { port } = server;
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let data = '';
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1]), calls };
}

const request = (target: string, host = 'crm.example') =>
  `POST ${target} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;

it.each([
  ['an absolute target with a broken IPv6 host', 'http://[/webhooks/stripe'],
  ['a target with a bad port', 'http://crm.example:99999/webhooks/stripe'],
])('answers 400, never 500, to %s', async (_, target) => {
  for (const options of [{}, { publicOrigin: 'https://crm.example' }, { trustProxy: true }]) {
    expect(await raw(request(target), options)).toEqual({ status: 400, calls: 0 });
  }
});

it('still serves a good target, and a bad Host header falls back to localhost', async () => {
  expect(await raw(request('/webhooks/stripe'))).toEqual({ status: 200, calls: 1 });
  expect(await raw(request('/webhooks/stripe', '[bad'))).toEqual({ status: 200, calls: 1 });
});
