import Stripe from 'stripe';
import { createTelemetry, isHmiError } from '@hmi/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createStripeConnector } from '@hmi/connector-stripe';
import { customerFixture, paymentIntentFixture, stripeErrorBody } from '@hmi/connector-stripe/msw';
import { expectNoLeaks, type LoopbackServer, startLoopbackServer } from '@hmi/testing';

// Canary values: if any of them shows up in telemetry, an error's message/stack/JSON, the
// redaction failed.
const API_KEY = 'sk_test_CANARY_c4n4ry_9f8e7d';
const WEBHOOK_SECRET = 'whsec_CANARY_w3bh00k_1a2b';
const EMAIL = 'fatima.canary@example.sa';
const NAME = 'فاطمة الحربي الكناري';
const PHONE = '+966555123456';
const CANARIES = [API_KEY, WEBHOOK_SECRET, EMAIL, NAME, PHONE, 'CANARY', 'Zarqa', 'zarqa', 'Canarya', '966555123456'];

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('canaries never reach telemetry or errors', () => {
  it('success, retries, vendor errors echoing PHI, webhooks, streams', async () => {
    // Stripe's error messages quote parameter values; this one echoes all our canaries back.
    const echo = `Invalid email ${EMAIL} for ${NAME} (${PHONE}), key ${API_KEY}`;
    const replies = [
      { status: 200, body: JSON.stringify(customerFixture({ email: EMAIL, name: NAME, phone: PHONE })) },
      {
        status: 500,
        body: JSON.stringify(stripeErrorBody({ type: 'api_error', message: echo })),
        headers: { 'request-id': 'req_1' },
      },
      { status: 200, body: JSON.stringify(paymentIntentFixture({ receipt_email: EMAIL })) },
      {
        status: 400,
        body: JSON.stringify(stripeErrorBody({ type: 'invalid_request_error', param: 'receipt_email', message: echo })),
      },
      { status: 402, body: JSON.stringify(stripeErrorBody({ type: 'card_error', code: 'card_declined', message: echo })) },
      { status: 200, body: JSON.stringify({ object: 'list', data: [], has_more: false }) },
      { status: 200, body: JSON.stringify({ object: 'list', data: [{ broken: NAME }], has_more: false }) },
      // Issue 11 #4: free text, a code and a param a hostile server filled with a name and a number.
      {
        status: 400,
        body: JSON.stringify(
          stripeErrorBody({
            type: 'invalid_request_error',
            code: 'zarqa_canarya_966555123456',
            param: 'metadata[zarqa_canarya]',
            message: 'Recipient Zarqa Canarya +966555123456 is on a suppression list',
          }),
        ),
      },
    ];
    server = await startLoopbackServer(replies);
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const stripe = createStripeConnector(
      { apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, baseUrl: server.url, allowInsecureHttp: true, maxRetries: 1 },
      { telemetry },
    );
    const errors: unknown[] = [];
    const attempt = async (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));

    await attempt(stripe.actions.createCustomer({ email: EMAIL, name: NAME, phone: PHONE, metadata: { note: NAME } }));
    await attempt(
      stripe.actions.createPaymentIntent({ amount: 15_050, currency: 'sar', receipt_email: EMAIL, description: NAME }),
    );
    await attempt(stripe.actions.createPaymentIntent({ amount: 15_050, currency: 'sar', receipt_email: EMAIL }));
    await attempt(
      stripe.actions.createPaymentIntent({ amount: 15_050, currency: 'sar', receipt_email: EMAIL }, { idempotencyKey: 'k-1' }),
    );
    await attempt(stripe.actions.findCustomerByEmail({ email: EMAIL }));
    await attempt(stripe.actions.findCustomerByEmail({ email: EMAIL }));
    await attempt(stripe.actions.createCustomer({ email: EMAIL }));
    // Input validation failures must not echo the bad value either.
    await attempt(stripe.actions.createCustomer({ email: `${NAME} not an email` }));
    await attempt(stripe.actions.createPaymentIntent({ amount: 15_050, currency: 'sar', receipt_email: `${NAME}@` }));
    const body = JSON.stringify({ id: 'evt_1', type: 'customer.created', data: { object: { name: NAME } } });
    const header = new Stripe('sk_x').webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_other' });
    await attempt(
      stripe.webhooks.events.verify(
        new Request('https://h.example/wh', { method: 'POST', body, headers: { 'stripe-signature': header } }),
      ),
    );
    // A config error must not echo the bad key.
    await attempt(Promise.resolve().then(() => createStripeConnector({ apiKey: `${API_KEY} with space` })));

    expect(errors.length).toBeGreaterThanOrEqual(7);
    expect(errors.every(isHmiError)).toBe(true);
    expect(server.seen.length).toBeGreaterThanOrEqual(6);
    expect(server.seen[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`); // the canary was really used
    expect(events.length).toBeGreaterThan(10);
    expectNoLeaks([...events, ...errors], CANARIES);
  });
});
