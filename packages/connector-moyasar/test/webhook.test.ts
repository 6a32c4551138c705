// The paymentEvents webhook: secret_token in the body, compared in constant time; the payment is
// re-read over the API and that read, not the body, is what the event carries.
import { ConfigError, createTelemetry, WebhookVerificationError } from '@hmi/core';
import { createTestServer } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMoyasarConnector, type MoyasarWebhookData, verifyMoyasarSecretToken } from '../src/index.js';
import { createFakeMoyasarApi, moyasarPaymentFixture, moyasarWebhookRequest } from '../src/msw/index.js';

const baseUrl = 'https://api.moyasar.test';
const secretKey = 'sk_test_webhookSuite0000001';
const webhookSecret = 'whsec_moyasar_CANARY_token_77';
const url = 'https://crm.hospital.example/webhooks/moyasar';
const server = createTestServer({ baseUrl });

beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

function setup() {
  const fake = createFakeMoyasarApi({ baseUrl, secretKey });
  server.use(...fake.handlers);
  const telemetry = createTelemetry();
  const events: unknown[] = [];
  telemetry.onAny((name, payload) => events.push({ name, payload }));
  const moyasar = createMoyasarConnector(
    { secretKey, baseUrl, webhookSecret: ['whsec_moyasar_next_rotation_1', webhookSecret] },
    { telemetry },
  );
  return { fake, moyasar, events };
}

describe('paymentEvents webhook', () => {
  it('verifies the token, re-reads the payment and carries the API’s version', async () => {
    const { fake, moyasar } = setup();
    const stored = fake.state.addPayment({ status: 'paid' });
    const [event] = await moyasar.webhooks.paymentEvents.verify(
      moyasarWebhookRequest({ url, type: 'payment_paid', payment: stored, secretToken: webhookSecret, eventId: 'evt-1' }),
    );
    const data = event!.data as MoyasarWebhookData;
    expect(event).toMatchObject({ id: 'evt-1', type: 'payment_paid', connector: 'moyasar' });
    expect(data).toMatchObject({
      kind: 'payment',
      trusted: true,
      payment: { id: stored.id, status: 'succeeded', method: 'mada' },
    });
    expect(fake.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/payments/${stored.id}`]);
  });

  it('a body that claims “paid” for a payment the API says failed gets the API’s answer', async () => {
    const { fake, moyasar } = setup();
    const stored = fake.state.addPayment({
      status: 'failed',
      source: { ...moyasarPaymentFixture().source, response_code: '05', message: 'DECLINED' },
    });
    const forged = moyasarWebhookRequest({
      url,
      type: 'payment_paid',
      payment: { ...stored, status: 'paid' },
      secretToken: webhookSecret,
    });
    const [event] = await moyasar.webhooks.paymentEvents.verify(forged);
    expect(event!.data).toMatchObject({ trusted: true, payment: { status: 'failed', declineReason: 'do_not_honor' } });
  });

  it('refuses a wrong token, a missing one, one of another length and a non-JSON body; nothing is read', async () => {
    const { fake, moyasar, events } = setup();
    const payment = moyasarPaymentFixture();
    const wrong = [
      moyasarWebhookRequest({ url, type: 'payment_paid', payment, secretToken: 'whsec_moyasar_CANARY_token_78' }),
      moyasarWebhookRequest({ url, type: 'payment_paid', payment, secretToken: `${webhookSecret}x` }),
      moyasarWebhookRequest({ url, type: 'payment_paid', payment, secretToken: '' }),
      new Request(url, { method: 'POST', body: JSON.stringify({ id: 'e', type: 'payment_paid', data: payment }) }),
      new Request(url, { method: 'POST', body: 'secret_token=whsec_moyasar_CANARY_token_77' }),
    ];
    for (const request of wrong) {
      const error = await moyasar.webhooks.paymentEvents.verify(request).catch((e: unknown) => e);
      expect(WebhookVerificationError.isInstance(error)).toBe(true);
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain('CANARY_token');
    }
    expect(fake.state.requests).toHaveLength(0);
    expect(JSON.stringify(events)).not.toContain('CANARY_token');
  });

  it('when the re-read fails the event is still returned, untrusted, with the payment id', async () => {
    const { fake, moyasar } = setup();
    const stored = fake.state.addPayment();
    fake.state.failNext({ status: 503, match: 'GET /v1/payments' }, 5);
    const [event] = await moyasar.webhooks.paymentEvents.verify(
      moyasarWebhookRequest({ url, type: 'payment_refunded', payment: stored, secretToken: webhookSecret }),
    );
    expect(event!.data).toEqual({ kind: 'payment', trusted: false, paymentId: stored.id, live: false });
  });

  it('other events pass as kind "other"; no webhook secret is a ConfigError', async () => {
    const { moyasar } = setup();
    const body = JSON.stringify({ id: 'evt-9', type: 'balance_transferred', secret_token: webhookSecret, data: { id: 'tr_1' } });
    const [event] = await moyasar.webhooks.paymentEvents.verify(new Request(url, { method: 'POST', body }));
    expect(event!.data).toEqual({ kind: 'other', live: undefined });
    const noSecret = createMoyasarConnector({ secretKey, baseUrl });
    await expect(noSecret.webhooks.paymentEvents.verify(new Request(url, { method: 'POST', body }))).rejects.toSatisfy(
      ConfigError.isInstance,
    );
  });

  it('an authenticated body that is not a readable event is still stored (id from its bytes)', async () => {
    const { fake, moyasar } = setup();
    const body = JSON.stringify({ secret_token: webhookSecret, note: 'no id, no type' });
    const [first] = await moyasar.webhooks.paymentEvents.verify(new Request(url, { method: 'POST', body }));
    const [again] = await moyasar.webhooks.paymentEvents.verify(new Request(url, { method: 'POST', body }));
    expect(first).toMatchObject({ type: 'unreadable', data: { kind: 'other' } });
    expect(first!.id).toMatch(/^moyasar-unreadable-[0-9a-f]{32}$/);
    expect(again!.id).toBe(first!.id);
    expect(fake.state.requests).toHaveLength(0);
  });

  it('verifyMoyasarSecretToken never throws and needs an exact match', () => {
    for (const token of [undefined, null, 42, {}, '', 'x'.repeat(5000), webhookSecret.toUpperCase(), ` ${webhookSecret}`]) {
      expect(verifyMoyasarSecretToken(token, webhookSecret)).toBe(false);
    }
    expect(verifyMoyasarSecretToken(webhookSecret, [webhookSecret])).toBe(true);
    expect(verifyMoyasarSecretToken(webhookSecret, [])).toBe(false);
  });
});
