import fc from 'fast-check';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeConnector, decodeStripeForm, encodeStripeForm } from '@hmi/connector-stripe';
import { paymentIntentFixture } from '@hmi/connector-stripe/msw';
import { type LoopbackRequest as SeenRequest, type LoopbackServer, startLoopbackServer as startLoopback } from '@hmi/testing';

// The official SDK and the connector send the same PaymentIntent to one loopback server; the raw
// bodies must be byte-identical (same keys, same order, same percent-encoding).

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopback(() => ({ status: 200, body: JSON.stringify(paymentIntentFixture()) }));
});
afterAll(() => server.close());

function sdk() {
  return new Stripe('sk_test_differential', {
    host: '127.0.0.1',
    port: server.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
}
function connector() {
  return createStripeConnector({ apiKey: 'sk_test_differential', baseUrl: server.url, allowInsecureHttp: true, maxRetries: 0 });
}

async function bodies(params: Record<string, unknown>): Promise<{ ours: SeenRequest; theirs: SeenRequest }> {
  const before = server.seen.length;
  await sdk().paymentIntents.create(params as unknown as Stripe.PaymentIntentCreateParams);
  await connector().actions.createPaymentIntent(params as never);
  const [theirs, ours] = server.seen.slice(before);
  return { ours: ours!, theirs: theirs! };
}

const arabicName = 'فاطمة الحربي';

const richParams = {
  amount: 15050,
  currency: 'sar',
  customer: 'cus_Q1w2e3r4t5',
  description: `Consultation — ${arabicName} (100% paid) & co. + 'quotes' *stars* !bang (parens) ~tilde`,
  metadata: { hmi_contact_id: 'c-123', 'space key': 'a b', arabic: arabicName, empty: '', n: 42 },
  payment_method_types: ['card', 'mada'],
  payment_method_options: { card: { request_three_d_secure: 'any' } },
  receipt_email: 'fatima+test@example.sa',
  capture_method: 'manual',
  confirm: false,
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  shipping: { name: arabicName, address: { line1: 'طريق الملك فهد', city: 'الرياض', country: 'SA' } },
  statement_descriptor_suffix: 'HMI CLINIC',
  expand: ['latest_charge', 'customer'],
};

describe('request bodies: connector vs the official stripe SDK', () => {
  it('a rich PaymentIntent (nested options, arrays, Arabic, reserved characters) is byte-identical', async () => {
    const { ours, theirs } = await bodies(richParams);
    expect(ours.body).toBe(theirs.body);
    expect(decodeStripeForm(ours.body)).toEqual(decodeStripeForm(theirs.body));
    expect(ours.body).toContain('payment_method_types[0]=card&payment_method_types[1]=mada');
    expect(ours.body).toContain('payment_method_options[card][request_three_d_secure]=any');
    expect(ours.body).toContain('metadata[empty]=&');
    expect(ours.body).toContain('confirm=false');
    expect(ours.headers['content-type']).toBe(theirs.headers['content-type']);
    expect(ours.headers['stripe-version']).toBe(theirs.headers['stripe-version']);
    expect(ours.headers.authorization).toBe(theirs.headers.authorization);
    expect(ours.url).toBe(theirs.url);
  });

  it('empty string unsets (metadata: "") and a null metadata value encode as the SDK does', async () => {
    const { ours, theirs } = await bodies({ amount: 100, currency: 'usd', metadata: '', description: 'x' });
    expect(ours.body).toBe(theirs.body);
    const second = await bodies({ amount: 100, currency: 'usd', metadata: { drop_me: null, keep: 'v' } });
    expect(second.ours.body).toBe(second.theirs.body);
    expect(second.ours.body).toContain('metadata[drop_me]=&metadata[keep]=v');
  });

  it('random PaymentIntents: byte-identical bodies (fast-check)', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    const metadataKey = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
      .filter((k) => !/[[\]]/.test(k) && k !== '__proto__');
    const params = fc.record(
      {
        amount: fc.integer({ min: 1, max: 99_999_999 }),
        currency: fc.constantFrom('sar', 'aed', 'egp', 'usd', 'jpy'),
        description: text,
        metadata: fc.dictionary(
          metadataKey,
          fc.oneof(
            text.map((s) => s.slice(0, 500)),
            fc.integer(),
          ),
          { maxKeys: 5 },
        ),
        payment_method_types: fc.array(fc.constantFrom('card', 'mada', 'link', 'apple_pay'), { minLength: 1, maxLength: 3 }),
        receipt_email: fc.emailAddress(),
        capture_method: fc.constantFrom('automatic', 'manual'),
        confirm: fc.boolean(),
        payment_method_options: fc.record({ card: fc.record({ request_three_d_secure: fc.constantFrom('any', 'automatic') }) }),
      },
      { requiredKeys: ['amount', 'currency'] },
    );
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const { ours, theirs } = await bodies(p);
        expect(ours.body).toBe(theirs.body);
      }),
      { numRuns: 60 },
    );
  });

  it('encodeStripeForm equals the body the SDK sends for arbitrary nested JSON-like data', async () => {
    // The SDK's encoder is reached through a real request to a resource that takes any params.
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !/[[\]]/.test(k) && k !== '__proto__'),
          tie('node'),
          { maxKeys: 3 },
        ),
      ),
    }));
    const data = fc.dictionary(fc.constantFrom('a', 'metadata', 'line_items', 'x y'), value.node, { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(data, async (d) => {
        const before = server.seen.length;
        await sdk().customers.create(d as unknown as Stripe.CustomerCreateParams);
        expect(encodeStripeForm(d)).toBe(server.seen[before]!.body);
      }),
      { numRuns: 60 },
    );
  });
});
