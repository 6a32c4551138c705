import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '@hmi/core';

const original = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = original;
});

describe('fetch transport without a fetch option', () => {
  it('looks up globalThis.fetch at call time (an interceptor installed after the client sees the call)', async () => {
    const client = createHttpClient({ baseUrl: 'https://api.example.com', transport: 'fetch', retry: false });
    const seen: string[] = [];
    // Installed after the client exists, as MSW's server.listen() may be.
    globalThis.fetch = async (input) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return new Response('{"late":true}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await expect(client.request({ path: '/v1/ping' })).resolves.toEqual({ late: true });
    expect(seen).toEqual(['https://api.example.com/v1/ping']);
  });

  it('the token endpoint of oauth2 also uses the fetch present at call time', async () => {
    const client = createHttpClient({
      baseUrl: 'https://api.example.com',
      transport: 'fetch',
      retry: false,
      auth: { type: 'oauth2-client-credentials', tokenUrl: 'https://idp.example.com/token', clientId: 'c', clientSecret: 's' },
    });
    const seen: string[] = [];
    globalThis.fetch = async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      seen.push(url);
      const body = url.endsWith('/token') ? '{"access_token":"t1","token_type":"bearer","expires_in":300}' : '{"ok":1}';
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await expect(client.request({ path: '/x' })).resolves.toEqual({ ok: 1 });
    expect(seen).toEqual(['https://idp.example.com/token', 'https://api.example.com/x']);
  });
});
