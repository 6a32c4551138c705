import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  StripeCharge,
  StripeCheckoutSession,
  StripeCustomer,
  StripeDispute,
  StripeEvent,
  StripeInvoice,
  StripePaymentIntent,
  StripeRefund,
  createStripeConnector,
  decodeStripeForm,
} from '@hmi/connector-stripe';
import * as fixtures from '@hmi/connector-stripe/msw';
import { loadStripeFixtures, spec } from './stripe-spec.js';

// Contract tests against Stripe's own descriptions, read at test time:
// - every request body the connector sends validates against the 2023 spec's requestBody schema;
// - every response schema the connector reads accepts today's objects (fixtures3.json), and the
//   hand-written MSW fixtures match both the spec's component schemas and fixtures3's shapes.

let today: Record<string, Record<string, unknown>>;
const mock = fixtures.createStripeMswHandlers();
const server = setupServer(...mock.handlers);

beforeAll(() => {
  today = loadStripeFixtures();
  server.listen({ onUnhandledRequest: 'error' });
}, 120_000);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const stripe = () => createStripeConnector({ apiKey: 'sk_test_contract' });

function lastBody(path: string) {
  const request = mock.store.requests.filter((r) => r.method === 'POST' && r.path === path).at(-1);
  expect(request, `a POST to ${path}`).toBeDefined();
  return decodeStripeForm(request!.body);
}

function expectValidRequest(path: string, specPath: string = path) {
  const body = lastBody(path);
  const result = spec.requestBody(specPath, 'post', body);
  expect(result.errors.map((e) => `${e.path} ${e.message}`)).toEqual([]);
  expect(result.valid).toBe(true);
}

describe('requests validate against the spec requestBody schemas', () => {
  it('the validator can fail: a wrong body is refused', () => {
    expect(spec.requestBody('/v1/payment_intents', 'post', { amount: 'lots', currency: 'sar' }).valid).toBe(false);
    expect(spec.requestBody('/v1/payment_intents', 'post', { currency: 'sar' }).valid).toBe(false);
    expect(spec.requestBody('/v1/refunds', 'post', { reason: 'because' }).valid).toBe(false);
  });

  it('createPaymentIntent with nested options, arrays, metadata, shipping and expand', async () => {
    await stripe().actions.createPaymentIntent({
      amount: 15050,
      currency: 'sar',
      customer: 'cus_Q1',
      description: 'استشارة',
      metadata: { hmi_contact_id: 'c-1', visit: 'v-9' },
      payment_method_types: ['card'],
      payment_method_options: { card: { request_three_d_secure: 'any' } },
      receipt_email: 'patient@example.sa',
      capture_method: 'manual',
      confirm: false,
      setup_future_usage: 'off_session',
      shipping: { name: 'فاطمة', address: { line1: 'طريق الملك فهد', city: 'الرياض', country: 'SA' } },
      statement_descriptor_suffix: 'CLINIC',
      expand: ['latest_charge'],
    });
    expectValidRequest('/v1/payment_intents');
  });

  it('createCheckoutSession with price_data line items and URLs', async () => {
    const session = await stripe().actions.createCheckoutSession({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'aed', unit_amount: 25000, product_data: { name: 'فحص شامل', description: 'Check-up' } },
          quantity: 2,
        },
        { price: 'price_123', quantity: 1 },
      ],
      success_url: 'https://hospital.example/paid?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://hospital.example/cancelled',
      customer_email: 'patient@example.ae',
      client_reference_id: 'contact-7',
      metadata: { hmi_contact_id: 'contact-7' },
      payment_intent_data: { metadata: { visit: 'v-1' }, description: 'Check-up' },
      payment_method_types: ['card'],
    });
    expect(session.url).toMatch(/^https:\/\//);
    expectValidRequest('/v1/checkout/sessions');
    expect(mock.store.requests.at(-1)!.body).toContain('line_items[0][price_data][currency]=aed');
  });

  it('createRefund, createCustomer and cancelPaymentIntent', async () => {
    const s = stripe();
    const pi = await s.actions.createPaymentIntent({ amount: 1000, currency: 'kwd' });
    await s.actions.createRefund({
      payment_intent: pi.id,
      amount: 500,
      reason: 'requested_by_customer',
      metadata: { ticket: 't-1' },
    });
    expectValidRequest('/v1/refunds');
    await s.actions.createCustomer({
      email: 'fatima@example.sa',
      name: 'فاطمة الحربي',
      phone: '+966555123456',
      preferred_locales: ['ar', 'en'],
      address: { city: 'جدة', country: 'SA' },
      metadata: { hmi_contact_id: 'c-2' },
    });
    expectValidRequest('/v1/customers');
    await s.actions.cancelPaymentIntent({ id: pi.id, cancellation_reason: 'requested_by_customer' });
    expectValidRequest(`/v1/payment_intents/${pi.id}/cancel`, '/v1/payment_intents/{intent}/cancel');
  });

  it('GET query parameters are ones the spec declares', async () => {
    const s = stripe();
    await s.actions.findCustomerByEmail({ email: 'x@example.sa' });
    for await (const _page of s.streams.payments.read({ checkpoint: { created: 1, ids: [] } })) break;
    const gets = mock.store.requests.filter((r) => r.method === 'GET');
    const used = (path: string) => [
      ...new Set(gets.filter((r) => r.path === path).flatMap((r) => Object.keys(decodeStripeForm(r.query)))),
    ];
    expect(used('/v1/customers').sort()).toEqual(['email', 'limit']);
    expect(used('/v1/payment_intents').sort()).toEqual(['created', 'expand', 'limit']);
    for (const path of ['/v1/customers', '/v1/payment_intents']) {
      expect(spec.queryParams(path, 'get')).toEqual(expect.arrayContaining(used(path)));
    }
  });
});

const READ_SCHEMAS: Array<[string, v.LooseObjectSchema<v.ObjectEntries, undefined>, () => Record<string, unknown>]> = [
  ['payment_intent', StripePaymentIntent, () => fixtures.paymentIntentFixture()],
  ['charge', StripeCharge, () => fixtures.chargeFixture()],
  ['refund', StripeRefund, () => fixtures.refundFixture()],
  ['checkout.session', StripeCheckoutSession, () => fixtures.checkoutSessionFixture()],
  ['customer', StripeCustomer, () => fixtures.customerFixture()],
  ['dispute', StripeDispute, () => fixtures.disputeFixture()],
  ['invoice', StripeInvoice, () => fixtures.invoiceFixture()],
];

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

describe('responses: today’s objects (fixtures3.json) and the hand-written MSW fixtures', () => {
  it.each(READ_SCHEMAS)('%s: the connector schema accepts Stripe’s example object', (name, schema) => {
    const result = v.safeParse(schema, today[name]);
    expect(result.issues?.map((i) => [v.getDotPath(i), i.message]) ?? []).toEqual([]);
  });

  it.each(READ_SCHEMAS)('%s: every key the connector reads exists in Stripe’s example object', (name, schema) => {
    // A key Stripe's example omits must at least be in Stripe's description of the object
    // (`failure_reason` appears only on failed refunds).
    const documented = spec.documented(name);
    const missing = Object.keys(schema.entries).filter((key) => !(key in today[name]!) && !documented.includes(key));
    expect(missing).toEqual([]);
  });

  it.each(READ_SCHEMAS)(
    '%s: the MSW fixture has the same type as Stripe’s example on every shared key',
    (name, schema, build) => {
      const mine = build();
      const theirs = today[name]!;
      const mismatched = Object.keys(mine).filter((key) => {
        if (!(key in theirs)) return false;
        const [a, b] = [kind(mine[key]), kind(theirs[key])];
        return a !== b && a !== 'null' && b !== 'null';
      });
      expect(mismatched).toEqual([]);
      expect(Object.keys(mine).filter((key) => !(key in theirs) && key !== 'description')).toEqual([]);
      expect(v.safeParse(schema, mine).success).toBe(true);
    },
  );

  // The 2023 invoice schema requires fields today's API removed (paid, total_tax_amounts, …), so
  // invoices are held to fixtures3.json only (above).
  it.each(READ_SCHEMAS.filter(([name]) => name !== 'invoice'))(
    '%s: the MSW fixture validates against the spec component schema',
    (name, _schema, build) => {
      const result = spec.component(name, build());
      expect(result.errors.map((e) => `${e.path} ${e.message}`)).toEqual([]);
    },
  );

  it('event: the webhook event schema accepts Stripe’s example and the fixture validates against the spec', () => {
    expect(v.safeParse(StripeEvent, today.event).success).toBe(true);
    const event = fixtures.eventFixture('payment_intent.succeeded', fixtures.paymentIntentFixture({ status: 'succeeded' }));
    expect(spec.component('event', event).errors).toEqual([]);
  });

  it('MSW responses validate against the connector schemas end to end', async () => {
    const s = stripe();
    const created = await s.actions.createCustomer({ email: 'contract@example.sa', name: 'سارة' });
    const found = await s.actions.findCustomerByEmail({ email: 'contract@example.sa' });
    expect(found?.id).toBe(created.id);
    expect(spec.component('customer', mock.store.customers.get(created.id)).valid).toBe(true);
    await expect(s.check()).resolves.toEqual({ ok: true });
  });
});
