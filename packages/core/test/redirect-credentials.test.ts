// Issue 11 #1: every credential the client adds (auth strategies' headers, headers marked secret)
// is dropped when a redirect leaves the origin, on every transport, GET and POST.
import { afterEach, describe, expect, it } from 'vitest';
import { type AuthConfig, type AuthStrategy, createHttpClient, type HttpClientOptions } from '@hmi/core';
import { type LoopbackRequest, startLoopbackServer } from '@hmi/testing';

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

const KEY = 'sk_live_canary_redirect_key_0001';
const TOKEN = 'tok_canary_redirect_bearer_0002';
const PASSWORD = 'pw_canary_redirect_0003';
const SIGNATURE = 'sig_canary_custom_strategy_0004';
const CLINIC_SECRET = 'clinic_canary_marked_secret_0005';
const OAUTH_TOKEN = 'at_canary_oauth_0006';

/** Every header value the other origin received, joined: a canary must not appear in it. */
function everything(requests: LoopbackRequest[]): string {
  return requests.map((r) => `${r.url} ${JSON.stringify(r.headers)} ${r.body}`).join('\n');
}

const customStrategy: AuthStrategy = {
  name: 'vendor-signature',
  apply: async (headers) => {
    headers.set('x-vendor-signature', SIGNATURE);
    return SIGNATURE;
  },
  secrets: () => [SIGNATURE],
};

async function tokenServer() {
  return serve(() => ({ status: 200, body: JSON.stringify({ access_token: OAUTH_TOKEN, expires_in: 3600 }) }));
}

const cases: Array<{ name: string; options: () => Promise<Partial<HttpClientOptions>>; canaries: string[] }> = [
  {
    name: "auth type 'header'",
    options: async () => ({ auth: { type: 'header', name: 'x-api-key', value: KEY } }),
    canaries: [KEY],
  },
  { name: 'bearer', options: async () => ({ auth: { type: 'bearer', token: TOKEN } }), canaries: [TOKEN] },
  {
    name: 'basic',
    options: async () => ({ auth: { type: 'basic', username: 'clinic', password: PASSWORD } }),
    canaries: [Buffer.from(`clinic:${PASSWORD}`).toString('base64')],
  },
  {
    name: 'oauth2 client credentials',
    options: async () => {
      const token = await tokenServer();
      const auth: AuthConfig = {
        type: 'oauth2-client-credentials',
        tokenUrl: `${token.url}/token`,
        clientId: 'cid',
        clientSecret: 'csecret',
      };
      return { auth };
    },
    canaries: [OAUTH_TOKEN],
  },
  { name: 'a custom AuthStrategy', options: async () => ({ auth: customStrategy }), canaries: [SIGNATURE] },
  { name: 'a headers option named like a key', options: async () => ({ headers: { 'x-api-key': KEY } }), canaries: [KEY] },
  {
    name: 'a header marked with secretHeaders',
    options: async () => ({ headers: { 'x-clinic-ref': CLINIC_SECRET }, secretHeaders: ['X-Clinic-Ref'] }),
    canaries: [CLINIC_SECRET],
  },
];

describe.each(['node', 'fetch'] as const)('cross-origin redirect on the %s transport', (transport) => {
  describe.each([
    { method: 'GET' as const, status: 302 },
    { method: 'POST' as const, status: 307 },
    { method: 'POST' as const, status: 302 },
  ])('$method answered $status', ({ method, status }) => {
    it.each(cases)('drops the credential of $name', async ({ options, canaries }) => {
      const other = await serve(() => ({ status: 200, body: JSON.stringify({ landed: true }) }));
      const origin = await serve((req) =>
        req.path === '/go' ? { status, headers: { location: `${other.url}/landing` } } : { status: 404 },
      );
      const client = createHttpClient({
        baseUrl: origin.url,
        allowInsecureHttp: true,
        transport,
        retry: false,
        ...(await options()),
      });
      const request =
        method === 'GET' ? { path: '/go' } : { method, path: '/go', json: { note: 'hello' }, idempotencyKey: 'idem-1' };
      await expect(client.request(request)).resolves.toEqual({ landed: true });
      // The origin saw the credential (so the test would notice if none was sent at all)…
      const atOrigin = everything(origin.seen);
      for (const canary of canaries) expect(atOrigin).toContain(canary);
      // …and the other origin saw none of it.
      expect(other.seen).toHaveLength(1);
      const elsewhere = everything(other.seen);
      for (const canary of canaries) expect(elsewhere).not.toContain(canary);
      expect(other.seen[0]?.headers.authorization).toBeUndefined();
      client.close();
    });
  });

  it('keeps the credentials on a same-origin redirect, and sends non-secret headers across', async () => {
    const other = await serve((req) => ({ status: 200, body: JSON.stringify({ tenant: req.headers['x-tenant'] ?? null }) }));
    const origin = await serve((req) => {
      if (req.path === '/old') return { status: 301, headers: { location: '/new' } };
      if (req.path === '/away') return { status: 302, headers: { location: `${other.url}/x` } };
      return { status: 200, body: JSON.stringify({ key: req.headers['x-api-key'] ?? null }) };
    });
    const client = createHttpClient({
      baseUrl: origin.url,
      allowInsecureHttp: true,
      transport,
      auth: { type: 'header', name: 'x-api-key', value: KEY },
      headers: { 'x-tenant': 'riyadh-north' },
    });
    await expect(client.request({ path: '/old' })).resolves.toEqual({ key: KEY });
    await expect(client.request({ path: '/away' })).resolves.toEqual({ tenant: 'riyadh-north' });
    client.close();
  });
});

describe('token endpoint redirects', () => {
  it('a token endpoint that redirects elsewhere is refused; the client secret never leaves its origin', async () => {
    const other = await serve(() => ({ status: 200, body: JSON.stringify({ access_token: 'stolen', expires_in: 60 }) }));
    const idp = await serve(() => ({ status: 307, headers: { location: `${other.url}/token` } }));
    const api = await serve(() => ({ status: 200, body: '{}' }));
    const client = createHttpClient({
      baseUrl: api.url,
      allowInsecureHttp: true,
      retry: false,
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: `${idp.url}/token`,
        clientId: 'cid',
        clientSecret: 'client_secret_canary_0007',
        clientAuthMethod: 'post',
      },
    });
    await expect(client.request({ path: '/x' })).rejects.toMatchObject({ code: 'auth_error', status: 307 });
    expect(everything(idp.seen)).toContain('client_secret_canary_0007');
    expect(other.seen).toHaveLength(0);
    expect(api.seen).toHaveLength(0);
  });
});
