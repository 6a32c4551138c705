// Hand-written Stripe objects for tests: the shapes of Stripe's API at the pinned version (the
// contract tests check them against Stripe's OpenAPI description and fixtures3.json).

import { randomUUID } from 'node:crypto';

/** A Stripe-looking id with the given prefix (`pi_T3f9…`), random. */
export function fakeStripeId(prefix: string): string {
  return `${prefix}_T${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

const NULL_ADDRESS = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

/** A PaymentIntent as Stripe returns it. */
export function paymentIntentFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (overrides.id as string | undefined) ?? fakeStripeId('pi');
  return {
    id,
    object: 'payment_intent',
    amount: 15050,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_fixture`,
    confirmation_method: 'automatic',
    created: 1_767_225_600,
    currency: 'sar',
    customer: null,
    description: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
    ...overrides,
  };
}

/** A Charge as Stripe returns it. */
export function chargeFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: fakeStripeId('ch'),
    object: 'charge',
    amount: 15050,
    amount_captured: 15050,
    amount_refunded: 0,
    balance_transaction: null,
    billing_details: { address: NULL_ADDRESS, email: null, name: null, phone: null },
    captured: true,
    created: 1_767_225_600,
    currency: 'sar',
    customer: null,
    description: null,
    disputed: false,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    paid: true,
    payment_intent: null,
    payment_method: null,
    receipt_email: null,
    refunded: false,
    status: 'succeeded',
    ...overrides,
  };
}

/** A Refund as Stripe returns it. */
export function refundFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: fakeStripeId('re'),
    object: 'refund',
    amount: 15050,
    balance_transaction: null,
    charge: null,
    created: 1_767_225_600,
    currency: 'sar',
    metadata: {},
    payment_intent: null,
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...overrides,
  };
}

/** A Checkout Session as Stripe returns it. */
export function checkoutSessionFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (overrides.id as string | undefined) ?? fakeStripeId('cs_test');
  return {
    id,
    object: 'checkout.session',
    amount_subtotal: 15050,
    amount_total: 15050,
    automatic_tax: { enabled: false, liability: null, status: null },
    cancel_url: null,
    client_reference_id: null,
    created: 1_767_225_600,
    currency: 'sar',
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_email: null,
    expires_at: 1_767_312_000,
    livemode: false,
    locale: null,
    metadata: {},
    mode: 'payment',
    payment_intent: null,
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    shipping_options: [],
    status: 'open',
    success_url: 'https://hospital.example/paid',
    url: `https://checkout.stripe.com/c/pay/${id}`,
    ...overrides,
  };
}

/** A Customer as Stripe returns it. */
export function customerFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: fakeStripeId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: 1_767_225_600,
    currency: null,
    default_source: null,
    delinquent: false,
    description: null,
    email: null,
    invoice_prefix: 'HMI0001',
    livemode: false,
    metadata: {},
    name: null,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    ...overrides,
  };
}

/** A Dispute as Stripe returns it. */
export function disputeFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: fakeStripeId('dp'),
    object: 'dispute',
    amount: 15050,
    balance_transactions: [],
    charge: fakeStripeId('ch'),
    created: 1_767_225_600,
    currency: 'sar',
    evidence: {
      access_activity_log: null,
      billing_address: null,
      cancellation_policy: null,
      cancellation_policy_disclosure: null,
      cancellation_rebuttal: null,
      customer_communication: null,
      customer_email_address: null,
      customer_name: null,
      customer_purchase_ip: null,
      customer_signature: null,
      duplicate_charge_documentation: null,
      duplicate_charge_explanation: null,
      duplicate_charge_id: null,
      product_description: null,
      receipt: null,
      refund_policy: null,
      refund_policy_disclosure: null,
      refund_refusal_explanation: null,
      service_date: null,
      service_documentation: null,
      shipping_address: null,
      shipping_carrier: null,
      shipping_date: null,
      shipping_documentation: null,
      shipping_tracking_number: null,
      uncategorized_file: null,
      uncategorized_text: null,
    },
    evidence_details: { due_by: null, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: true,
    livemode: false,
    metadata: {},
    payment_intent: null,
    reason: 'fraudulent',
    status: 'needs_response',
    ...overrides,
  };
}

/** An Invoice as Stripe returns it. */
export function invoiceFixture(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const id = (overrides.id as string | undefined) ?? fakeStripeId('in');
  return {
    id,
    object: 'invoice',
    amount_due: 30100,
    amount_paid: 30100,
    amount_remaining: 0,
    created: 1_767_225_600,
    currency: 'sar',
    customer: fakeStripeId('cus'),
    description: null,
    due_date: null,
    lines: {
      object: 'list',
      data: [
        {
          id: fakeStripeId('il'),
          object: 'line_item',
          amount: 30100,
          currency: 'sar',
          description: 'Consultation',
          livemode: false,
          metadata: {},
          quantity: 1,
        },
      ],
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    number: 'HMI0001-0001',
    status: 'paid',
    status_transitions: { finalized_at: 1_767_225_700, marked_uncollectible_at: null, paid_at: 1_767_225_800, voided_at: null },
    total: 30100,
    ...overrides,
  };
}

/** An Event wrapping `object`, as Stripe sends it to a webhook endpoint. */
export function eventFixture(type: string, object: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    id: fakeStripeId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: 1_767_225_900,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    ...overrides,
  };
}

/** A Stripe error body. */
export function stripeErrorBody(error: { type: string; code?: string; decline_code?: string; param?: string; message?: string }) {
  return { error: { message: 'An error occurred.', ...error } };
}
