import { createMetaConnector } from '@hmi/connector-meta';
import { graphHandshakeRequest, signedLeadgenWebhook } from '@hmi/connector-meta/msw';
import { createMemoryStateStore, createWebhookHandler } from '@hmi/flow';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN } from './harness.js';

// The connector mounted in @hmi/flow's webhook endpoint, as a host app does: no host code for the
// handshake, verify → store → acknowledge for deliveries.
describe('Meta webhooks through createWebhookHandler', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });
  const endpoint = () => {
    const store = createMemoryStateStore();
    const meta = createMetaConnector({ accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    const handler = createWebhookHandler({ store, connectors: { meta } });
    open.push(handler);
    return { handler, store };
  };
  const url = 'https://crm.hospital.sa/hooks/meta';

  it('answers the subscription handshake: challenge as text/plain, 403 for a wrong token', async () => {
    const { handler } = endpoint();
    const ok = await handler(graphHandshakeRequest(url, VERIFY_TOKEN, '31415926'));
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain; charset=utf-8', '31415926']);
    const bad = await handler(graphHandshakeRequest(url, 'not-the-token', '31415926'));
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('31415926');
  });

  it('stores a signed lead delivery once, refuses a tampered one with 401', async () => {
    const { handler, store } = endpoint();
    const first = await handler(signedLeadgenWebhook({ url, appSecret: APP_SECRET }));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 1, duplicates: 0 });
    const again = await handler(signedLeadgenWebhook({ url, appSecret: APP_SECRET }));
    expect(await again.json()).toEqual({ received: 1, duplicates: 1 });
    const wrongSecret = await handler(signedLeadgenWebhook({ url, appSecret: `${APP_SECRET}x`, leadId: '999' }));
    expect(wrongSecret.status).toBe(401);
    const audit = await store.queryAudit();
    expect(audit.map((a) => a.outcome)).toEqual(['success', 'duplicate', 'rejected']);
  });
});
