import { brotliCompressSync, gzipSync } from 'node:zlib';
import { http as mswHttp, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createHttpClient, NetworkError } from '@hmi/core';
import { startLoopbackServer } from '@hmi/testing';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Parameters<typeof startLoopbackServer>[0]) {
  const server = await startLoopbackServer(handler);
  servers.push(server);
  return server;
}

describe('node transport', () => {
  it('follows a same-origin redirect with credentials, 303 turns a POST into a GET', async () => {
    const server = await serve((req) => {
      if (req.path === '/old') return { status: 301, headers: { location: '/new' } };
      if (req.path === '/create') return { status: 303, headers: { location: '/created/1' } };
      return {
        status: 200,
        body: JSON.stringify({ path: req.path, method: req.method, auth: req.headers.authorization ?? null }),
      };
    });
    const client = createHttpClient({
      baseUrl: server.url,
      allowInsecureHttp: true,
      auth: { type: 'bearer', token: 'tok-redirect-1' },
    });
    await expect(client.request({ path: '/old' })).resolves.toEqual({
      path: '/new',
      method: 'GET',
      auth: 'Bearer tok-redirect-1',
    });
    await expect(client.request({ method: 'POST', path: '/create', json: { a: 1 } })).resolves.toEqual({
      path: '/created/1',
      method: 'GET',
      auth: 'Bearer tok-redirect-1',
    });
  });

  it('drops credentials when a redirect leaves the origin, and stops after 5 hops', async () => {
    const other = await serve((req) => ({
      status: 200,
      body: JSON.stringify({ auth: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null }),
    }));
    const server = await serve((req) => {
      if (req.path === '/away') return { status: 307, headers: { location: `${other.url}/landing` } };
      return { status: 302, headers: { location: `/loop${req.path.length}` } };
    });
    const client = createHttpClient({
      baseUrl: server.url,
      allowInsecureHttp: true,
      auth: { type: 'bearer', token: 'tok-redirect-2' },
      headers: { 'x-api-key': 'k' },
    });
    // x-api-key is a credential by its name: it stays on the origin too (issue 11 #1).
    await expect(client.request({ path: '/away' })).resolves.toEqual({ auth: null, key: null });
    const error = await client.request({ path: '/loop' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 302 });
    expect(server.seen.filter((r) => r.path.startsWith('/loop'))).toHaveLength(6);
  });

  it('decodes gzip and brotli bodies', async () => {
    const payload = JSON.stringify({ greeting: 'مرحبا', n: 1 });
    const raw = await startLoopbackServer((req) =>
      req.path === '/br'
        ? new Response(brotliCompressSync(payload), { headers: { 'content-type': 'application/json', 'content-encoding': 'br' } })
        : new Response(gzipSync(payload), { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }),
    );
    try {
      const client = createHttpClient({ baseUrl: raw.url, allowInsecureHttp: true });
      await expect(client.request({ path: '/gz' })).resolves.toEqual({ greeting: 'مرحبا', n: 1 });
      await expect(client.request({ path: '/br' })).resolves.toEqual({ greeting: 'مرحبا', n: 1 });
    } finally {
      await raw.close();
    }
  });

  it('reuses pooled keep-alive connections, and close() releases them', async () => {
    const server = await serve(() => ({ status: 200, body: '{}' }));
    const client = createHttpClient({ baseUrl: server.url, allowInsecureHttp: true });
    for (let i = 0; i < 5; i++) await client.request({ path: '/x' });
    expect(new Set(server.seen.map((r) => r.remotePort)).size).toBe(1);
    client.close();
    // A closed pool is rebuilt on the next request, on a new connection.
    await expect(client.request({ path: '/x' })).resolves.toEqual({});
    expect(new Set(server.seen.map((r) => r.remotePort)).size).toBe(2);
  });

  it('a custom fetch is used (through ky) instead of the node transport', async () => {
    const calls: string[] = [];
    const client = createHttpClient({
      baseUrl: 'https://vendor.test/api',
      fetch: async (input) => {
        calls.push(
          input instanceof Request ? `${input.method} ${input.url} ${input.headers.get('idempotency-key')}` : String(input),
        );
        return new Response('{"via":"fetch"}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    await expect(client.request({ method: 'POST', path: '/things', json: { a: 1 }, idempotencyKey: 'k9' })).resolves.toEqual({
      via: 'fetch',
    });
    expect(calls).toEqual(['POST https://vendor.test/api/things k9']);
  });

  it('a custom fetch that throws is a NetworkError', async () => {
    const client = createHttpClient({
      baseUrl: 'https://vendor.test',
      retry: false,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect(NetworkError.isInstance(await client.request({ path: '/x' }).catch((e: unknown) => e))).toBe(true);
  });
});

describe('transport option', () => {
  it('an unknown transport is a ConfigError; the undici transport is gone', () => {
    expect(() => createHttpClient({ baseUrl: 'https://x.test', transport: 'carrier-pigeon' as never })).toThrow(ConfigError);
    expect(() => createHttpClient({ baseUrl: 'https://x.test', transport: 'undici' as never })).toThrow(ConfigError);
  });
});

describe('MSW interception (what connector tests rely on)', () => {
  const seen: Array<{ method: string; body: unknown; key: string | null; auth: string | null }> = [];
  const msw = setupServer(
    mswHttp.all('https://vendor.msw.test/v1/items', async ({ request }) => {
      seen.push({
        method: request.method,
        body: request.method === 'GET' ? null : await request.json(),
        key: request.headers.get('idempotency-key'),
        auth: request.headers.get('authorization'),
      });
      return HttpResponse.json({ ok: true, method: request.method });
    }),
  );
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => msw.close());

  it.each(['node', 'fetch'] as const)('intercepts the %s transport', async (transport) => {
    seen.length = 0;
    const client = createHttpClient({
      baseUrl: 'https://vendor.msw.test/v1',
      transport,
      auth: { type: 'bearer', token: 'tok-msw-1' },
    });
    await expect(client.request({ path: '/items' })).resolves.toEqual({ ok: true, method: 'GET' });
    await expect(
      client.request({ method: 'POST', path: '/items', json: { name: 'x' }, idempotencyKey: 'idem-1' }),
    ).resolves.toEqual({ ok: true, method: 'POST' });
    expect(seen).toEqual([
      { method: 'GET', body: null, key: null, auth: 'Bearer tok-msw-1' },
      { method: 'POST', body: { name: 'x' }, key: 'idem-1', auth: 'Bearer tok-msw-1' },
    ]);
  });
});
