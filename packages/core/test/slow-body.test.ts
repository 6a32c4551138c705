import { createServer as createTcpServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { type LoopbackListener, listenOnLoopback } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HmiError, TimeoutError } from '@hmi/core';

let server: LoopbackListener | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that sends the headers and the first half of the body at once, the rest much later. */
async function slowBody(gzip: boolean): Promise<string> {
  const body = Buffer.from(JSON.stringify({ name: 'عائشة', items: Array.from({ length: 200 }, (_, i) => i) }));
  const payload = gzip ? gzipSync(body) : body;
  const half = Math.floor(payload.length / 2);
  server = await listenOnLoopback((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(payload.length),
      ...(gzip && { 'content-encoding': 'gzip' }),
    });
    res.write(payload.subarray(0, half));
    const later = setTimeout(() => res.end(payload.subarray(half)), 2_000);
    res.on('close', () => clearTimeout(later));
  });
  return server.url;
}

/**
 * A body delimited by the connection closing (no length, not chunked, as old servers and some
 * proxies send it): when the timeout destroys the socket, node's parser sees a complete body.
 */
async function closeDelimitedSlowBody(): Promise<string> {
  server = await listenOnLoopback(
    createTcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"name":"عائ');
      });
    }),
  );
  return server.url;
}

describe('a timeout that cuts a body still arriving', () => {
  it.each([
    ['plain', false],
    ['gzip', true],
  ])('%s body: TimeoutError, not invalid_json (node transport)', async (_name, gzip) => {
    const baseUrl = await slowBody(gzip);
    const client = createHttpClient({ baseUrl, allowInsecureHttp: true, timeoutMs: 200, retry: false });
    const error = (await client.request({ path: '/slow' }).catch((e: unknown) => e)) as HmiError;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.code).toBe('timeout');
    client.close();
  });

  it('close-delimited body: TimeoutError, not invalid_json (node transport)', async () => {
    const baseUrl = await closeDelimitedSlowBody();
    const client = createHttpClient({ baseUrl, allowInsecureHttp: true, timeoutMs: 200, retry: false });
    const error = (await client.request({ path: '/slow' }).catch((e: unknown) => e)) as HmiError;
    expect(error.code).toBe('timeout');
    expect(TimeoutError.isInstance(error)).toBe(true);
    client.close();
  });
});
