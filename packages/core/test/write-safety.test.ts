import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  createHttpClient,
  createTelemetry,
  type ErrorClassifier,
  type HmiError,
  type HttpClientOptions,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from '@hmi/core';
import { isRetryable } from '../../flow/src/errors.js';
import { type LoopbackReply, type LoopbackRequest, startLoopbackServer } from '@hmi/testing';

type Server = Awaited<ReturnType<typeof startLoopbackServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  handler: (req: LoopbackRequest) => LoopbackReply | Promise<LoopbackReply>,
  extra: Partial<HttpClientOptions> = {},
) {
  server = await startLoopbackServer(handler);
  const client = createHttpClient({
    baseUrl: server.url,
    allowInsecureHttp: true,
    timeoutMs: 2000,
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
    telemetry: createTelemetry(),
    ...extra,
  });
  return { client, seen: server.seen };
}

const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as HmiError,
  );

/** Like Twilio's classifier: a 429 is refused before processing. */
const notProcessed429: ErrorClassifier = (ctx) =>
  ctx.status === 429 ? new RateLimitError('rate limited', { status: 429, retryAfterMs: 1, notProcessed: true }) : undefined;

describe('retrying writes safely', () => {
  it('429 flagged notProcessed on a POST without a key is retried, and succeeds', async () => {
    let n = 0;
    const { client, seen } = await setup(() => (n++ === 0 ? { status: 429 } : { status: 201, body: '{"sid":"SM1"}' }), {
      classifyError: notProcessed429,
    });
    await expect(client.request({ method: 'POST', path: '/Messages.json', form: { To: '+966555123456' } })).resolves.toEqual({
      sid: 'SM1',
    });
    expect(seen).toHaveLength(2);
    expect(seen[1]?.headers['idempotency-key']).toBeUndefined();
  });

  it('503 on a POST without a key: one request, retryable false, outcomeUnknown (also in toJSON)', async () => {
    const { client, seen } = await setup(() => ({ status: 503 }));
    const error = await fail(client.request({ method: 'POST', path: '/send', json: { to: '+966555123456' } }));
    expect(seen).toHaveLength(1);
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(false);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.toJSON()).toMatchObject({ retryable: false, outcomeUnknown: true });
    // An outbox built on @hmi/flow (which trusts `retryable`) will not resend it.
    expect(isRetryable(error)).toBe(false);
  });

  it('a 429 NOT flagged notProcessed on a POST without a key is not retried and is outcomeUnknown', async () => {
    const { client, seen } = await setup(() => ({ status: 429, headers: { 'retry-after': '0' } }));
    const error = await fail(client.request({ method: 'PATCH', path: '/x', json: {} }));
    expect(seen).toHaveLength(1);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, outcomeUnknown: true });
  });

  it('a timeout on a POST without a key: one request, TimeoutError, retryable false, outcomeUnknown', async () => {
    const { client, seen } = await setup(() => 'hang', { timeoutMs: 150 });
    const error = await fail(client.request({ method: 'POST', path: '/x', json: {} }));
    expect(seen).toHaveLength(1);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, outcomeUnknown: true });
  });

  it('a reset connection after a POST was sent is outcomeUnknown', async () => {
    const { client, seen } = await setup(() => 'reset');
    const error = await fail(client.request({ method: 'POST', path: '/x', json: {} }));
    expect(seen).toHaveLength(1);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false, outcomeUnknown: true });
  });

  it('a refused connection proves nothing was sent: notProcessed, retryable, and a keyless POST is retried', async () => {
    const probe = await startLoopbackServer(() => ({ status: 200 }));
    const url = probe.url;
    await probe.close();
    const client = createHttpClient({
      baseUrl: url,
      allowInsecureHttp: true,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    });
    const attempts: number[] = [];
    client.telemetry.on('request:start', (e) => attempts.push(e.attempt));
    const error = await fail(client.request({ method: 'POST', path: '/x', json: {} }));
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, notProcessed: true, outcomeUnknown: false });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('idempotent: true retries a POST without sending an idempotency header', async () => {
    let n = 0;
    const { client, seen } = await setup(() => (n++ === 0 ? { status: 503 } : { status: 201, body: '{"id":"p1"}' }));
    await expect(
      client.request({
        method: 'POST',
        path: '/Patient',
        json: {},
        idempotent: true,
        headers: { 'if-none-exist': 'identifier=x' },
      }),
    ).resolves.toEqual({ id: 'p1' });
    expect(seen).toHaveLength(2);
    for (const request of seen) expect(request.headers['idempotency-key']).toBeUndefined();
  });

  it('with an idempotency key a 503 stays retryable and is retried under the same key', async () => {
    let n = 0;
    const { client, seen } = await setup(() => (n++ === 0 ? { status: 503 } : { status: 200, body: '{}' }));
    await client.request({ method: 'POST', path: '/x', json: {}, idempotencyKey: 'k-7' });
    expect(seen.map((r) => r.headers['idempotency-key'])).toEqual(['k-7', 'k-7']);
  });

  it('GET errors are never marked outcomeUnknown', async () => {
    const { client } = await setup(() => ({ status: 503 }), { retry: false });
    const error = await fail(client.request({ path: '/x' }));
    expect(error).toMatchObject({ retryable: true, outcomeUnknown: false });
    expect(error.toJSON()).not.toHaveProperty('outcomeUnknown');
  });

  it('outcomeUnknown in the constructor forces retryable false', () => {
    const error = new ApiError('x', { retryable: true, outcomeUnknown: true });
    expect(error.retryable).toBe(false);
    expect(new RateLimitError('x', { notProcessed: true }).toJSON()).toMatchObject({ notProcessed: true, retryable: true });
  });
});

describe('outcomeUnknown with connector classifiers', () => {
  it('a 5xx the classifier already made non-retryable on a POST is still flagged outcomeUnknown; a 501 is not', async () => {
    const finalOnPost: ErrorClassifier = (ctx) =>
      new ApiError(`failed ${ctx.status}`, { status: ctx.status, retryable: ctx.method !== 'POST' });
    let status = 500;
    const { client, seen } = await setup(() => ({ status }), { classifyError: finalOnPost });
    const error = await fail(client.request({ method: 'POST', path: '/x', json: {} }));
    expect(error).toMatchObject({ retryable: false, outcomeUnknown: true });
    status = 501;
    const notImplemented = await fail(client.request({ method: 'POST', path: '/x', json: {} }));
    expect(notImplemented).toMatchObject({ retryable: false, outcomeUnknown: false });
    expect(seen).toHaveLength(2);
  });
});
