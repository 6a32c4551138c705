// Seeds of test/schema-differential.test.ts: each schema the connector moved from zod to valibot,
// the zod one it replaced (test/zod-reference) and valid inputs to start changing from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSpecsDir } from '@hmi/testing';
import type * as v from 'valibot';
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

export type Pair = [name: string, zod: z.ZodType, valibot: v.GenericSchema, seeds: () => unknown[]];

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
    card: {
      capture_method: 'manual',
      request_three_d_secure: 'any',
      setup_future_usage: '',
      statement_descriptor_suffix_kana: 'k',
    },
  },
  payment_method_types: ['card'],
  receipt_email: 'patient@example.sa',
  return_url: 'https://hospital.example/back',
  setup_future_usage: 'off_session',
  shipping: {
    address: { line1: 'طريق الملك فهد', city: 'الرياض' },
    name: 'فاطمة',
    carrier: 'c',
    phone: '+9665',
    tracking_number: 't',
  },
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

export const PAIRS: Pair[] = [
  [
    'PaymentIntentCreateParams',
    zp.PaymentIntentCreateParams,
    PaymentIntentCreateParams,
    () => [fullPaymentIntent, { amount: 1000, currency: 'kwd' }],
  ],
  [
    'PaymentIntentRetrieveParams',
    zp.PaymentIntentRetrieveParams,
    PaymentIntentRetrieveParams,
    () => ['pi_1', { id: 'pi_1', expand: ['latest_charge'] }],
  ],
  [
    'PaymentIntentCancelParams',
    zp.PaymentIntentCancelParams,
    PaymentIntentCancelParams,
    () => [{ id: 'pi_1', cancellation_reason: 'duplicate', expand: [] }],
  ],
  [
    'CheckoutSessionCreateParams',
    zp.CheckoutSessionCreateParams,
    CheckoutSessionCreateParams,
    () => [fullCheckout, { mode: 'setup', return_url: 'https://x.example' }],
  ],
  [
    'RefundCreateParams',
    zp.RefundCreateParams,
    RefundCreateParams,
    () => [
      {
        payment_intent: 'pi_1',
        amount: 500,
        currency: 'kwd',
        reason: 'duplicate',
        metadata: { t: '1' },
        instructions_email: 'a@b',
        expand: ['charge'],
      },
      { charge: 'py_1' },
    ],
  ],
  [
    'CustomerCreateParams',
    zp.CustomerCreateParams,
    CustomerCreateParams,
    () => [
      {
        email: 'f@example.sa',
        name: 'فاطمة',
        phone: '+966555123456',
        description: 'd',
        address: { city: 'جدة', country: 'SA' },
        metadata: { a: 'b' },
        preferred_locales: ['ar'],
        payment_method: 'pm_1',
        expand: ['x'],
      },
      { address: '' },
    ],
  ],
  ['FindCustomerByEmailParams', zp.FindCustomerByEmailParams, FindCustomerByEmailParams, () => [{ email: 'x@example.sa' }]],
  [
    'StripeConfig',
    zo.StripeConfig,
    StripeConfig,
    () => [
      {
        apiKey: 'sk_test_1',
        webhookSecret: ['whsec_1', 'whsec_2'],
        apiVersion: '2026-10-28.endive',
        baseUrl: 'http://127.0.0.1:1/',
        allowInsecureHttp: true,
        timeoutMs: 10,
        maxRetries: 2,
      },
      { apiKey: 'sk_test_1', webhookSecret: 'whsec_1' },
    ],
  ],
  [
    'PaymentsCheckpoint',
    zo.PaymentsCheckpoint,
    PaymentsCheckpoint,
    () => [{ created: 1, ids: ['pi_1'], pass: { cursor: 'pi_2', highest: 3, idsAtHighest: ['pi_2'] } }],
  ],
  [
    'StripeErrorBody',
    zo.StripeErrorBody,
    StripeErrorBody,
    () => [
      {
        error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', param: 'amount', message: 'no' },
      },
    ],
  ],
  [
    'StripePaymentIntent',
    zo.StripePaymentIntent,
    objects.StripePaymentIntent,
    () => [
      today.payment_intent,
      fixtures.paymentIntentFixture({
        latest_charge: fixtures.chargeFixture(),
        last_payment_error: { type: 'card_error', code: 'x' },
        metadata: { a: 'b' },
      }),
    ],
  ],
  [
    'StripeCharge',
    zo.StripeCharge,
    objects.StripeCharge,
    () => [today.charge, fixtures.chargeFixture({ payment_intent: { id: 'pi_1' } })],
  ],
  ['StripeRefund', zo.StripeRefund, objects.StripeRefund, () => [today.refund, fixtures.refundFixture()]],
  [
    'StripeCheckoutSession',
    zo.StripeCheckoutSession,
    objects.StripeCheckoutSession,
    () => [today['checkout.session'], fixtures.checkoutSessionFixture()],
  ],
  ['StripeCustomer', zo.StripeCustomer, objects.StripeCustomer, () => [today.customer, fixtures.customerFixture()]],
  ['StripeDispute', zo.StripeDispute, objects.StripeDispute, () => [today.dispute, fixtures.disputeFixture()]],
  ['StripeInvoice', zo.StripeInvoice, objects.StripeInvoice, () => [today.invoice, fixtures.invoiceFixture()]],
  [
    'StripeInvoicePayment',
    zo.StripeInvoicePayment,
    objects.StripeInvoicePayment,
    () => [
      today.invoice_payment,
      {
        id: 'inpay_1',
        object: 'invoice_payment',
        amount_paid: 100,
        currency: 'sar',
        invoice: 'in_1',
        payment: { type: 'payment_intent', payment_intent: 'pi_1' },
        status: 'paid',
        status_transitions: { paid_at: 1 },
      },
    ],
  ],
  [
    'StripeEvent',
    zo.StripeEvent,
    objects.StripeEvent,
    () => [today.event, fixtures.eventFixture('charge.succeeded', fixtures.chargeFixture())],
  ],
];
