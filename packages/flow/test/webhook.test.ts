import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback } from '@hmi/testing';
import { createTelemetry, type WebhookEvent, WebhookVerificationError } from '@hmi/core';
import { createMemoryStateStore, createWebhookHandler, type StateStore, toNodeHandler } from '@hmi/flow';
import { afterEach, describe, expect, it } from 'vitest';
import { hmacConnector, signedRequest } from './fixtures/hmac-connector.js';

const SECRET = 'whsec_test_0123456789';
const acme = hmacConnector.create({ signingSecret: SECRET });
const URL_BASE = 'https://crm.example/webhooks';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function setup(options: { store?: StateStore; onEvent?: (e: WebhookEvent) => Promise<void> | void; maxBodyBytes?: number } = {}) {
  const store = options.store ?? createMemoryStateStore();
  const telemetry = createTelemetry();
  const events: Array<[string, unknown]> = [];
  telemetry.onAny((n, p) => events.push([n, p]));
  const processed: WebhookEvent[] = [];
  const handler = createWebhookHandler({
    connectors: { acme },
    store,
    telemetry,
    maxBodyBytes: options.maxBodyBytes,
    onEvent: options.onEvent ?? ((e) => void processed.push(e)),
    processing: { pollInterval: '10ms', schedule: ['5ms', '5ms'] },
  });
  closers.push(() => handler.close());
  return { store, telemetry, events, processed, handler };
}

const evt = (id: string, data: unknown = { amount: 100 }) => ({ id, type: 'payment.succeeded', data });

describe('createWebhookHandler', () => {
  it('verifies, stores before answering, then processes asynchronously', async () => {
    const { handler, store, processed, events } = setup();
    const res = await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_1')));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1, duplicates: 0 });
    const stored = await store.getItem('webhook:acme:evt_1');
    expect(stored?.topic).toBe('webhook:acme');
    await handler.worker?.drain();
    expect(processed).toEqual([{ id: 'evt_1', type: 'payment.succeeded', data: { amount: 100 }, connector: 'acme' }]);
    expect((await store.getItem('webhook:acme:evt_1'))?.status).toBe('done');
    expect(events.map(([n]) => n)).toEqual(['outbox:enqueued', 'webhook:received', 'outbox:delivered']);
    const audit = await store.queryAudit();
    expect(audit.map((a) => [a.operation, a.outcome, a.recordIds])).toEqual([
      ['webhook.received', 'success', ['evt_1']],
      ['webhook.processed', 'success', ['webhook:acme:evt_1']],
    ]);
  });

  it('answers before processing finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { handler } = setup({ onEvent: () => gate });
    const started = performance.now();
    const res = await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_slow')));
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    release();
  });

  it('dedupes by event id: a redelivery is answered 200 and processed once', async () => {
    const { handler, processed, events } = setup();
    const first = await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_1')));
    const again = await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_1')));
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual({ received: 1, duplicates: 1 });
    await handler.worker?.drain();
    expect(processed).toHaveLength(1);
    expect(events.filter(([n]) => n === 'webhook:duplicate')).toEqual([
      ['webhook:duplicate', { connector: 'acme', integrationPoint: 'webhook:acme', webhook: 'events', eventId: 'evt_1' }],
    ]);
  });

  it('refuses a bad signature with 401 and no detail, and stores nothing', async () => {
    const { handler, store, events } = setup();
    const res = await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_1'), { badSignature: true }));
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).toBe('{"error":"unauthorized"}');
    expect(await store.getItem('webhook:acme:evt_1')).toBeUndefined();
    expect(events).toContainEqual([
      'webhook:rejected',
      {
        status: 401,
        reason: 'signature',
        connector: 'acme',
        webhook: 'events',
        integrationPoint: 'webhook:acme',
        errorCode: 'webhook_verification_failed',
      },
    ]);
    expect(await store.queryAudit({ outcome: 'rejected' })).toHaveLength(1);
  });

  it('answers 400 to a malformed body with a valid signature', async () => {
    const { handler } = setup();
    const body = 'not json';
    const { hmac } = await import('@hmi/core');
    const res = await handler(
      new Request(`${URL_BASE}/acme`, { method: 'POST', headers: { 'x-acme-signature': hmac('sha256', SECRET, body) }, body }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_payload' });
    const noId = await handler(signedRequest(`${URL_BASE}/acme`, SECRET, { type: 'x', data: 1 }));
    expect(noId.status).toBe(400);
  });

  it('answers 404 to unknown routes, 405 to other methods, 413 to large bodies', async () => {
    const { handler } = setup({ maxBodyBytes: 1000 });
    expect((await handler(signedRequest(`${URL_BASE}/nobody`, SECRET, evt('e')))).status).toBe(404);
    expect((await handler(signedRequest(`${URL_BASE}/__proto__`, SECRET, evt('e')))).status).toBe(404);
    expect((await handler(signedRequest(`${URL_BASE}/acme/unknown`, SECRET, evt('e')))).status).toBe(404);
    expect((await handler(signedRequest(`${URL_BASE}/acme/events`, SECRET, evt('e')))).status).toBe(200);
    const get = await handler(new Request(`${URL_BASE}/acme`));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('big', 'x'.repeat(2000))))).status).toBe(413);
    // No content-length: the limit holds while streaming.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(400));
        c.close();
      },
    });
    const streamed = new Request(`${URL_BASE}/acme`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect((await handler(streamed)).status).toBe(413);
  });

  it('routes …/<key>/<webhook> when a connector has several webhooks', async () => {
    const seen: string[] = [];
    const two = {
      webhooks: {
        a: { verify: async () => [{ id: 'x1', type: 'a', data: null }] },
        b: { verify: async () => [{ id: 'x2', type: 'b', data: null }] },
      },
    };
    const handler = createWebhookHandler({
      connectors: { two },
      store: createMemoryStateStore(),
      onEvent: (e) => void seen.push(e.type),
      processing: { autoStart: false },
    });
    expect((await handler(new Request(`${URL_BASE}/two/b`, { method: 'POST', body: '{}' }))).status).toBe(200);
    expect((await handler(new Request(`${URL_BASE}/two`, { method: 'POST', body: '{}' }))).status).toBe(404);
    await handler.worker?.drain();
    expect(seen).toEqual(['b']);
  });

  it('answers 503 when the store fails, and never 500 for a verifier that throws oddly', async () => {
    const broken = createMemoryStateStore();
    broken.enqueue = async () => {
      throw new Error('disk full');
    };
    const { handler } = setup({ store: broken });
    expect((await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('e1')))).status).toBe(503);
    const odd = { webhooks: { w: { verify: async () => Promise.reject(new TypeError('x')) } } };
    const handler2 = createWebhookHandler({ connectors: { odd }, store: createMemoryStateStore() });
    expect((await handler2(new Request(`${URL_BASE}/odd`, { method: 'POST', body: '{}' }))).status).toBe(400);
  });

  it('retries a failing onEvent and processes the event once it succeeds', async () => {
    let calls = 0;
    const okIds: string[] = [];
    const { handler, store } = setup({
      onEvent: (e) => {
        if (++calls === 1) throw new Error('transient');
        okIds.push(e.id);
      },
    });
    await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_r')));
    for (let i = 0; i < 50 && okIds.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(okIds).toEqual(['evt_r']);
    expect(calls).toBe(2);
    expect((await store.queryAudit({ operation: 'webhook.processed' })).map((a) => a.outcome)).toEqual(['retry', 'success']);
  });

  it('stores events without processing them when no onEvent is given', async () => {
    const store = createMemoryStateStore();
    const handler = createWebhookHandler({ connectors: { acme }, store });
    expect(handler.worker).toBeUndefined();
    expect((await handler(signedRequest(`${URL_BASE}/acme`, SECRET, evt('evt_s')))).status).toBe(200);
    expect((await store.getItem('webhook:acme:evt_s'))?.status).toBe('pending');
    await handler.close();
  });

  it('refuses to be created without connectors', () => {
    expect(() => createWebhookHandler({ connectors: {}, store: createMemoryStateStore() })).toThrow(/at least one connector/);
  });

  it('turns a verifier ConfigError into 503 (our fault, the vendor should retry)', async () => {
    const { ConfigError } = await import('@hmi/core');
    const misconfigured = { webhooks: { w: { verify: async () => Promise.reject(new ConfigError('no secret')) } } };
    const handler = createWebhookHandler({ connectors: { misconfigured }, store: createMemoryStateStore() });
    expect((await handler(new Request(`${URL_BASE}/misconfigured`, { method: 'POST', body: '{}' }))).status).toBe(503);
  });

  it('passes WebhookVerificationError from a verifier as 401', async () => {
    const strict = { webhooks: { w: { verify: async () => Promise.reject(new WebhookVerificationError('timestamp too old')) } } };
    const handler = createWebhookHandler({ connectors: { strict }, store: createMemoryStateStore() });
    const res = await handler(new Request(`${URL_BASE}/strict`, { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('timestamp');
  });
});

describe('toNodeHandler', () => {
  async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void) {
    const server = await listenOnLoopback(listener);
    closers.push(() => server.close());
    return server.url;
  }
  const post = (url: string, event: unknown, bad = false) => {
    const req = signedRequest(url, SECRET, event, { badSignature: bad });
    return fetch(url, { method: 'POST', headers: req.headers, body: JSON.stringify(event) });
  };

  it('reads the raw body from node:http and answers like the Fetch handler', async () => {
    const { handler, processed } = setup();
    const base = await serve(toNodeHandler(handler));
    const ok = await post(`${base}/hooks/acme`, evt('evt_n1', { note: 'مرحبا' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: 1, duplicates: 0 });
    expect((await post(`${base}/hooks/acme`, evt('evt_n2'), true)).status).toBe(401);
    await handler.worker?.drain();
    expect(processed.map((e) => e.data)).toEqual([{ note: 'مرحبا' }]);
  });

  it('uses req.rawBody when a framework parsed the body first (Express-style)', async () => {
    const { handler } = setup();
    const node = toNodeHandler(handler);
    const base = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const r = req as IncomingMessage & { rawBody?: Buffer; body?: unknown; originalUrl?: string };
        r.body = JSON.parse(raw.toString('utf8'));
        if (req.headers['x-keep-raw']) r.rawBody = raw;
        r.originalUrl = `/api${req.url}`;
        void node(r, res);
      });
    });
    const event = evt('evt_e1');
    const signed = signedRequest(`${base}/acme`, SECRET, event);
    const withRaw = await fetch(`${base}/acme`, {
      method: 'POST',
      headers: { ...Object.fromEntries(signed.headers), 'x-keep-raw': '1' },
      body: JSON.stringify(event),
    });
    expect(withRaw.status).toBe(200);
    const parsedOnly = await fetch(`${base}/acme`, { method: 'POST', headers: signed.headers, body: JSON.stringify(event) });
    expect(parsedOnly.status).toBe(503);
    expect(await parsedOnly.json()).toEqual({ error: 'raw_body_unavailable' });
  });

  it('refuses a body over the limit with 413 before reading it all', async () => {
    const { handler } = setup();
    const base = await serve(toNodeHandler(handler, { maxBodyBytes: 100 }));
    const res = await post(`${base}/acme`, evt('big', 'x'.repeat(500)));
    expect(res.status).toBe(413);
  });

  it('builds the URL from forwarded headers only when trusted, or from publicOrigin', async () => {
    const urls: string[] = [];
    const spy = async (request: Request) => {
      urls.push(request.url);
      return new Response(null, { status: 204 });
    };
    const a = await serve(toNodeHandler(spy));
    const b = await serve(toNodeHandler(spy, { trustProxy: true }));
    const c = await serve(toNodeHandler(spy, { publicOrigin: 'https://crm.hospital.example' }));
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
    for (const base of [a, b, c]) await fetch(`${base}/hooks/acme?x=1`, { method: 'POST', headers, body: '{}' });
    expect(urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/acme\?x=1$/);
    expect(urls[1]).toBe('https://public.example/hooks/acme?x=1');
    expect(urls[2]).toBe('https://crm.hospital.example/hooks/acme?x=1');
  });
});
