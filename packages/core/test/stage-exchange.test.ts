// The exchange stage on its own: a fake transport, an injected clock.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ApiError, type AuthStrategy, createTelemetry, type HmiError, RateLimitError } from '@hmi/core';
import { createExchange, type ExchangeDeps, Unauthorized } from '../src/http/exchange.js';
import { prepareCall } from '../src/http/prepare.js';
import type { Transport, TransportRequest, TransportResponse } from '../src/http/transport.js';
import type { RawResponse } from '../src/http/types.js';

function response(status: number, body = '', headers: Record<string, string> = {}): TransportResponse {
  const h = new Headers(headers);
  return {
    status,
    headers: h,
    header: (name) => h.get(name),
    text: async () => body,
    bytes: async () => new TextEncoder().encode(body),
    discard: async () => {},
  };
}

function setup(
  reply: (req: TransportRequest) => TransportResponse | Promise<TransportResponse>,
  extra: Partial<ExchangeDeps> = {},
) {
  const seen: TransportRequest[] = [];
  const transport: Transport = async (req) => {
    seen.push({ ...req, headers: { ...req.headers } });
    return reply(req);
  };
  const telemetry = createTelemetry();
  let clock = 10_000;
  const exchange = createExchange({
    connector: 'vendor',
    telemetry,
    redactor: telemetry.redactor,
    wants: () => true,
    auth: undefined,
    transportFor: () => transport,
    baseHeaders: { accept: 'application/json' },
    idempotencyHeader: 'idempotency-key',
    markedSecret: new Set(['x-clinic-ref']),
    clientSecretHeaders: ['x-clinic-ref'],
    timeoutMs: 5_000,
    maxResponseBytes: 1024,
    requestIdHeaders: ['x-request-id'],
    classifyError: undefined,
    exposeResponseBody: false,
    requestIdOf: () => 'rid',
    safeUrlOf: (c) => c.url.href,
    now: () => clock,
    ...extra,
  });
  const base = new URL('https://api.vendor.test/');
  const prepare = (req: Parameters<typeof prepareCall>[0]) =>
    prepareCall(req, { base, connector: 'vendor', retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 }, now: () => clock });
  const track = () => ({ sent: false, answered: false });
  return { exchange, seen, prepare, track, advance: (ms: number) => (clock += ms) };
}

describe('exchange stage', () => {
  it('sends the prepared request with the cap and the secret header names, and reads JSON', async () => {
    const { exchange, seen, prepare, track } = setup(() => response(200, '{"id":"pi_1"}', { 'x-request-id': 'req_1' }));
    const t = track();
    const result = (await exchange(
      prepare({ method: 'POST', path: 'pay', json: { a: 1 }, idempotencyKey: 'k1', headers: { 'X-Api-Key': 'sk' } }),
      1,
      false,
      t,
    )) as RawResponse;
    expect(result).toMatchObject({ status: 200, data: { id: 'pi_1' }, requestId: 'req_1', attempts: 1 });
    expect(t).toEqual({ sent: true, answered: true });
    expect(seen[0]).toMatchObject({ method: 'POST', maxResponseBytes: 1024, body: '{"a":1}' });
    expect(seen[0]?.headers).toMatchObject({ 'idempotency-key': 'k1', 'content-type': 'application/json', 'x-api-key': 'sk' });
    expect([...(seen[0]?.secretHeaders ?? [])].sort()).toEqual(['x-api-key', 'x-clinic-ref']);
  });

  it('every header an auth strategy sets or changes is a secret header, whatever its name', async () => {
    const auth: AuthStrategy = {
      name: 'sig',
      apply: async (headers) => {
        headers.set('x-vendor-sig', 'v');
        headers.set('accept', 'application/vnd.vendor+json');
        return 'v';
      },
      secrets: () => [],
    };
    const { exchange, seen, prepare, track } = setup(() => response(204), { auth });
    await exchange(prepare({ path: 'x' }), 1, false, track());
    expect(seen[0]?.headers['x-vendor-sig']).toBe('v');
    expect([...(seen[0]?.secretHeaders ?? [])].sort()).toEqual(['accept', 'x-clinic-ref', 'x-vendor-sig']);
  });

  it('a 401 with a refresh possible is Unauthorized (body discarded); without, an AuthError', async () => {
    const { exchange, prepare, track } = setup(() => response(401, '{}'));
    expect(await exchange(prepare({ path: 'x' }), 1, true, track())).toBeInstanceOf(Unauthorized);
    await expect(exchange(prepare({ path: 'x' }), 1, false, track())).rejects.toMatchObject({ code: 'auth_error', status: 401 });
  });

  it("uses the connector's classifier, fills connector and operation, hides the body unless asked", async () => {
    const classifyError = (ctx: { status: number; body: unknown; requestId: string | undefined }) =>
      ctx.status === 429
        ? new RateLimitError('slow down', { vendorCode: (ctx.body as { code: string }).code, requestId: ctx.requestId })
        : undefined;
    const { exchange, prepare, track } = setup(() => response(429, '{"code":"20429"}', { 'x-request-id': 'Bearer leaked' }), {
      classifyError,
    });
    const error = (await exchange(prepare({ path: 'x', operation: 'send' }), 1, false, track()).catch((e) => e)) as HmiError;
    expect(error).toMatchObject({
      code: 'rate_limited',
      vendorCode: '20429',
      connector: 'vendor',
      operation: 'send',
      requestId: undefined,
    });
    expect(Object.hasOwn(error, 'responseBody')).toBe(false);
    const exposed = setup(() => response(500, 'raw'), { exposeResponseBody: true });
    const e2 = (await exposed.exchange(exposed.prepare({ path: 'x' }), 1, false, exposed.track()).catch((e) => e)) as ApiError;
    expect(e2.responseBody).toBe('raw');
  });

  it('a keyless POST that fails after sending is outcomeUnknown, with the reconcile hint', async () => {
    const { exchange, prepare, track } = setup(() => response(503));
    const error = (await exchange(
      prepare({ method: 'POST', path: 'x', json: {}, reconcile: 'look it up' }),
      1,
      false,
      track(),
    ).catch((e) => e)) as HmiError;
    expect(error).toMatchObject({ status: 503, retryable: false, outcomeUnknown: true });
    expect(error.message).toContain('look it up');
  });

  it('a refused connection is a NetworkError flagged notProcessed', async () => {
    const { exchange, prepare, track } = setup(() =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    );
    const error = (await exchange(prepare({ method: 'POST', path: 'x' }), 1, false, track()).catch((e) => e)) as HmiError;
    expect(error).toMatchObject({ code: 'network_error', notProcessed: true, outcomeUnknown: false, retryable: true });
  });

  it('garbled JSON is a retryable invalid_json; a schema mismatch is invalid_response', async () => {
    const { exchange, prepare, track } = setup((req) => response(200, req.url.pathname === '/bad' ? '{"a":' : '{"a":"x"}'));
    await expect(exchange(prepare({ path: 'bad' }), 1, false, track())).rejects.toMatchObject({
      code: 'invalid_json',
      retryable: true,
    });
    await expect(exchange(prepare({ path: 'ok', schema: z.object({ a: z.number() }) }), 1, false, track())).rejects.toMatchObject(
      {
        code: 'invalid_response',
      },
    );
  });

  it('with the maxElapsedMs deadline passed (injected clock), nothing is sent', async () => {
    const { exchange, seen, prepare, track, advance } = setup(() => response(200));
    const call = prepare({ path: 'x', retry: { maxElapsedMs: 100 } });
    advance(100);
    await expect(exchange(call, 2, false, track())).rejects.toMatchObject({ code: 'timeout' });
    expect(seen).toHaveLength(0);
  });

  it('the per-attempt timeout cancels the transport', async () => {
    const { exchange, prepare, track } = setup(
      (req) =>
        new Promise((_resolve, reject) => {
          req.cancellation.onCancel(() => reject(req.cancellation.reason));
        }),
      { timeoutMs: 20 },
    );
    await expect(exchange(prepare({ path: 'x' }), 1, false, track())).rejects.toMatchObject({ code: 'timeout' });
  });
});
