import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AbortedError,
  ApiError,
  AuthError,
  CircuitOpenError,
  ConfigError,
  createHttpClient,
  createTelemetry,
  type HmiError,
  type HttpClientOptions,
  isHmiError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '@hmi/core';
import { type LoopbackReply, type LoopbackRequest, listenOnLoopback, startLoopbackServer } from '@hmi/testing';
import { recordEvents } from './record-events.js';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

async function setup(
  handler: (req: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>,
  extra: Partial<HttpClientOptions> = {},
) {
  server = await startLoopbackServer(handler);
  const telemetry = createTelemetry();
  const events = recordEvents(telemetry);
  const client = createHttpClient({
    baseUrl: server.url,
    allowInsecureHttp: true,
    timeoutMs: 2000,
    retry: fast,
    telemetry,
    ...extra,
  });
  return { client, events, seen: server.seen };
}

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as HmiError,
  );

describe('status classification and retries', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i for GET, then succeeds', async (status) => {
    let n = 0;
    const { client, seen, events } = await setup(() => (n++ === 0 ? { status } : { status: 200, body: '{"ok":1}' }));
    await expect(client.request({ path: '/x' })).resolves.toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
    expect(events.filter((e) => e.name === 'retry')).toHaveLength(1);
  });

  it.each([400, 403, 404, 409, 422, 501])('does not retry %i', async (status) => {
    const { client, seen } = await setup(() => ({ status, body: '{"message":"nope"}' }));
    const error = await fail(client.request({ path: '/x' }));
    expect(isHmiError(error)).toBe(true);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(seen).toHaveLength(1);
    if (status === 403) expect(AuthError.isInstance(error)).toBe(true);
    else expect(ApiError.isInstance(error)).toBe(true);
  });

  it('gives up after `retries` retries with the last error', async () => {
    const { client, seen, events } = await setup(() => ({ status: 502 }));
    const error = await fail(client.request({ path: '/x' }));
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error.status).toBe(502);
    expect(seen).toHaveLength(4);
    expect(events.filter((e) => e.name === 'error')).toHaveLength(1);
    expect(events.find((e) => e.name === 'error')!.payload.error).toMatchObject({
      name: 'ApiError',
      code: 'api_error',
      status: 502,
    });
  });

  it('a 429 becomes a RateLimitError carrying retryAfterMs', async () => {
    const { client } = await setup(() => ({ status: 429, headers: { 'retry-after': '7' } }), {
      retry: { ...fast, maxRetryAfterMs: 1000 },
    });
    const error = await fail(client.request({ path: '/x' }));
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it('honours Retry-After on a 503 and retry-after-ms on a 429', async () => {
    let n = 0;
    const { client, events } = await setup((): LoopbackReply => {
      n++;
      if (n === 1) return { status: 503, headers: { 'retry-after': '0' } };
      if (n === 2) return { status: 429, headers: { 'retry-after-ms': '30' } };
      return { status: 200, body: '[]' };
    });
    await expect(client.request({ path: '/x' })).resolves.toEqual([]);
    const waits = events.filter((e) => e.name === 'retry').map((e) => e.payload);
    // Retry-After is a floor over p-retry's base wait (half the backoff ceiling: 1 ms here).
    expect(waits.map((w) => [w.reason, w.waitMs])).toEqual([
      ['retry-after', 1],
      ['retry-after', 30],
    ]);
  });

  it('PATCH without a key is sent once; PUT and DELETE are retried', async () => {
    const { client, seen } = await setup(() => ({ status: 503 }));
    await fail(client.request({ method: 'PATCH', path: '/x', json: {} }));
    expect(seen).toHaveLength(1);
    await fail(client.request({ method: 'PUT', path: '/x', json: {} }));
    expect(seen).toHaveLength(5);
    await fail(client.request({ method: 'DELETE', path: '/x' }));
    expect(seen).toHaveLength(9);
  });

  it('a connector classifier decides retryable; the core retries on that alone', async () => {
    const { client, seen } = await setup(() => ({ status: 400, body: '{"code":"lock_timeout"}' }), {
      classifyError: (ctx) =>
        (ctx.body as { code?: string }).code === 'lock_timeout'
          ? new ApiError('locked', { status: ctx.status, retryable: true, vendorCode: 'lock_timeout' })
          : undefined,
    });
    const error = await fail(client.request({ path: '/x' }));
    expect(error.vendorCode).toBe('lock_timeout');
    expect(seen).toHaveLength(4);
  });
});

describe('transport failures', () => {
  it('a reset on every attempt ends in a retryable NetworkError after all retries', async () => {
    const { client, seen } = await setup(() => 'reset');
    const error = await fail(client.request({ path: '/x' }));
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it('a refused connection is a NetworkError', async () => {
    const probe = await startLoopbackServer(() => ({ status: 200 }));
    const url = probe.url;
    await probe.close();
    const client = createHttpClient({
      baseUrl: url,
      allowInsecureHttp: true,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await fail(client.request({ path: '/x' }));
    expect(NetworkError.isInstance(error)).toBe(true);
  });

  it('a hanging server gives a TimeoutError per attempt, retried for GET', async () => {
    const { client, seen } = await setup(() => 'hang', { timeoutMs: 100, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } });
    const error = await fail(client.request({ path: '/x' }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.message).toBe('no complete response within 100 ms');
    expect(seen).toHaveLength(2);
  });

  it('a body that stalls after the headers times out too', async () => {
    server = await startLoopbackServer(() => ({ status: 200 }));
    // A raw server that sends headers and half a body, then stalls.
    const stall = await listenOnLoopback((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
    });
    try {
      const client = createHttpClient({
        baseUrl: stall.url,
        allowInsecureHttp: true,
        timeoutMs: 150,
        retry: false,
      });
      const error = await fail(client.request({ path: '/x' }));
      expect(TimeoutError.isInstance(error)).toBe(true);
    } finally {
      await stall.close();
    }
  });

  it('a malformed JSON success body is a retryable invalid_json ApiError', async () => {
    let n = 0;
    const { client, seen } = await setup(() => (n++ === 0 ? { status: 200, body: '{"a":' } : { status: 200, body: '{"a":1}' }));
    await expect(client.request({ path: '/x' })).resolves.toEqual({ a: 1 });
    expect(seen).toHaveLength(2);
    const once = await setup(() => ({ status: 200, body: 'not json' }), { retry: false });
    const error = await fail(once.client.request({ method: 'POST', path: '/x', json: {} }));
    expect(error.code).toBe('invalid_json');
  });

  it('a response that fails its schema is a ValidationError with paths, not values', async () => {
    const { client, seen } = await setup(() => ({ status: 200, body: '{"id":42,"name":"فاطمة الحربي"}' }));
    const error = await fail(client.request({ path: '/x', schema: z.object({ id: z.string(), name: z.number() }) }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error.code).toBe('invalid_response');
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([['id'], ['name']]);
    expect(JSON.stringify(error)).not.toContain('فاطمة');
    expect(seen).toHaveLength(1);
  });

  it('empty bodies (204, HEAD) resolve to undefined; text and bytes response types work', async () => {
    const { client } = await setup((req) =>
      req.path === '/empty' ? { status: 204 } : { status: 200, body: 'plain', headers: { 'content-type': 'text/plain' } },
    );
    await expect(client.request({ path: '/empty' })).resolves.toBeUndefined();
    await expect(client.request({ method: 'HEAD', path: '/text' })).resolves.toBeUndefined();
    await expect(client.request({ path: '/text', responseType: 'text' })).resolves.toBe('plain');
    await expect(client.request({ path: '/text', responseType: 'bytes' })).resolves.toEqual(new TextEncoder().encode('plain'));
  });
});

describe('aborts never hang and are never retried', () => {
  it('an already aborted signal fails at once without a request', async () => {
    const { client, seen } = await setup(() => ({ status: 200, body: '{}' }));
    const error = await fail(client.request({ path: '/x', signal: AbortSignal.abort() }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it('aborting while the server hangs rejects promptly with AbortedError, one request', async () => {
    const { client, seen } = await setup(() => 'hang', { timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    // Without the abort the attempt would end in a TimeoutError after 10 s, not an AbortedError.
    const error = await fail(client.request({ path: '/x', signal: controller.signal }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('aborting during the backoff wait stops the retries', async () => {
    const controller = new AbortController();
    const telemetry = createTelemetry();
    // Aborts as the first wait begins (not after a wall-clock delay the first answer may outlast).
    telemetry.on('retry', () => setTimeout(() => controller.abort(), 10));
    const { client, seen } = await setup(() => ({ status: 503 }), {
      retry: { retries: 5, minDelayMs: 5_000, maxDelayMs: 5_000 },
      telemetry,
    });
    // Without the abort the five 5 s waits would outlast the test's timeout.
    const error = await fail(client.request({ path: '/x', signal: controller.signal }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('aborting while waiting for the rate limiter rejects without sending', async () => {
    const { client, seen } = await setup(() => ({ status: 200, body: '{}' }), { rateLimit: { requestsPerSecond: 1, burst: 1 } });
    await client.request({ path: '/first' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await fail(client.request({ path: '/second', signal: controller.signal }));
    expect(AbortedError.isInstance(error)).toBe(true);
    expect(seen).toHaveLength(1);
  });
});

describe('maxElapsedMs', () => {
  it('stops retrying once the budget would be exceeded', async () => {
    const { client, seen } = await setup(() => ({ status: 503 }), {
      retry: { retries: 50, minDelayMs: 100, maxDelayMs: 100, maxElapsedMs: 350 },
    });
    const error = await fail(client.request({ path: '/x' }));
    // 100 ms between attempts within a 350 ms budget: four attempts at most, not 51, whatever the
    // load. (On a loaded machine an attempt may itself use up the budget: then the call ends with
    // a timeout. The exact schedule is tested with an injected clock in stage-retry.test.ts.)
    expect(['api_error', 'timeout']).toContain(error.code);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(4);
  });

  it('bounds a hanging attempt even when timeoutMs is longer', async () => {
    const { client } = await setup(() => 'hang', {
      timeoutMs: 10_000,
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 200 },
    });
    const error = await fail(client.request({ path: '/x' }));
    expect(TimeoutError.isInstance(error)).toBe(true);
    // Each attempt's timeout is cut to what is left of the 200 ms budget, never the 10 s timeoutMs.
    const limit = /within (\d+) ms|used up/.exec(error.message);
    expect(limit).not.toBeNull();
    if (limit?.[1] !== undefined) expect(Number(limit[1])).toBeLessThanOrEqual(200);
  });
});

describe('response bodies only by opt-in', () => {
  const body = '{"error":"Patient فاطمة الحربي +966555123456 not found"}';

  it('keeps the body off the error by default', async () => {
    const { client } = await setup(() => ({ status: 404, body }));
    const error = await fail(client.request({ path: '/x' }));
    expect((error as ApiError).responseBody).toBeUndefined();
    expect(JSON.stringify(error) + String(error.stack)).not.toContain('فاطمة');
  });

  it('exposeResponseBody puts it on a non-enumerable, unserialised property', async () => {
    const { client } = await setup(() => ({ status: 404, body }), { exposeResponseBody: true });
    const error = await fail(client.request({ path: '/x' }));
    expect((error as ApiError).responseBody).toBe(body);
    expect(Object.keys(error)).not.toContain('responseBody');
    expect(JSON.stringify(error)).not.toContain('فاطمة');
  });
});

describe('configuration and request errors', () => {
  it('refuses http:// unless allowInsecureHttp', () => {
    const error = (() => {
      try {
        createHttpClient({ baseUrl: 'http://example.test' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error!.issues[0]!.path).toEqual(['baseUrl']);
    expect(() => createHttpClient({ baseUrl: 'https://example.test' })).not.toThrow();
  });

  it.each([
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ baseUrl: undefined as unknown as string }, 'baseUrl'],
    [{ baseUrl: 'https://x.test', timeoutMs: -1 }, 'timeoutMs'],
    [{ baseUrl: 'https://x.test', retry: { retries: 1.5 } }, 'retry'],
    [{ baseUrl: 'https://x.test', retry: { minDelayMs: Number.NaN } }, 'retry'],
    [{ baseUrl: 'https://x.test', rateLimit: { requestsPerSecond: 0 } }, 'rateLimit'],
    [{ baseUrl: 'https://x.test', rateLimit: { concurrency: 0 } }, 'rateLimit'],
    [{ baseUrl: 'https://x.test', auth: { type: 'bearer', token: '' } }, 'auth'],
    [{ baseUrl: 'https://x.test', auth: { type: 'nope' } }, 'auth'],
    [
      { baseUrl: 'https://x.test', auth: { type: 'oauth2-client-credentials', tokenUrl: 'https://t.test', clientId: 'a' } },
      'auth',
    ],
  ] as Array<[HttpClientOptions, string]>)('a bad option is a ConfigError naming the field (%#)', (options, field) => {
    let error: unknown;
    try {
      createHttpClient(options);
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues[0]!.path[0]).toBe(field);
  });

  it('refuses a token URL over http without the opt-in', async () => {
    const client = createHttpClient({
      baseUrl: 'https://api.test',
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: 'http://idp.test/token',
        clientId: 'id',
        clientSecret: 'secret-value',
      },
      retry: false,
    });
    const error = await fail(client.request({ path: '/x' }));
    expect(ConfigError.isInstance(error)).toBe(true);
  });

  it('refuses to send to another origin, and a non-string path', async () => {
    const { client, seen } = await setup(() => ({ status: 200, body: '{}' }));
    const error = await fail(client.request({ path: 'https://evil.test/steal' }));
    expect(error.code).toBe('cross_origin_url');
    const bad = await fail(client.request({ path: 42 as unknown as string }));
    expect(bad.code).toBe('invalid_request');
    expect(seen).toHaveLength(0);
  });

  it('a body that cannot be serialised is a ValidationError before any request', async () => {
    const { client, seen } = await setup(() => ({ status: 200, body: '{}' }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = await fail(client.request({ method: 'POST', path: '/x', json: cyclic }));
    expect(ValidationError.isInstance(error)).toBe(true);
    const big = await fail(client.request({ method: 'POST', path: '/x', json: { n: 1n } }));
    expect(ValidationError.isInstance(big)).toBe(true);
    expect(seen).toHaveLength(0);
  });
});

describe('request shape', () => {
  it('sends json, form, query arrays and custom headers; keeps the base path', async () => {
    const { client, seen } = await setup(() => ({ status: 200, body: '{}' }));
    const base = createHttpClient({
      baseUrl: `${server!.url}/v1/`,
      allowInsecureHttp: true,
      headers: { 'X-Api-Version': '2024' },
    });
    await base.request({
      method: 'POST',
      path: '/charges',
      json: { amount: 15050 },
      query: { expand: ['a', 'b'], skip: undefined },
    });
    await base.request({ method: 'POST', path: 'forms', form: { to: '+966555123456', tags: ['x', 'y'] } });
    await client.request({ path: '/raw', headers: { 'x-trace': '1' } });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/charges', body: '{"amount":15050}' });
    expect(seen[0]!.query.getAll('expand')).toEqual(['a', 'b']);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers['x-api-version']).toBe('2024');
    expect(seen[1]!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(new URLSearchParams(seen[1]!.body).getAll('tags')).toEqual(['x', 'y']);
    expect(seen[2]!.headers['x-trace']).toBe('1');
  });

  it('requestRaw returns status, headers, attempts and the vendor request id', async () => {
    let n = 0;
    const { client } = await setup(() =>
      n++ === 0 ? { status: 500 } : { status: 201, body: '{"id":"a"}', headers: { 'request-id': 'req_9' } },
    );
    const raw = await client.requestRaw({ path: '/x' });
    expect(raw).toMatchObject({ status: 201, data: { id: 'a' }, attempts: 2, requestId: 'req_9' });
    expect(raw.headers.get('request-id')).toBe('req_9');
  });

  it('a custom idempotency header name is used on every attempt', async () => {
    let n = 0;
    const { client, seen } = await setup(() => (n++ < 2 ? { status: 500 } : { status: 200, body: '{}' }), {
      idempotencyHeader: 'X-Request-Key',
    });
    await client.request({ method: 'POST', path: '/x', json: {}, idempotencyKey: 'k-1' });
    expect(seen.map((r) => r.headers['x-request-key'])).toEqual(['k-1', 'k-1', 'k-1']);
  });

  it('hooks wrap every request: before may add a header, error may recover', async () => {
    const { client, seen } = await setup((req) => (req.path === '/missing' ? { status: 404 } : { status: 200, body: '{"v":1}' }));
    client.hook.before((options) => {
      options.headers = { ...options.headers, 'x-hooked': 'yes' };
    });
    client.hook.error((error, _options) => {
      if (ApiError.isInstance(error) && error.status === 404)
        return { status: 404, headers: new Headers(), data: null, url: '', attempts: 1, requestId: undefined };
      throw error;
    });
    await expect(client.request({ path: '/ok' })).resolves.toEqual({ v: 1 });
    await expect(client.request({ path: '/missing' })).resolves.toBeNull();
    expect(seen[0]!.headers['x-hooked']).toBe('yes');
  });
});

describe('circuit breaker in the client', () => {
  it('opens after N consecutive failures and then fails fast without a request', async () => {
    const { client, seen, events } = await setup(() => ({ status: 503 }), {
      retry: false,
      circuitBreaker: { failureThreshold: 3, resetTimeoutMs: 60_000 },
      connector: 'vendor',
    });
    for (let i = 0; i < 3; i++) await fail(client.request({ path: '/x' }));
    expect(client.circuitState).toBe('open');
    const error = await fail(client.request({ path: '/x' }));
    expect(CircuitOpenError.isInstance(error)).toBe(true);
    expect(seen).toHaveLength(3);
    expect(events.filter((e) => e.name === 'circuit:open')).toHaveLength(1);
    expect(events.find((e) => e.name === 'circuit:open')!.payload).toMatchObject({ name: 'vendor', failures: 3 });
  });

  it('4xx answers do not count as failures; a success resets the count', async () => {
    const statuses = [503, 503, 404, 503, 503, 200, 503, 503];
    const { client } = await setup(() => ({ status: statuses.shift() ?? 200, body: '{}' }), {
      retry: false,
      circuitBreaker: { failureThreshold: 3 },
    });
    for (let i = 0; i < 8; i++) await client.request({ path: '/x' }).catch(() => {});
    expect(client.circuitState).toBe('closed');
  });

  it('half-open lets exactly one probe through; its success closes the circuit', async () => {
    let healthy = false;
    const { client, seen, events } = await setup(
      async () => {
        if (!healthy) return { status: 500 };
        await new Promise((r) => setTimeout(r, 50));
        return { status: 200, body: '{}' };
      },
      { retry: false, circuitBreaker: { failureThreshold: 1, resetTimeoutMs: 100 } },
    );
    await fail(client.request({ path: '/x' }));
    expect(client.circuitState).toBe('open');
    await new Promise((r) => setTimeout(r, 120));
    expect(client.circuitState).toBe('half-open');
    healthy = true;
    const results = await Promise.allSettled([1, 2, 3].map(() => client.request({ path: '/probe' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => CircuitOpenError.isInstance((r as PromiseRejectedResult).reason)),
    ).toBe(true);
    expect(seen).toHaveLength(2);
    expect(client.circuitState).toBe('closed');
    expect(events.map((e) => e.name).filter((n) => n.startsWith('circuit:'))).toEqual([
      'circuit:open',
      'circuit:half-open',
      'circuit:close',
    ]);
  });

  it('an aborted probe frees the half-open slot instead of wedging the circuit', async () => {
    let mode: 'fail' | 'hang' | 'ok' = 'fail';
    const { client } = await setup(
      () => (mode === 'fail' ? { status: 500 } : mode === 'hang' ? 'hang' : { status: 200, body: '{}' }),
      {
        retry: false,
        timeoutMs: 5000,
        circuitBreaker: { failureThreshold: 1, resetTimeoutMs: 50 },
      },
    );
    await fail(client.request({ path: '/x' }));
    expect(client.circuitState).toBe('open');
    await new Promise((r) => setTimeout(r, 60));
    mode = 'hang';
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    expect(AbortedError.isInstance(await fail(client.request({ path: '/probe', signal: controller.signal })))).toBe(true);
    mode = 'ok';
    await expect(client.request({ path: '/next' })).resolves.toEqual({});
    expect(client.circuitState).toBe('closed');
  });
});

describe('rate limiting in the client', () => {
  it('caps requests in flight at `concurrency`', async () => {
    let inFlight = 0;
    let peak = 0;
    const { client } = await setup(
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return { status: 200, body: '{}' };
      },
      { rateLimit: { concurrency: 3 } },
    );
    await Promise.all(Array.from({ length: 12 }, () => client.request({ path: '/x' })));
    expect(peak).toBe(3);
  });

  it('spaces requests by the token bucket and reports the local wait', async () => {
    const { client, events } = await setup(() => ({ status: 200, body: '{}' }), {
      rateLimit: { requestsPerSecond: 20, burst: 1 },
    });
    await Promise.all(Array.from({ length: 5 }, () => client.request({ path: '/x' })));
    // One token per 50 ms after the first: the four others each waited longer than the one before.
    const waits = events.filter((e) => e.name === 'rate-limit' && e.payload.source === 'local').map((e) => e.payload.waitMs);
    expect(waits).toHaveLength(4);
    expect([...waits].sort((a, b) => a - b)[0]).toBeGreaterThan(0);
    expect(new Set(waits).size).toBe(4);
  });
});
