import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, createTelemetry, type HmiError, isHmiError, RateLimitError, TimeoutError } from '@hmi/core';
import { type LoopbackReply, startLoopbackServer } from '@hmi/testing';

const TOKEN = 'sk_canary_7f3b9c2e1d';
let server: Awaited<ReturnType<typeof startLoopbackServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Transport = 'node' | 'fetch';

async function clientFor(
  transport: Transport,
  replies: LoopbackReply[],
  extra: Partial<Parameters<typeof createHttpClient>[0]> = {},
) {
  server = await startLoopbackServer(replies);
  return createHttpClient({
    transport,
    baseUrl: server.url,
    allowInsecureHttp: true,
    auth: { type: 'bearer', token: TOKEN },
    timeoutMs: 2000,
    retry: { retries: 3, minDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });
}

describe.each(['node', 'fetch'] as const)(
  'createHttpClient acceptance over the %s transport (real loopback server)',
  (transport) => {
    it('503, 503, 200 → three requests and the body', async () => {
      const client = await clientFor(transport, [{ status: 503 }, { status: 503 }, { status: 200, body: '{"ok":true}' }]);
      await expect(client.request({ path: '/thing' })).resolves.toEqual({ ok: true });
      expect(server!.seen).toHaveLength(3);
      expect(server!.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    });

    it('429 with Retry-After: 1 waits a second before retrying', async () => {
      const telemetry = createTelemetry();
      const waits: number[] = [];
      telemetry.on('retry', (event) => waits.push(event.waitMs));
      const client = await clientFor(
        transport,
        [
          { status: 429, headers: { 'retry-after': '1' } },
          { status: 200, body: '{"n":1}' },
        ],
        { telemetry },
      );
      await expect(client.request({ path: '/x' })).resolves.toEqual({ n: 1 });
      expect(waits).toEqual([1000]);
      expect(server!.seen).toHaveLength(2);
    });

    it('POST without an idempotency key on 503 → one request and an HmiError with status 503', async () => {
      const client = await clientFor(transport, [{ status: 503 }, { status: 200, body: '{}' }]);
      const error = await client.request({ method: 'POST', path: '/charge', json: { a: 1 } }).catch((e: unknown) => e);
      expect(isHmiError(error)).toBe(true);
      expect((error as HmiError).status).toBe(503);
      expect(server!.seen).toHaveLength(1);
    });

    it('POST with idempotencyKey on 503 then 200 → two requests with the same Idempotency-Key', async () => {
      const client = await clientFor(transport, [{ status: 503 }, { status: 200, body: '{"id":"x"}' }]);
      await expect(client.request({ method: 'POST', path: '/charge', json: {}, idempotencyKey: 'key-123' })).resolves.toEqual({
        id: 'x',
      });
      expect(server!.seen).toHaveLength(2);
      expect(server!.seen.map((r) => r.headers['idempotency-key'])).toEqual(['key-123', 'key-123']);
    });

    it('400 → one request, not retryable, and neither token nor response text in the error', async () => {
      const body = '{"error":"patient Fatima Al-Harbi +966555123456 invalid"}';
      const telemetry = createTelemetry();
      const events: unknown[] = [];
      telemetry.onAny((name, payload) => events.push({ name, payload }));
      const client = await clientFor(transport, [{ status: 400, body }], { telemetry });
      const error = (await client.request({ path: '/bad' }).catch((e: unknown) => e)) as HmiError;
      expect(server!.seen).toHaveLength(1);
      expect(error.retryable).toBe(false);
      const everything = [
        error.message,
        error.stack,
        JSON.stringify(error),
        JSON.stringify(Object.entries(error)),
        JSON.stringify(events),
      ].join('\n');
      expect(everything).not.toContain(TOKEN);
      expect(everything).not.toContain('Fatima');
      expect(everything).not.toContain('+966555123456');
    });

    it('a server that never answers with timeoutMs 300 → a typed error well under 1.5 s', async () => {
      const client = await clientFor(transport, ['hang'], {
        timeoutMs: 300,
        retry: { retries: 0, minDelayMs: 10, maxDelayMs: 50 },
      });
      const error = await client.request({ path: '/slow' }).catch((e: unknown) => e);
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe('no complete response within 300 ms');
    });

    it('a reset connection is a retryable NetworkError, retried for GET', async () => {
      const client = await clientFor(transport, ['reset', { status: 200, body: '[]' }]);
      await expect(client.request({ path: '/r' })).resolves.toEqual([]);
      expect(server!.seen).toHaveLength(2);
    });

    it('a Retry-After beyond the cap gives up at once with the wait on the error', async () => {
      const client = await clientFor(transport, [{ status: 429, headers: { 'retry-after': '3600' } }], {
        retry: { retries: 3, minDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 },
      });
      const error = await client.request({ path: '/x' }).catch((e: unknown) => e);
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
      expect(server!.seen).toHaveLength(1);
    });
  },
);
