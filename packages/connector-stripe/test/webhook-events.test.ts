import Stripe from 'stripe';
import { ValidationError, WebhookVerificationError } from '@hmi/core';
import { Invoice, Payment } from '@hmi/core/schemas';
import { describe, expect, it } from 'vitest';
import { createStripeConnector, mapStripeEvent, mapStripeEvents, type StripeEvent } from '@hmi/connector-stripe';
import {
  chargeFixture,
  checkoutSessionFixture,
  disputeFixture,
  eventFixture,
  invoiceFixture,
  paymentIntentFixture,
  refundFixture,
} from '@hmi/connector-stripe/msw';

const sdk = new Stripe('sk_test_events');
const ev = (type: string, object: Record<string, unknown>) => eventFixture(type, object) as StripeEvent;

function payment(event: StripeEvent) {
  const mapped = mapStripeEvent(event);
  expect(mapped.data.kind).toBe('payment');
  const p = mapped.data.kind === 'payment' ? mapped.data.payment : undefined;
  expect(Payment.safeParse(p).success).toBe(true);
  return p!;
}

describe('Stripe events → canonical Payment / Invoice', () => {
  it('payment_intent.succeeded / payment_failed / canceled / processing', () => {
    const pi = paymentIntentFixture({
      id: 'pi_A',
      status: 'succeeded',
      amount: 30_000,
      currency: 'sar',
      metadata: { hmi_contact_id: 'c-1', hmi_invoice_id: 'inv-1' },
    });
    expect(payment(ev('payment_intent.succeeded', pi))).toMatchObject({
      id: 'pi_A',
      status: 'succeeded',
      amountMinor: 30_000,
      currency: 'SAR',
      contactId: 'c-1',
      invoiceId: 'inv-1',
      source: { system: 'stripe', id: 'pi_A' },
    });
    const failed = paymentIntentFixture({
      status: 'requires_payment_method',
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'stolen_card' },
    });
    expect(payment(ev('payment_intent.payment_failed', failed))).toMatchObject({ status: 'failed', failureCode: 'stolen_card' });
    expect(payment(ev('payment_intent.canceled', paymentIntentFixture({ status: 'canceled' }))).status).toBe('canceled');
    expect(payment(ev('payment_intent.processing', paymentIntentFixture({ status: 'processing' }))).status).toBe('processing');
  });

  it('charge.refunded (full and partial) keyed by the PaymentIntent; charge.failed', () => {
    const full = chargeFixture({ payment_intent: 'pi_R', amount: 1000, amount_refunded: 1000, refunded: true, currency: 'egp' });
    expect(payment(ev('charge.refunded', full))).toMatchObject({
      id: 'pi_R',
      status: 'refunded',
      refundedMinor: 1000,
      currency: 'EGP',
    });
    const part = chargeFixture({ payment_intent: 'pi_R', amount: 1000, amount_refunded: 400 });
    expect(payment(ev('charge.refunded', part))).toMatchObject({ status: 'partially_refunded', refundedMinor: 400 });
    const failed = chargeFixture({ status: 'failed', paid: false, failure_code: 'expired_card' });
    expect(payment(ev('charge.failed', failed))).toMatchObject({ status: 'failed', failureCode: 'expired_card' });
  });

  it('charge.dispute.created → disputed; closed won → succeeded; lost stays disputed', () => {
    const d = disputeFixture({ payment_intent: 'pi_D', amount: 1230, currency: 'bhd' });
    expect(payment(ev('charge.dispute.created', d))).toMatchObject({
      id: 'pi_D',
      status: 'disputed',
      amountMinor: 1230,
      currency: 'BHD',
    });
    expect(payment(ev('charge.dispute.closed', { ...d, status: 'won' })).status).toBe('succeeded');
    expect(payment(ev('charge.dispute.closed', { ...d, status: 'lost' }))).toMatchObject({
      status: 'disputed',
      failureCode: 'dispute_lost',
    });
  });

  it('checkout.session.completed (paid) and async_payment_failed; sessions without amounts still map', () => {
    const s = checkoutSessionFixture({
      payment_intent: 'pi_C',
      payment_status: 'paid',
      status: 'complete',
      amount_total: 50_000,
      currency: 'aed',
      client_reference_id: 'c-5',
    });
    expect(payment(ev('checkout.session.completed', s))).toMatchObject({
      id: 'pi_C',
      status: 'succeeded',
      amountMinor: 50_000,
      currency: 'AED',
      contactId: 'c-5',
    });
    expect(payment(ev('checkout.session.async_payment_failed', { ...s, payment_status: 'unpaid' })).status).toBe('failed');
    // Issue 12: a session without amounts (setup mode, Stripe's own example object) maps, not `other`.
    const setup = checkoutSessionFixture({
      mode: 'setup',
      amount_total: null,
      currency: null,
      payment_intent: null,
      payment_status: 'no_payment_required',
      status: 'complete',
    });
    expect(payment(ev('checkout.session.completed', setup))).toMatchObject({
      id: setup.id,
      amountMinor: 0,
      currency: 'XXX',
      status: 'succeeded',
    });
    const unpaid = checkoutSessionFixture({ amount_total: null, currency: null, payment_status: 'unpaid', status: 'expired' });
    expect(payment(ev('checkout.session.expired', unpaid))).toMatchObject({ status: 'canceled', amountMinor: 0 });
  });

  it('invoice.paid / invoice.payment_failed → canonical Invoice', () => {
    const paid = mapStripeEvent(
      ev('invoice.paid', invoiceFixture({ id: 'in_1', currency: 'omr', total: 12_340, amount_paid: 12_340, amount_due: 12_340 })),
    );
    expect(paid.data.kind).toBe('invoice');
    const invoice = paid.data.kind === 'invoice' ? paid.data.invoice : undefined;
    expect(Invoice.safeParse(invoice).success).toBe(true);
    expect(invoice).toMatchObject({ id: 'in_1', status: 'paid', currency: 'OMR', totalMinor: 12_340, amountPaidMinor: 12_340 });
    const failed = mapStripeEvent(ev('invoice.payment_failed', invoiceFixture({ status: 'open', amount_paid: 0 })));
    expect(failed.data.kind === 'invoice' && failed.data.invoice.status).toBe('open');
  });

  it('other events pass through with the event; occurredAt from created', () => {
    const mapped = mapStripeEvent(ev('customer.created', { id: 'cus_1', object: 'customer' }));
    expect(mapped.data.kind).toBe('other');
    expect(mapped.occurredAt).toBe(new Date(1_767_225_900 * 1000).toISOString());
  });

  it('an event whose object does not match its type is a ValidationError naming the path', () => {
    expect(() =>
      mapStripeEvent(ev('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent', amount: 'lots' })),
    ).toThrow(expect.objectContaining({ code: 'invalid_webhook_payload' }));
  });

  it('mapStripeEvents drops repeated event ids, keeping the first', () => {
    const a = ev('payment_intent.succeeded', paymentIntentFixture({ status: 'succeeded' }));
    const b = ev('charge.refunded', chargeFixture({ amount_refunded: 10 }));
    const out = mapStripeEvents([a, b, a, { ...b }]);
    expect(out.map((e) => e.id)).toEqual([a.id, b.id]);
  });
});

describe('connector webhook: events.verify(request)', () => {
  const secret = 'whsec_connector_test';
  const stripe = createStripeConnector({ apiKey: 'sk_test_wh', webhookSecret: ['whsec_old', secret] });
  const request = (body: string, signature: string | undefined) =>
    new Request('https://hospital.example/webhooks/stripe', {
      method: 'POST',
      body,
      headers: signature ? { 'stripe-signature': signature, 'content-type': 'application/json' } : {},
    });

  it('verifies a Fetch Request signed with a rotated secret and returns the mapped event with its id', async () => {
    const event = eventFixture(
      'payment_intent.succeeded',
      paymentIntentFixture({ id: 'pi_W', status: 'succeeded', description: 'فاتورة' }),
    );
    const body = JSON.stringify(event, null, 2);
    const out = await stripe.webhooks.events.verify(
      request(body, sdk.webhooks.generateTestHeaderString({ payload: body, secret })),
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: event.id, type: 'payment_intent.succeeded', connector: 'stripe' });
    expect(out[0]!.data).toMatchObject({ kind: 'payment', payment: { id: 'pi_W', status: 'succeeded' } });
  });

  it('a bad signature or a missing header is a WebhookVerificationError stamped with the connector', async () => {
    const body = JSON.stringify(eventFixture('charge.refunded', chargeFixture()));
    const wrong = sdk.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_attacker' });
    await expect(stripe.webhooks.events.verify(request(body, wrong))).rejects.toSatisfy(WebhookVerificationError.isInstance);
    const missing = await stripe.webhooks.events.verify(request(body, undefined)).catch((e: unknown) => e);
    expect(WebhookVerificationError.isInstance(missing)).toBe(true);
    expect((missing as WebhookVerificationError).connector).toBe('stripe');
  });

  it('without webhookSecret in config: a ConfigError, not an acceptance', async () => {
    const bare = createStripeConnector({ apiKey: 'sk_test_wh' });
    const body = JSON.stringify(eventFixture('charge.refunded', chargeFixture()));
    await expect(
      bare.webhooks.events.verify(request(body, sdk.webhooks.generateTestHeaderString({ payload: body, secret }))),
    ).rejects.toMatchObject({
      code: 'config_error',
    });
  });

  it('a verified but malformed object is a ValidationError', async () => {
    const body = JSON.stringify(eventFixture('invoice.paid', { id: 'in_1', object: 'invoice' }));
    await expect(
      stripe.webhooks.events.verify(request(body, sdk.webhooks.generateTestHeaderString({ payload: body, secret }))),
    ).rejects.toSatisfy(ValidationError.isInstance);
  });
});

describe('issue 12: the refund lifecycle and invoice payments', () => {
  const refundOf = (event: StripeEvent) => {
    const mapped = mapStripeEvent(event);
    expect(mapped.data.kind).toBe('refund');
    return mapped.data.kind === 'refund' ? mapped.data.refund : undefined;
  };

  it('refund.created → updated → failed: kind refund with the status and amount; a failed refund corrects charge.refunded', () => {
    const base = {
      id: 're_L',
      payment_intent: 'pi_L',
      charge: 'ch_L',
      amount: 4_000,
      currency: 'kwd',
      reason: 'requested_by_customer',
    };
    expect(refundOf(ev('refund.created', refundFixture({ ...base, status: 'pending' })))).toMatchObject({
      id: 're_L',
      paymentId: 'pi_L',
      chargeId: 'ch_L',
      status: 'pending',
      amountMinor: 4_000,
      currency: 'KWD',
      reason: 'requested_by_customer',
    });
    // The charge reports the money as refunded meanwhile …
    const refunded = chargeFixture({ id: 'ch_L', payment_intent: 'pi_L', amount: 4_000, amount_refunded: 4_000, refunded: true });
    expect(payment(ev('charge.refunded', refunded))).toMatchObject({ id: 'pi_L', status: 'refunded', refundedMinor: 4_000 });
    expect(refundOf(ev('refund.updated', refundFixture({ ...base, status: 'succeeded' })))?.status).toBe('succeeded');
    // … and the failure names the same Payment, the same amount, and why.
    const failed = refundOf(
      ev('refund.failed', refundFixture({ ...base, status: 'failed', failure_reason: 'expired_or_canceled_card' })),
    );
    expect(failed).toMatchObject({
      paymentId: 'pi_L',
      status: 'failed',
      amountMinor: 4_000,
      failureReason: 'expired_or_canceled_card',
    });
  });

  it('charge.refund.updated carries the refund too; a refund without a PaymentIntent is keyed by its charge', () => {
    const refund = refundOf(
      ev('charge.refund.updated', refundFixture({ payment_intent: null, charge: 'ch_only', status: 'canceled', amount: 250 })),
    );
    expect(refund).toMatchObject({ paymentId: 'ch_only', status: 'canceled', amountMinor: 250 });
  });

  it('invoice_payment.paid → a succeeded Payment linked to its invoice, keyed by its PaymentIntent', () => {
    const object = {
      id: 'inpay_1',
      object: 'invoice_payment',
      amount_paid: 12_340,
      amount_requested: 12_340,
      currency: 'omr',
      invoice: 'in_1',
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: 'pi_I' },
      status: 'paid',
      status_transitions: { canceled_at: null, paid_at: 1_767_225_900 },
      created: 1_767_225_800,
    };
    expect(payment(ev('invoice_payment.paid', object))).toMatchObject({
      id: 'pi_I',
      invoiceId: 'in_1',
      status: 'succeeded',
      amountMinor: 12_340,
      currency: 'OMR',
      source: { system: 'stripe', id: 'inpay_1' },
    });
  });
});
