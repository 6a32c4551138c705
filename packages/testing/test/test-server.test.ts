import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpClient,
  type HmiError,
  isHmiError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '@hmi/core';
import { http, HttpResponse } from 'msw';
import { createTestServer, fault } from '@hmi/testing';

const server = createTestServer({
  baseUrl: 'https://api.clinic.test/api',
  routes: [{ method: 'GET', path: '/seq', respond: [{ json: 1 }, { json: 2 }] }],
  handlers: [http.get('https://api.clinic.test/api/from-handler', () => HttpResponse.json({ via: 'msw handler' }))],
});
beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

function client(extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) {
  return createHttpClient({
    baseUrl: server.baseUrl,
    auth: { type: 'bearer', token: 'tok_test' },
    timeoutMs: 2000,
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
}

describe('createTestServer: routes, sequences and captured calls', () => {
  it('answers 503, 503, 200 in order and the core client retries through it (three requests)', async () => {
    const route = server.on('GET', '/patients/:id', [fault.status(503, 2), { json: { id: 'p1' } }]);
    await expect(client().request({ path: '/patients/p1' })).resolves.toEqual({ id: 'p1' });
    expect(route.calls).toHaveLength(3);
    expect(route.calls.map((c) => c.response?.status)).toEqual([503, 503, 200]);
    expect(route.calls[0]!.params).toEqual({ id: 'p1' });
    expect(server.callsTo('GET', '/patients/p1')).toHaveLength(3);
  });

  it('works with the core client over its fetch transport too', async () => {
    const route = server.on('GET', '/patients/:id', [fault.status(503), fault.reset(), { json: { id: 'p2' } }]);
    await expect(client({ transport: 'fetch' }).request({ path: '/patients/p2' })).resolves.toEqual({ id: 'p2' });
    expect(route.calls).toHaveLength(3);
  });

  it('repeats the last step of a sequence for every later call', async () => {
    server.on('GET', '/n', [{ json: 1 }, { json: 2 }]);
    const c = client();
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await c.request({ path: '/n' }));
    expect(seen).toEqual([1, 2, 2, 2]);
  });

  it('captures method, full URL, headers as a plain object and a JSON body', async () => {
    server.on('POST', '/messages', { status: 201, json: { ok: true } });
    await client().request({
      method: 'POST',
      path: '/messages',
      query: { lang: 'ar' },
      json: { to: '+966555123456', body: 'مرحبا' },
      idempotencyKey: 'k-1',
    });
    const [call] = server.calls;
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://api.clinic.test/api/messages?lang=ar',
      path: '/api/messages',
      query: { lang: 'ar' },
      contentType: 'application/json',
      body: { to: '+966555123456', body: 'مرحبا' },
      route: 'POST /messages',
    });
    expect(call!.headers.authorization).toBe('Bearer tok_test');
    expect(call!.headers['idempotency-key']).toBe('k-1');
    expect(call!.response).toMatchObject({ status: 201, body: { ok: true } });
  });

  it('decodes form bodies with bracket notation and repeated keys into objects', async () => {
    server.on('POST', '/form', { json: {} });
    await client().request({
      method: 'POST',
      path: '/form',
      form: new URLSearchParams([
        ['amount', '2000'],
        ['metadata[order]', '42'],
        ['payment_method_types[0]', 'card'],
        ['payment_method_types[1]', 'mada'],
        ['MediaUrl', 'https://a.test/1.png'],
        ['MediaUrl', 'https://a.test/2.png'],
      ]),
    });
    expect(server.calls[0]!.body).toEqual({
      amount: '2000',
      metadata: { order: '42' },
      payment_method_types: ['card', 'mada'],
      MediaUrl: ['https://a.test/1.png', 'https://a.test/2.png'],
    });
    expect(server.calls[0]!.rawBody).toContain('metadata%5Border%5D=42');
  });

  it('captures a text body as text', async () => {
    server.on('PUT', '/note', { status: 204 });
    await client().request({ method: 'PUT', path: '/note', body: 'MSH|^~\\&|', headers: { 'content-type': 'text/plain' } });
    expect(server.calls[0]!.body).toBe('MSH|^~\\&|');
  });

  it('matches RegExp paths and the newest route first; `match` narrows a route', async () => {
    server.on('GET', /^\/api\/items\/\d+$/, { json: 'old' });
    server.on('GET', /^\/api\/items\/\d+$/, { json: 'new' });
    server.route({ method: 'GET', path: '/items/7', match: (c) => c.query.v === '2', respond: { json: 'v2' } });
    const c = client();
    expect(await c.request({ path: '/items/3' })).toBe('new');
    expect(await c.request({ path: '/items/7', query: { v: 2 } })).toBe('v2');
  });

  it('falls back to plain MSW handlers and records their responses', async () => {
    await expect(client().request({ path: '/from-handler' })).resolves.toEqual({ via: 'msw handler' });
    expect(server.calls[0]).toMatchObject({ route: 'handler', response: { status: 200, body: { via: 'msw handler' } } });
  });

  it('answers a request nothing handles with a network error and records it as unhandled', async () => {
    const error = await client({ retry: false })
      .request({ path: '/nowhere' })
      .catch((e: unknown) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(server.unhandled.map((c) => c.url)).toEqual(['https://api.clinic.test/api/nowhere']);
    expect(() => server.assertNoUnhandled()).toThrow(/GET https:\/\/api\.clinic\.test\/api\/nowhere/);
  });

  it('refuses a request on another origin even when the path matches', async () => {
    server.on('GET', '/x', { json: 1 });
    await expect(server.fetch('https://elsewhere.test/api/x')).rejects.toThrow();
    expect(server.unhandled).toHaveLength(1);
  });

  it('reset() forgets calls and added routes, and restarts the sequences of initial routes', async () => {
    const c = client({ retry: false });
    server.on('GET', '/temp', { json: 'x' });
    expect(await c.request({ path: '/seq' })).toBe(1);
    expect(await c.request({ path: '/seq' })).toBe(2);
    server.reset();
    expect(server.calls).toHaveLength(0);
    expect(await c.request({ path: '/seq' })).toBe(1);
    const error = await c.request({ path: '/temp' }).catch((e: unknown) => e);
    expect(NetworkError.isInstance(error)).toBe(true);
  });

  it('defaults to an https base URL so connectors need no allowInsecureHttp', () => {
    expect(createTestServer().baseUrl).toBe('https://api.hmi.test');
    expect(server.url('/x')).toBe('https://api.clinic.test/api/x');
  });
});

describe('createTestServer: faults', () => {
  it('fault.rateLimit gives a 429 with Retry-After that the core honours', async () => {
    server.on('GET', '/limited', [fault.rateLimit({ retryAfter: 1 }), { json: { ok: 1 } }]);
    const started = Date.now();
    await expect(client().request({ path: '/limited' })).resolves.toEqual({ ok: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.calls[0]!.response).toMatchObject({ status: 429, headers: { 'retry-after': '1' }, fault: 'rateLimit' });
  });

  it('fault.rateLimit without retries surfaces a RateLimitError with retryAfterMs', async () => {
    server.on('GET', '/limited', fault.rateLimit({ retryAfter: 7 }));
    const error = await client({ retry: false })
      .request({ path: '/limited' })
      .catch((e: unknown) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it('fault.reset is a connection reset: a retryable NetworkError, retried for GET', async () => {
    server.on('GET', '/flaky', [fault.reset(), { json: [] }]);
    await expect(client().request({ path: '/flaky' })).resolves.toEqual([]);
    expect(server.calls.map((c) => c.response?.fault ?? c.response?.status)).toEqual(['reset', 200]);
  });

  it('a POST without idempotency key on a 5xx burst is sent once', async () => {
    server.on('POST', '/charges', [fault.status(503, 2), { json: { id: 'ch_1' } }]);
    const error = await client()
      .request({ method: 'POST', path: '/charges', json: {} })
      .catch((e: unknown) => e);
    expect((error as HmiError).status).toBe(503);
    expect(server.calls).toHaveLength(1);
  });

  it('faultNext answers the next requests whatever their route, then routing resumes', async () => {
    server.on('POST', '/charges', { json: { id: 'ch_1' } });
    server.faultNext(fault.status(502), fault.reset());
    await expect(client().request({ method: 'POST', path: '/charges', json: {}, idempotencyKey: 'idem-1' })).resolves.toEqual({
      id: 'ch_1',
    });
    expect(server.calls.map((c) => c.headers['idempotency-key'])).toEqual(['idem-1', 'idem-1', 'idem-1']);
    expect(server.calls.map((c) => c.route)).toEqual(['faultNext', 'faultNext', 'POST /charges']);
  });

  it('fault.hang never answers: the client times out quickly and the hang ends with the abort', async () => {
    server.on('GET', '/hang', fault.hang());
    const started = Date.now();
    const error = await client({ timeoutMs: 300, retry: false })
      .request({ path: '/hang' })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fault.hang honours an AbortSignal from the caller', async () => {
    server.on('GET', '/hang', fault.hang());
    const controller = new AbortController();
    const pending = server.fetch(server.url('/hang'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
  });

  it('fault.malformedJson: a 200 whose JSON does not parse is a typed error, not a crash', async () => {
    server.on('GET', '/broken', fault.malformedJson());
    const error = await client({ retry: false })
      .request({ path: '/broken' })
      .catch((e: unknown) => e);
    expect(isHmiError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(SyntaxError);
  });

  it('fault.slowBody delivers the body in pieces and the core reads it whole when in time', async () => {
    server.on('GET', '/slow', fault.slowBody({ json: { id: 'x', name: 'فاطمة' }, chunks: 3, delayMs: 60 }));
    const started = Date.now();
    await expect(client().request({ path: '/slow' })).resolves.toEqual({ id: 'x', name: 'فاطمة' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('fault.slowBody: a body slower than the timeout is a TimeoutError (fetch transport)', async () => {
    server.on('GET', '/slow', fault.slowBody({ chunks: ['{"a":', '1', '}'], delayMs: 400 }));
    const error = await client({ timeoutMs: 250, retry: false, transport: 'fetch' })
      .request({ path: '/slow' })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it('fault.slowBody: over the node transport a body cut by the timeout is still a typed, retryable error', async () => {
    // MSW's http interceptor ends a destroyed response quietly, so the core currently reports the
    // truncated body as invalid JSON rather than a timeout; either way it must be typed and retryable.
    server.on('GET', '/slow', fault.slowBody({ chunks: ['{"a":', '1', '}'], delayMs: 400 }));
    const error = await client({ timeoutMs: 250, retry: false })
      .request({ path: '/slow' })
      .catch((e: unknown) => e);
    expect(isHmiError(error)).toBe(true);
    expect((error as HmiError).retryable).toBe(true);
  });

  it('a ReplySpec delay is aborted with the request', async () => {
    server.on('GET', '/late', { json: 1, delayMs: 5000 });
    const started = Date.now();
    const error = await client({ timeoutMs: 200, retry: false })
      .request({ path: '/late' })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a resolver function can compute the response from the captured call', async () => {
    server.on('POST', '/echo', (call) => ({ status: 201, json: { got: call.body } }));
    await expect(client().request({ method: 'POST', path: '/echo', json: { a: 1 } })).resolves.toEqual({ got: { a: 1 } });
  });

  it('rejects a fault repeated a non-positive number of times', () => {
    expect(() => fault.status(503, 0)).toThrow(RangeError);
  });

  it('a zod schema mismatch on a fixture is a ValidationError (the server serves what it is told)', async () => {
    const { z } = await import('zod');
    server.on('GET', '/typed', { json: { id: 5 } });
    const error = await client()
      .request({ path: '/typed', schema: z.object({ id: z.string() }) })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
  });
});
