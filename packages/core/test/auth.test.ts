import * as jose from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  AuthError,
  type AuthStrategy,
  ConfigError,
  createHttpClient,
  createTelemetry,
  type HmiError,
  type HttpClientOptions,
} from '@hmi/core';
import { TokenCache } from '@hmi/core/internal';
import { expectNoLeaks, type LoopbackReply, type LoopbackRequest, startLoopbackServer } from '@hmi/testing';
import { recordEvents } from './record-events.js';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as HmiError,
  );

/** A loopback identity provider plus API: /token issues tok-1, tok-2, …; /api accepts `valid` tokens. */
async function idpAndApi(
  options: {
    tokenReply?: (req: LoopbackRequest, n: number) => LoopbackReply | Promise<LoopbackReply>;
    apiReply?: (req: LoopbackRequest, token: string | undefined) => LoopbackReply | Promise<LoopbackReply>;
    tokenDelayMs?: number;
    expiresIn?: number;
  } = {},
) {
  let issued = 0;
  const tokenRequests: LoopbackRequest[] = [];
  const apiRequests: LoopbackRequest[] = [];
  const server = await startLoopbackServer(async (req) => {
    if (req.path === '/token') {
      tokenRequests.push(req);
      issued++;
      if (options.tokenDelayMs) await sleep(options.tokenDelayMs);
      if (options.tokenReply) return options.tokenReply(req, issued);
      return {
        status: 200,
        body: JSON.stringify({
          access_token: `tok-${issued}-abcdef`,
          token_type: 'Bearer',
          expires_in: options.expiresIn ?? 3600,
        }),
      };
    }
    apiRequests.push(req);
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (options.apiReply) return options.apiReply(req, token);
    return { status: 200, body: JSON.stringify({ token }) };
  });
  servers.push(server);
  return { url: server.url, tokenUrl: `${server.url}/token`, tokenRequests, apiRequests };
}

function client(url: string, auth: HttpClientOptions['auth'], extra: Partial<HttpClientOptions> = {}) {
  const telemetry = createTelemetry();
  const events = recordEvents(telemetry);
  const c = createHttpClient({
    baseUrl: url,
    allowInsecureHttp: true,
    auth,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    telemetry,
    ...extra,
  });
  return { client: c, events };
}

const cc = (tokenUrl: string, extra: object = {}) =>
  ({
    type: 'oauth2-client-credentials',
    tokenUrl,
    clientId: 'crm-client',
    clientSecret: 'cs_secret_canary_91',
    scope: 'patient/*.read',
    ...extra,
  }) as const;

describe('OAuth2 client credentials', () => {
  it('authenticates with client_secret_basic, caches the token and sends it as a bearer', async () => {
    const idp = await idpAndApi();
    const { client: c } = client(idp.url, cc(idp.tokenUrl));
    for (let i = 0; i < 3; i++) await expect(c.request({ path: '/api' })).resolves.toEqual({ token: 'tok-1-abcdef' });
    expect(idp.tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(idp.tokenRequests[0]!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('patient/*.read');
    expect(form.get('client_secret')).toBeNull();
    expect(idp.tokenRequests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('crm-client:cs_secret_canary_91').toString('base64')}`,
    );
    expect(idp.tokenRequests[0]!.headers['content-type']).toContain('application/x-www-form-urlencoded');
  });

  it('supports client_secret_post and extra parameters', async () => {
    const idp = await idpAndApi();
    const { client: c } = client(
      idp.url,
      cc(idp.tokenUrl, { clientAuthMethod: 'post', extraParams: { audience: 'https://api.test' } }),
    );
    await c.request({ path: '/api' });
    const form = new URLSearchParams(idp.tokenRequests[0]!.body);
    expect(form.get('client_id')).toBe('crm-client');
    expect(form.get('client_secret')).toBe('cs_secret_canary_91');
    expect(form.get('audience')).toBe('https://api.test');
    expect(idp.tokenRequests[0]!.headers.authorization).toBeUndefined();
  });

  it('fetches a new token once the cached one nears expiry', async () => {
    const idp = await idpAndApi({ expiresIn: 1 });
    const { client: c, events } = client(idp.url, cc(idp.tokenUrl));
    await c.request({ path: '/api' });
    await c.request({ path: '/api' });
    expect(idp.tokenRequests).toHaveLength(1);
    await sleep(600);
    await expect(c.request({ path: '/api' })).resolves.toEqual({ token: 'tok-2-abcdef' });
    expect(idp.tokenRequests).toHaveLength(2);
    expect(events.filter((e) => e.name === 'auth:refresh').map((e) => e.payload.trigger)).toEqual(['initial', 'expired']);
  });

  it('calls a discovery function for the token URL once', async () => {
    const idp = await idpAndApi();
    let lookups = 0;
    const { client: c } = client(
      idp.url,
      cc('', {
        tokenUrl: async () => {
          lookups++;
          return idp.tokenUrl;
        },
      }),
    );
    await Promise.all([c.request({ path: '/api' }), c.request({ path: '/api' })]);
    await c.request({ path: '/api' });
    expect(lookups).toBe(1);
  });

  it('20 parallel requests trigger exactly one token fetch', async () => {
    const idp = await idpAndApi({ tokenDelayMs: 50 });
    const { client: c } = client(idp.url, cc(idp.tokenUrl));
    const results = await Promise.all(Array.from({ length: 20 }, () => c.request<{ token: string }>({ path: '/api' })));
    expect(idp.tokenRequests).toHaveLength(1);
    expect(new Set(results.map((r) => r.token))).toEqual(new Set(['tok-1-abcdef']));
  });
});

describe('401: refresh once, replay once, then fail', () => {
  it('refreshes the token and replays the request', async () => {
    const idp = await idpAndApi({
      tokenDelayMs: 30,
      apiReply: (_req, token) => (token === 'tok-1-abcdef' ? { status: 401 } : { status: 200, body: JSON.stringify({ token }) }),
    });
    const { client: c, events } = client(idp.url, cc(idp.tokenUrl));
    await expect(c.request({ path: '/api' })).resolves.toEqual({ token: 'tok-2-abcdef' });
    expect(idp.tokenRequests).toHaveLength(2);
    expect(idp.apiRequests).toHaveLength(2);
    const refreshes = events.filter((e) => e.name === 'auth:refresh').map((e) => e.payload);
    expect(refreshes.map((r) => [r.trigger, r.ok, r.strategy])).toEqual([
      ['initial', true, 'oauth2-client-credentials'],
      ['401', true, 'oauth2-client-credentials'],
    ]);
    // The duration is the token endpoint's real time, not a placeholder.
    for (const r of refreshes) expect(r.durationMs).toBeGreaterThanOrEqual(25);
    const ends = events.filter((e) => e.name === 'request:end').map((e) => [e.payload.status, e.payload.attempt]);
    expect(ends).toEqual([
      [401, 1],
      [200, 1],
    ]);
  });

  it('a second 401 after the replay is an AuthError: one refresh, two API requests, no retry loop', async () => {
    const idp = await idpAndApi({ apiReply: () => ({ status: 401, body: '{"error":"invalid_token"}' }) });
    const { client: c } = client(idp.url, cc(idp.tokenUrl));
    const error = await fail(c.request({ path: '/api' }));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(idp.apiRequests).toHaveLength(2);
    expect(idp.tokenRequests).toHaveLength(2);
  });

  it('a static bearer token is not refreshed: one request, AuthError', async () => {
    const idp = await idpAndApi({ apiReply: () => ({ status: 401 }) });
    const { client: c } = client(idp.url, { type: 'bearer', token: 'static-token-123' });
    expect(AuthError.isInstance(await fail(c.request({ path: '/api' })))).toBe(true);
    expect(idp.apiRequests).toHaveLength(1);
  });

  it('20 parallel requests refused with the same token share one refresh', async () => {
    const idp = await idpAndApi({
      tokenDelayMs: 20,
      apiReply: (_req, token) => (token === 'tok-1-abcdef' ? { status: 401 } : { status: 200, body: JSON.stringify({ token }) }),
    });
    const { client: c } = client(idp.url, cc(idp.tokenUrl));
    await c.request({ path: '/api' }).catch(() => {});
    const before = idp.tokenRequests.length;
    const results = await Promise.all(Array.from({ length: 20 }, () => c.request<{ token: string }>({ path: '/api' })));
    expect(results.every((r) => r.token === 'tok-2-abcdef')).toBe(true);
    expect(before).toBe(2);
    expect(idp.tokenRequests).toHaveLength(2);
  });

  it('a custom strategy with refresh gets one refresh and its auth:refresh event is timed', async () => {
    let current = 'custom-1-xyz';
    let refreshes = 0;
    const strategy: AuthStrategy = {
      name: 'vendor-session',
      apply: async (headers) => {
        headers.set('authorization', `Bearer ${current}`);
        return current;
      },
      refresh: async () => {
        refreshes++;
        await sleep(20);
        current = 'custom-2-xyz';
      },
      secrets: () => [current],
    };
    const idp = await idpAndApi({
      apiReply: (_req, token) => (token === 'custom-1-xyz' ? { status: 401 } : { status: 200, body: '{}' }),
    });
    const { client: c, events } = client(idp.url, strategy);
    await c.request({ path: '/api' });
    expect(refreshes).toBe(1);
    const event = events.find((e) => e.name === 'auth:refresh')!.payload;
    expect(event).toMatchObject({ strategy: 'vendor-session', ok: true, trigger: '401' });
    expect(event.durationMs).toBeGreaterThanOrEqual(15);
  });
});

describe('token endpoint failures', () => {
  it('a 400 from the token endpoint is a non-retryable AuthError without the body', async () => {
    const idp = await idpAndApi({
      tokenReply: () => ({ status: 400, body: '{"error":"invalid_client","detail":"cs_secret_canary_91"}' }),
    });
    const { client: c, events } = client(idp.url, cc(idp.tokenUrl));
    const error = await fail(c.request({ path: '/api' }));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.status).toBe(400);
    expect(idp.tokenRequests).toHaveLength(1);
    expect(idp.apiRequests).toHaveLength(0);
    expectNoLeaks([error, events], ['cs_secret_canary_91']);
    expect(events.find((e) => e.name === 'auth:refresh')!.payload).toMatchObject({ ok: false, trigger: 'initial' });
  });

  it('a 503 from the token endpoint is retried by the client', async () => {
    const idp = await idpAndApi({
      tokenReply: (_req, n) =>
        n < 3 ? { status: 503 } : { status: 200, body: '{"access_token":"late-token-1","expires_in":60}' },
    });
    const { client: c } = client(idp.url, cc(idp.tokenUrl));
    await expect(c.request({ path: '/api' })).resolves.toEqual({ token: 'late-token-1' });
    expect(idp.tokenRequests).toHaveLength(3);
  });

  it.each([
    ['malformed JSON', '{"access_token":'],
    ['no access_token', '{"token_type":"bearer"}'],
    ['a negative expiry', '{"access_token":"abc-123456","expires_in":-5}'],
  ])('%s is an AuthError', async (_label, body) => {
    const idp = await idpAndApi({ tokenReply: () => ({ status: 200, body }) });
    const { client: c } = client(idp.url, cc(idp.tokenUrl), { retry: false });
    const error = await fail(c.request({ path: '/api' }));
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.stack).not.toContain('access_token":');
  });

  it('a hanging token endpoint gives a timely AuthError', async () => {
    const idp = await idpAndApi({ tokenReply: () => 'hang' });
    const { client: c } = client(idp.url, cc(idp.tokenUrl), { timeoutMs: 150, retry: false });
    const error = await fail(c.request({ path: '/api' }));
    // Whichever fires first, the attempt's timeout or the token endpoint's own: a typed timeout.
    expect(['auth_timeout', 'timeout']).toContain(error.code);
    expect(error.message).toMatch(/within 150 ms/);
  });

  it('one caller aborting does not fail the token fetch the others share', async () => {
    const idp = await idpAndApi({ tokenDelayMs: 100 });
    const { client: c } = client(idp.url, cc(idp.tokenUrl));
    const controller = new AbortController();
    const aborted = c.request({ path: '/api', signal: controller.signal });
    const other = c.request<{ token: string }>({ path: '/api' });
    setTimeout(() => controller.abort(), 20);
    // The aborted caller stops waiting at once: it settles before the shared fetch completes.
    const order: string[] = [];
    void aborted.catch(() => order.push('aborted'));
    void other.then(() => order.push('other'));
    expect(AbortedError.isInstance(await fail(aborted))).toBe(true);
    await expect(other).resolves.toEqual({ token: 'tok-1-abcdef' });
    expect(order).toEqual(['aborted', 'other']);
    expect(idp.tokenRequests).toHaveLength(1);
  });
});

describe('private-key JWT (jose)', () => {
  async function verifyAssertion(jwt: string, publicKey: jose.CryptoKey, alg: string) {
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, publicKey, { algorithms: [alg] });
    return { payload, protectedHeader };
  }

  it.each(['RS384', 'ES384'] as const)('SMART backend services with %s: claims, kid, fresh jti', async (alg) => {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    // RS384 as a PKCS#8 PEM, ES384 as a private JWK: both forms are accepted.
    const key = alg === 'RS384' ? await jose.exportPKCS8(privateKey) : await jose.exportJWK(privateKey);
    const idp = await idpAndApi({ expiresIn: 1 });
    const { client: c } = client(idp.url, {
      type: 'private-key-jwt',
      tokenUrl: idp.tokenUrl,
      clientId: 'smart-client-7',
      privateKey: key,
      algorithm: alg,
      keyId: 'key-2025-01',
      scope: 'system/Patient.read',
    });
    await c.request({ path: '/api' });
    await sleep(600);
    await c.request({ path: '/api' });
    expect(idp.tokenRequests).toHaveLength(2);
    const jtis: string[] = [];
    for (const req of idp.tokenRequests) {
      const form = new URLSearchParams(req.body);
      expect(form.get('grant_type')).toBe('client_credentials');
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(form.get('scope')).toBe('system/Patient.read');
      const { payload, protectedHeader } = await verifyAssertion(form.get('client_assertion')!, publicKey, alg);
      expect(protectedHeader).toMatchObject({ alg, kid: 'key-2025-01', typ: 'JWT' });
      expect(payload.iss).toBe('smart-client-7');
      expect(payload.sub).toBe('smart-client-7');
      expect(payload.aud).toBe(idp.tokenUrl);
      const now = Math.floor(Date.now() / 1000);
      expect(payload.exp).toBeGreaterThan(now - 5);
      expect(payload.exp!).toBeLessThanOrEqual(now + 300);
      expect(typeof payload.jti).toBe('string');
      jtis.push(payload.jti!);
    }
    expect(new Set(jtis).size).toBe(2);
  });

  it('Google service accounts: the jwt-bearer grant with scope, subject and aud = token URL', async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
    const idp = await idpAndApi();
    const { client: c } = client(idp.url, {
      type: 'private-key-jwt',
      grant: 'jwt-bearer',
      tokenUrl: idp.tokenUrl,
      clientId: 'crm@hospital-project.iam.gserviceaccount.com',
      privateKey: await jose.exportPKCS8(privateKey),
      algorithm: 'RS256',
      keyId: 'gkey1',
      scope: 'https://www.googleapis.com/auth/analytics.readonly',
      subject: 'marketing@hospital.example',
    });
    await c.request({ path: '/api' });
    const form = new URLSearchParams(idp.tokenRequests[0]!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(form.get('client_assertion')).toBeNull();
    const { payload } = await verifyAssertion(form.get('assertion')!, publicKey, 'RS256');
    expect(payload).toMatchObject({
      iss: 'crm@hospital-project.iam.gserviceaccount.com',
      sub: 'marketing@hospital.example',
      aud: idp.tokenUrl,
      scope: 'https://www.googleapis.com/auth/analytics.readonly',
    });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
  });

  it('a key that does not fit the algorithm is a ConfigError without key material', async () => {
    const { privateKey } = await jose.generateKeyPair('ES384', { extractable: true });
    const pem = await jose.exportPKCS8(privateKey);
    const idp = await idpAndApi();
    const { client: c } = client(idp.url, {
      type: 'private-key-jwt',
      tokenUrl: idp.tokenUrl,
      clientId: 'x',
      privateKey: pem,
      algorithm: 'RS384',
    });
    const error = await fail(c.request({ path: '/api' }));
    expect(ConfigError.isInstance(error)).toBe(true);
    const body = pem.split('\n')[1]!;
    expect(JSON.stringify(error) + error.stack + String((error as { cause?: Error }).cause?.stack)).not.toContain(body);
    expect(idp.tokenRequests).toHaveLength(0);
  });
});

describe('TokenCache with a fake clock', () => {
  it('serves the token until expiry minus the skew, capped at half the lifetime', async () => {
    let now = 1_000_000;
    let fetches = 0;
    const cache = new TokenCache(async () => ({ value: `t${++fetches}`, expiresAt: now + 60_000 }), {
      skewMs: 30_000,
      now: () => now,
    });
    expect(await cache.get()).toBe('t1');
    now += 29_000;
    expect(await cache.get()).toBe('t1');
    now += 2_000;
    expect(await cache.get()).toBe('t2');
    const short = new TokenCache(async () => ({ value: `s${++fetches}`, expiresAt: now + 10_000 }), {
      skewMs: 30_000,
      now: () => now,
    });
    expect(await short.get()).toBe('s3');
    now += 4_000;
    expect(await short.get()).toBe('s3');
    now += 2_000;
    expect(await short.get()).toBe('s4');
  });

  it('refresh(used) does nothing when the token was already replaced', async () => {
    let fetches = 0;
    const cache = new TokenCache(async () => ({ value: `t${++fetches}`, expiresAt: Date.now() + 3_600_000 }));
    await cache.get();
    await cache.refresh('t1');
    expect(await cache.get()).toBe('t2');
    await cache.refresh('t1');
    expect(fetches).toBe(2);
  });

  it('a failed fetch is not cached; the next call tries again', async () => {
    let fetches = 0;
    const cache = new TokenCache(async () => {
      fetches++;
      if (fetches === 1) throw new Error('idp down');
      return { value: 'ok-token', expiresAt: Date.now() + 60_000 };
    });
    await expect(cache.get()).rejects.toThrow('idp down');
    await expect(cache.get()).resolves.toBe('ok-token');
  });
});
