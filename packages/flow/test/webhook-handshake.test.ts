import { defineConnector, webhook } from '@hmi/core';
import { createMemoryStateStore, createWebhookHandler } from '@hmi/flow';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

// A connector whose webhook has a Meta-style subscription handshake, and one without.
const withHandshake = defineConnector({
  id: 'hubby',
  name: 'Hubby',
  category: 'other',
  version: '0.0.0',
  config: z.object({ token: z.string() }),
  setup: (config) => config,
  actions: {},
  webhooks: {
    events: webhook<{ token: string }>({
      handshake(request, ctx) {
        const params = new URL(request.url).searchParams;
        if (request.method !== 'GET' || !params.has('hub.mode')) return undefined;
        if (params.get('hub.verify_token') !== ctx.token) return new Response('forbidden', { status: 403 });
        return new Response(params.get('hub.challenge'), { status: 200, headers: { 'content-type': 'text/plain' } });
      },
      async verify() {
        return [{ id: 'e1', type: 'thing', data: {} }];
      },
    }),
  },
});
const without = defineConnector({
  id: 'plain',
  name: 'Plain',
  category: 'other',
  version: '0.0.0',
  config: z.object({}),
  setup: () => ({}),
  actions: {},
  webhooks: { events: webhook({ verify: async () => [{ id: 'e1', type: 'thing', data: {} }] }) },
});

describe('createWebhookHandler: subscription handshakes', () => {
  const handlers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const h of handlers.splice(0)) await h.close();
  });
  const make = () => {
    const store = createMemoryStateStore();
    const handler = createWebhookHandler({
      store,
      connectors: { hubby: withHandshake.create({ token: 'tok-12345678' }), plain: without.create({}) },
    });
    handlers.push(handler);
    return { handler, store };
  };

  it('answers the GET handshake without host code and stores nothing', async () => {
    const { handler, store } = make();
    const ok = await handler(
      new Request('https://crm.example/hooks/hubby?hub.mode=subscribe&hub.verify_token=tok-12345678&hub.challenge=4242'),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain');
    expect(await ok.text()).toBe('4242');
    const bad = await handler(
      new Request('https://crm.example/hooks/hubby?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=4242'),
    );
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('4242');
    expect(await store.queryAudit()).toEqual([]);
  });

  it('keeps 405 for a GET that is no handshake, and for webhooks without one', async () => {
    const { handler } = make();
    expect((await handler(new Request('https://crm.example/hooks/hubby'))).status).toBe(405);
    expect((await handler(new Request('https://crm.example/hooks/plain?hub.mode=subscribe&hub.challenge=1'))).status).toBe(405);
  });

  it('still verifies and stores POSTs', async () => {
    const { handler } = make();
    const response = await handler(new Request('https://crm.example/hooks/hubby', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(200);
  });
});
