// The fetch transport (ky over a user-supplied fetch): the path for Bun, Deno, edge runtimes and
// browsers, tested without Node's http stack.
import { describe, expect, it } from 'vitest';
import { createHttpClient, type HmiError } from '@hmi/core';

type Seen = { method: string; url: string; redirect: RequestRedirect; headers: Record<string, string>; body: string };

/** A fetch that records what ky hands it and answers from `route`. */
function fakeFetch(route: (req: Request) => Response) {
  const seen: Seen[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(input, init);
    seen.push({
      method: req.method,
      url: req.url,
      redirect: req.redirect,
      headers: Object.fromEntries(req.headers),
      body: req.body ? await req.clone().text() : '',
    });
    return route(req);
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

describe('fetch transport (ky over the given fetch)', () => {
  it('asks for manual redirects and follows them itself, dropping credentials off the origin', async () => {
    const { fetch, seen } = fakeFetch((req) => {
      const url = new URL(req.url);
      if (url.host === 'api.vendor.test')
        return new Response(null, { status: 307, headers: { location: 'https://cdn.other.test/file' } });
      return Response.json({ ok: true });
    });
    const client = createHttpClient({
      baseUrl: 'https://api.vendor.test',
      fetch,
      auth: { type: 'header', name: 'x-api-key', value: 'sk_live_fetch_canary' },
      headers: { 'x-tenant': 'north' },
    });
    await expect(client.request({ method: 'POST', path: '/upload', json: { a: 1 }, idempotencyKey: 'k' })).resolves.toEqual({
      ok: true,
    });
    expect(seen.map((s) => [s.method, s.url, s.redirect])).toEqual([
      ['POST', 'https://api.vendor.test/upload', 'manual'],
      ['POST', 'https://cdn.other.test/file', 'manual'],
    ]);
    expect(seen[0]?.headers['x-api-key']).toBe('sk_live_fetch_canary');
    expect(seen[1]?.headers['x-api-key']).toBeUndefined();
    expect(seen[1]?.headers['x-tenant']).toBe('north');
    expect(seen[1]?.body).toBe('{"a":1}');
  });

  it('a runtime that hides the redirect (opaque redirect) fails with redirect_not_followed', async () => {
    const opaque = Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
    const { fetch, seen } = fakeFetch(() => opaque);
    const client = createHttpClient({ baseUrl: 'https://api.vendor.test', fetch, retry: { retries: 3 } });
    await expect(client.request({ path: '/x' })).rejects.toMatchObject({ code: 'redirect_not_followed', retryable: false });
    expect(seen).toHaveLength(1);
  });

  it('caps a streamed body after decoding, reading no more than needed', async () => {
    let pulled = 0;
    const { fetch } = fakeFetch(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled++;
              controller.enqueue(new Uint8Array(64 * 1024));
            },
          }),
          { status: 200 },
        ),
    );
    const client = createHttpClient({ baseUrl: 'https://api.vendor.test', fetch, maxResponseBytes: 256 * 1024 });
    const error = (await client.request({ path: '/endless', responseType: 'bytes' }).catch((e: unknown) => e)) as HmiError;
    expect(error).toMatchObject({ code: 'response_too_large', status: 200 });
    // An endless body: the stream was cancelled just past the cap.
    expect(pulled).toBeLessThan(10);
  });

  it('reads text, bytes and JSON, and keeps safe request ids', async () => {
    const { fetch } = fakeFetch((req) =>
      new URL(req.url).pathname === '/t'
        ? new Response('مرحبا', { headers: { 'x-request-id': 'req_fetch_1' } })
        : Response.json({ n: 1 }, { headers: { 'x-request-id': 'Bearer nope' } }),
    );
    const client = createHttpClient({ baseUrl: 'https://api.vendor.test', fetch });
    await expect(client.requestRaw({ path: '/t', responseType: 'text' })).resolves.toMatchObject({
      data: 'مرحبا',
      requestId: 'req_fetch_1',
    });
    await expect(client.requestRaw({ path: '/j' })).resolves.toMatchObject({ data: { n: 1 }, requestId: undefined });
    const bytes = await client.request<Uint8Array>({ path: '/t', responseType: 'bytes' });
    expect(new TextDecoder().decode(bytes)).toBe('مرحبا');
  });
});
