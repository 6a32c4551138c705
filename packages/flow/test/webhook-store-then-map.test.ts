import {
  createTelemetry,
  defineConnector,
  ValidationError,
  type WebhookEvent,
  WebhookVerificationError,
  webhook,
} from '@hmi/core';
import { createMemoryStateStore, createWebhookHandler, type WebhookSource } from '@hmi/flow';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

// Issue 11 #8 at the contract's depth: for any connector whose webhook has `map`, the handler
// stores the verified event as received, answers 200, and maps at delivery; a mapping failure is
// dead-lettered and replayable.

const TOKEN = 'let-me-in';

function connectorWith(map: (event: WebhookEvent) => WebhookEvent[]) {
  return defineConnector({
    id: 'toy',
    name: 'Toy',
    category: 'crm',
    version: '0.0.0',
    config: z.object({}),
    setup: () => ({}),
    actions: {},
    webhooks: {
      events: webhook({
        async verify(request) {
          if (request.headers.get('x-token') !== TOKEN) throw new WebhookVerificationError('bad token');
          const body = JSON.parse(new TextDecoder().decode(request.rawBody)) as { id: string; type: string };
          return [{ id: body.id, type: body.type, data: body }];
        },
        map,
      }),
    },
  }).create({});
}

const post = (body: unknown, token = TOKEN) =>
  new Request('https://h.example/hooks/toy', { method: 'POST', body: JSON.stringify(body), headers: { 'x-token': token } });

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function handlerFor(source: WebhookSource, store = createMemoryStateStore()) {
  const processed: Array<[WebhookEvent, string]> = [];
  const telemetry = createTelemetry();
  const names: string[] = [];
  telemetry.onAny((name) => names.push(name));
  const handler = createWebhookHandler({
    connectors: { toy: source },
    store,
    telemetry,
    onEvent: (event, ctx) => void processed.push([event, ctx.idempotencyKey]),
    processing: { autoStart: false },
  });
  closers.push(() => handler.close());
  return { handler, store, processed, names };
}

describe('createWebhookHandler: verify → store → acknowledge → map', () => {
  it('stores the event as received, acknowledges, and maps at delivery (one event may map to several)', async () => {
    const toy = connectorWith((e) => [
      { ...e, type: 'mapped', data: { ok: true } },
      { id: `${e.id}:consent`, type: 'consent.revoked', data: {} },
    ]);
    const { handler, store, processed } = handlerFor(toy);
    expect((await handler(post({ id: 'e1', type: 'raw' }))).status).toBe(200);
    await handler.worker!.drain();
    expect(processed.map(([e, key]) => [e.id, e.type, key])).toEqual([
      ['e1', 'mapped', 'webhook:toy:e1'],
      ['e1:consent', 'consent.revoked', 'webhook:toy:e1#e1:consent'],
    ]);
    expect(await store.listDlq()).toEqual([]);
  });

  it('a mapping that throws sends the stored event to the DLQ after one attempt; a replay after the fix maps it', async () => {
    const store = createMemoryStateStore();
    const broken = handlerFor(
      connectorWith(() => {
        throw new Error('unexpected shape');
      }),
      store,
    );
    expect((await broken.handler(post({ id: 'e2', type: 'raw' }))).status).toBe(200);
    await broken.handler.worker!.drain();
    const [dead] = await store.listDlq();
    expect(dead).toMatchObject({ id: 'webhook:toy:e2', attempts: 1, lastError: { code: 'webhook_mapping_failed' } });
    expect(broken.names).toContain('webhook:mapping_failed');
    expect(broken.processed).toEqual([]);

    const fixed = handlerFor(
      connectorWith((e) => [{ ...e, type: 'mapped' }]),
      store,
    );
    expect(await store.replayDlq('webhook:toy:e2')).toBe(true);
    await fixed.handler.worker!.drain();
    expect(fixed.processed.map(([e]) => [e.id, e.type])).toEqual([['e2', 'mapped']]);
  });

  it('a ValidationError from the mapping is dead-lettered too; a bad signature is still 401', async () => {
    const toy = connectorWith(() => {
      throw new ValidationError('amount missing', { issues: [{ path: ['amount'], code: 'invalid_type', message: 'required' }] });
    });
    const { handler, store } = handlerFor(toy);
    expect((await handler(post({ id: 'e3', type: 'raw' }, 'wrong'))).status).toBe(401);
    expect((await handler(post({ id: 'e3', type: 'raw' }))).status).toBe(200);
    await handler.worker!.drain();
    const [dead] = await store.listDlq();
    expect(dead?.lastError).toMatchObject({ code: 'webhook_mapping_failed', issues: [{ path: ['amount'] }] });
  });

  it('a hand-made source with only verify still works: its events are delivered as verified', async () => {
    const source: WebhookSource = {
      webhooks: { events: { verify: async () => [{ id: 'e4', type: 'ready', data: 1 }] } },
    };
    const { handler, processed } = handlerFor(source);
    expect((await handler(post({}))).status).toBe(200);
    await handler.worker!.drain();
    expect(processed.map(([e]) => e.id)).toEqual(['e4']);
  });
});
