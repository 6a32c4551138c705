// Issue 22 moved the connector's schemas from zod to valibot with the promise "same accepted and
// refused inputs, same outputs". This holds the valibot schemas to the zod ones they replaced
// (test/zod-reference, the code as it was) on valid seeds and on seeds changed at random places:
// a field set to an edge value (wrong type, too long, NaN, ±Infinity, an array, a Date, a
// padded URL, …), a field deleted, an unknown key added.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { findSpecsDir } from '@hmi/testing';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as fixtures from '../src/msw/fixtures.js';
import { CheckoutSessionCreateParams } from '../src/checkout-sessions/params.js';
import { CustomerCreateParams, FindCustomerByEmailParams } from '../src/customers/params.js';
import {
  PaymentIntentCancelParams,
  PaymentIntentCreateParams,
  PaymentIntentRetrieveParams,
} from '../src/payment-intents/params.js';
import { PaymentsCheckpoint } from '../src/payments/payments-stream.js';
import { RefundCreateParams } from '../src/refunds/params.js';
import * as objects from '../src/shared/objects.js';
import { StripeConfig } from '../src/stripe-config.js';
import { StripeErrorBody } from '../src/stripe-error.js';
import * as zp from './zod-reference/action-params.js';
import * as zo from './zod-reference/objects.js';

type Pair = [name: string, zod: z.ZodType, valibot: v.GenericSchema, seeds: () => unknown[]];

const today: Record<string, Record<string, unknown>> = JSON.parse(
  readFileSync(join(findSpecsDir(), 'stripe', 'fixtures3.json'), 'utf8'),
).resources;

const fullPaymentIntent = {
  amount: 15050,
  currency: 'sar',
  automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
  capture_method: 'manual',
  confirm: false,
  confirmation_method: 'automatic',
  customer: 'cus_Q1',
  description: 'استشارة',
  expand: ['latest_charge'],
  metadata: { hmi_contact_id: 'c-1', count: 3, gone: null },
  off_session: 'one_off',
  on_behalf_of: 'acct_1',
  payment_method: 'pm_1',
  payment_method_options: {
    card: { capture_method: 'manual', request_three_d_secure: 'any', setup_future_usage: '', statement_descriptor_suffix_kana: 'k' },
  },
  payment_method_types: ['card'],
  receipt_email: 'patient@example.sa',
  return_url: 'https://hospital.example/back',
  setup_future_usage: 'off_session',
  shipping: { address: { line1: 'طريق الملك فهد', city: 'الرياض' }, name: 'فاطمة', carrier: 'c', phone: '+9665', tracking_number: 't' },
  statement_descriptor: 'CLINIC',
  statement_descriptor_suffix: 'X',
  transfer_group: 'g',
  application_fee_amount: 10,
  a_later_param: { nested: ['x'] },
};

const fullCheckout = {
  mode: 'payment',
  line_items: [
    {
      price_data: {
        currency: 'kwd',
        unit_amount: 2500,
        product_data: { name: 'فحص', description: 'd', images: ['https://i'], metadata: { a: 'b' }, tax_code: 't' },
        recurring: { interval: 'month', interval_count: 1 },
        tax_behavior: 'inclusive',
        unit_amount_decimal: '2500.5',
      },
      quantity: 2,
      adjustable_quantity: { enabled: true, maximum: 5, minimum: 1 },
      tax_rates: ['txr_1'],
    },
    { price: 'price_123', quantity: 1 },
  ],
  success_url: 'https://hospital.example/paid?session={CHECKOUT_SESSION_ID}',
  cancel_url: ' https://hospital.example/cancelled\t',
  ui_mode: 'hosted',
  allow_promotion_codes: true,
  billing_address_collection: 'auto',
  client_reference_id: 'contact-7',
  currency: 'aed',
  customer: 'cus_1',
  customer_creation: 'always',
  customer_email: 'patient@example.ae',
  expand: ['payment_intent'],
  expires_at: 1_767_225_600,
  locale: 'ar',
  metadata: { hmi_contact_id: 'contact-7' },
  payment_intent_data: {
    capture_method: 'automatic',
    description: 'Check-up',
    metadata: { visit: 'v-1' },
    receipt_email: 'a@b.c',
    setup_future_usage: 'on_session',
    statement_descriptor: 's',
    statement_descriptor_suffix: 'x',
  },
  payment_method_types: ['card'],
  phone_number_collection: { enabled: false },
  submit_type: 'pay',
};

const PAIRS: Pair[] = [
  ['PaymentIntentCreateParams', zp.PaymentIntentCreateParams, PaymentIntentCreateParams, () => [fullPaymentIntent, { amount: 1000, currency: 'kwd' }]],
  ['PaymentIntentRetrieveParams', zp.PaymentIntentRetrieveParams, PaymentIntentRetrieveParams, () => ['pi_1', { id: 'pi_1', expand: ['latest_charge'] }]],
  ['PaymentIntentCancelParams', zp.PaymentIntentCancelParams, PaymentIntentCancelParams, () => [{ id: 'pi_1', cancellation_reason: 'duplicate', expand: [] }]],
  ['CheckoutSessionCreateParams', zp.CheckoutSessionCreateParams, CheckoutSessionCreateParams, () => [fullCheckout, { mode: 'setup', return_url: 'https://x.example' }]],
  ['RefundCreateParams', zp.RefundCreateParams, RefundCreateParams, () => [
    { payment_intent: 'pi_1', amount: 500, currency: 'kwd', reason: 'duplicate', metadata: { t: '1' }, instructions_email: 'a@b', expand: ['charge'] },
    { charge: 'py_1' },
  ]],
  ['CustomerCreateParams', zp.CustomerCreateParams, CustomerCreateParams, () => [
    { email: 'f@example.sa', name: 'فاطمة', phone: '+966555123456', description: 'd', address: { city: 'جدة', country: 'SA' }, metadata: { a: 'b' }, preferred_locales: ['ar'], payment_method: 'pm_1', expand: ['x'] },
    { address: '' },
  ]],
  ['FindCustomerByEmailParams', zp.FindCustomerByEmailParams, FindCustomerByEmailParams, () => [{ email: 'x@example.sa' }]],
  ['StripeConfig', zo.StripeConfig, StripeConfig, () => [
    { apiKey: 'sk_test_1', webhookSecret: ['whsec_1', 'whsec_2'], apiVersion: '2026-10-28.endive', baseUrl: 'http://127.0.0.1:1/', allowInsecureHttp: true, timeoutMs: 10, maxRetries: 2 },
    { apiKey: 'sk_test_1', webhookSecret: 'whsec_1' },
  ]],
  ['PaymentsCheckpoint', zo.PaymentsCheckpoint, PaymentsCheckpoint, () => [{ created: 1, ids: ['pi_1'], pass: { cursor: 'pi_2', highest: 3, idsAtHighest: ['pi_2'] } }]],
  ['StripeErrorBody', zo.StripeErrorBody, StripeErrorBody, () => [
    { error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', param: 'amount', message: 'no' } },
  ]],
  ['StripePaymentIntent', zo.StripePaymentIntent, objects.StripePaymentIntent, () => [
    today.payment_intent,
    fixtures.paymentIntentFixture({ latest_charge: fixtures.chargeFixture(), last_payment_error: { type: 'card_error', code: 'x' }, metadata: { a: 'b' } }),
  ]],
  ['StripeCharge', zo.StripeCharge, objects.StripeCharge, () => [today.charge, fixtures.chargeFixture({ payment_intent: { id: 'pi_1' } })]],
  ['StripeRefund', zo.StripeRefund, objects.StripeRefund, () => [today.refund, fixtures.refundFixture()]],
  ['StripeCheckoutSession', zo.StripeCheckoutSession, objects.StripeCheckoutSession, () => [today['checkout.session'], fixtures.checkoutSessionFixture()]],
  ['StripeCustomer', zo.StripeCustomer, objects.StripeCustomer, () => [today.customer, fixtures.customerFixture()]],
  ['StripeDispute', zo.StripeDispute, objects.StripeDispute, () => [today.dispute, fixtures.disputeFixture()]],
  ['StripeInvoice', zo.StripeInvoice, objects.StripeInvoice, () => [today.invoice, fixtures.invoiceFixture()]],
  ['StripeInvoicePayment', zo.StripeInvoicePayment, objects.StripeInvoicePayment, () => [
    today.invoice_payment,
    { id: 'inpay_1', object: 'invoice_payment', amount_paid: 100, currency: 'sar', invoice: 'in_1', payment: { type: 'payment_intent', payment_intent: 'pi_1' }, status: 'paid', status_transitions: { paid_at: 1 } },
  ]],
  ['StripeEvent', zo.StripeEvent, objects.StripeEvent, () => [today.event, fixtures.eventFixture('charge.succeeded', fixtures.chargeFixture())]],
];

const long = (n: number) => 'x'.repeat(n);
const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
/** Edge values, built fresh for each use (a Date, nested objects). */
const edgeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    undefined, null, '', ' ', 'x', 'sar', 'SAR', 'kwd', 'isk', 'pi_1', 'cus_1', 'ch_1', 'py_1', 'a@b', 'a b@c', '[k]',
    'https://x.example/a', ' https://x.example/b ', 'https://x.exa\nmple/', 'http:x', 'not a url', 'manual', 'payment',
    'setup', 'month', 'paid', 'succeeded', 'charge', 'payment_intent', 'event', 'list', '1.5', '12',
    long(20), long(22), long(23), long(40), long(41), long(200), long(201), long(500), long(501), long(5001),
    0, -0, 1, -1, 1.5, 5, 10, 11, 100, 1000, 1001, 15050, 2 ** 53, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY, true, false,
  ),
  fc.constantFrom(
    () => [], () => ['card'], () => [''], () => Array.from({ length: 51 }, () => 'x'), () => ({}), () => ({ a: 'b' }),
    () => ({ id: 'x' }), () => ({ enabled: true }), () => ({ ...manyKeys }), () => ({ '[x]': 'y' }), () => ({ constructor: 'c' }),
    () => ({ prototype: 1 }), () => new Date(0), () => new Map(), () => [{ price: 'p' }],
  ).map((make) => make()),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
);
const keyArb = fc.constantFrom('extra', 'constructor', 'prototype', 'toString', 'amount', 'currency', 'id', 'metadata', 'url', 'x[y]');

type Path = Array<string | number>;
function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length < 6 && value !== null && typeof value === 'object') {
    for (const [k, child] of Object.entries(value)) pathsOf(child, [...at, Array.isArray(value) && /^\d+$/.test(k) ? Number(k) : k], out);
  }
  return out;
}
const mutationArb = fc.record({ pick: fc.nat(), kind: fc.constantFrom('set', 'set', 'delete', 'add'), value: edgeArb, key: keyArb });

type Mutation = { pick: number; kind: string; value: unknown; key: string };
function mutate(seed: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(seed);
  for (const { value: edge, ...m } of mutations) {
    // A copy: an edge value is fast-check's, shrinking reuses it.
    const value = structuredClone(edge);
    const paths = pathsOf(root);
    const path = paths[m.pick % paths.length]!;
    if (path.length === 0) {
      if (m.kind === 'set') root = value;
      else if (m.kind === 'add' && root !== null && typeof root === 'object' && !Array.isArray(root)) Object.defineProperty(root, m.key, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const parent = path.slice(0, -1).reduce((o: any, k) => o[k], root) as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (m.kind === 'add' && parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
      Object.defineProperty(parent[last], m.key, { value, enumerable: true, writable: true, configurable: true });
    } else parent[last] = value;
  }
  return root;
}

function compare(name: string, zod: z.ZodType, valibot: v.GenericSchema, input: unknown) {
  const a = zod.safeParse(input);
  const b = v.safeParse(valibot, input);
  const where = `${name} on ${String(JSON.stringify(input))?.slice(0, 400)}`;
  expect(b.success, `${where}: ${a.success ? 'zod accepts' : JSON.stringify(a.error.issues.map((i) => [i.path, i.code]))}`).toBe(a.success);
  if (a.success && b.success) {
    expect(b.output, where).toEqual(a.data);
    // Same keys in the same order, those set to undefined included (what the form encoder walks).
    expect(pathsOf(b.output), where).toEqual(pathsOf(a.data));
  }
}

describe('valibot schemas accept, refuse and output as the zod schemas they replaced', () => {
  it.each(PAIRS)('%s: the seeds themselves', (name, zod, valibot, seeds) => {
    for (const seed of seeds()) {
      expect(seed, name).toBeDefined();
      expect(zod.safeParse(seed).success, `${name}: a seed the reference refuses`).toBe(true);
      compare(name, zod, valibot, seed);
    }
  });

  it.each(PAIRS)('%s: seeds changed at random places', (name, zod, valibot, seeds) => {
    const all = seeds();
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const input = mutate(all[which % all.length], mutations);
        if (!zod.safeParse(input).success) refused++;
        compare(name, zod, valibot, input);
      }),
      { numRuns: 400 },
    );
    expect(refused, 'the mutations reach the refusals').toBeGreaterThan(20);
  });
});
