// The `payments` stream checks its records with the connector's valibot PaymentRecord, not with the
// core's zod model (issue 22: no zod at run time). The two must not drift: every canonical Payment
// the connector makes, from its fixtures, Stripe's own example objects and random PaymentIntents,
// is accepted by both with the same output; and near-Payments are accepted or refused by both alike.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Payment } from '@hmi/core/schemas';
import { findSpecsDir } from '@hmi/testing';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStripeConnector,
  mapStripeEvent,
  paymentFromCharge,
  paymentFromIntent,
  type StripeEvent,
  StripePaymentIntent,
} from '@hmi/connector-stripe';
import * as fixtures from '@hmi/connector-stripe/msw';
import { PaymentRecord } from '../src/payments/payment-record.js';

const today: Record<string, Record<string, unknown>> = JSON.parse(
  readFileSync(join(findSpecsDir(), 'stripe', 'fixtures3.json'), 'utf8'),
).resources;

/** Both models accept `payment` and return the same record. */
function expectBothAccept(payment: unknown) {
  const zod = Payment.safeParse(payment);
  const valibot = v.safeParse(PaymentRecord, payment);
  expect(zod.error?.issues ?? [], JSON.stringify(payment)).toEqual([]);
  expect(valibot.issues ?? [], JSON.stringify(payment)).toEqual([]);
  expect(valibot.output).toStrictEqual(zod.data);
}

const STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'canceled',
  'succeeded',
] as const;

const intentArb = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    currency: fc.constantFrom('sar', 'kwd', 'jpy', 'isk', 'mga', 'usd', 'AED'),
    amount: fc.integer({ min: 0, max: 10_000_000 }),
    created: fc.integer({ min: 0, max: 4_000_000_000 }),
    metadata: fc.dictionary(fc.constantFrom('hmi_contact_id', 'hmi_invoice_id', 'visit'), fc.string({ maxLength: 8 })),
    failed: fc.boolean(),
    receipt: fc.option(fc.constant('patient@example.sa')),
    method: fc.option(fc.constantFrom('card', 'mada', 'applepay')),
    refunded: fc.option(fc.integer({ min: 0, max: 10_000_000 })),
    disputed: fc.boolean(),
  })
  .map((r) => {
    // ISK amounts come in whole krónur (multiples of 100) from Stripe.
    const amount = r.currency === 'isk' ? r.amount * 100 : r.amount;
    return fixtures.paymentIntentFixture({
      status: r.status,
      currency: r.currency,
      amount,
      created: r.created,
      metadata: r.metadata,
      receipt_email: r.receipt,
      payment_method_types: r.method === null ? [] : [r.method],
      last_payment_error: r.failed ? { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' } : null,
      latest_charge:
        r.refunded === null
          ? null
          : fixtures.chargeFixture({
              amount,
              currency: r.currency,
              amount_refunded: r.currency === 'isk' ? r.refunded * 100 : r.refunded,
              disputed: r.disputed,
            }),
    });
  });

describe('the connector’s PaymentRecord and the core’s zod Payment agree', () => {
  it('on Stripe’s example PaymentIntent and Charge (fixtures3.json)', () => {
    expectBothAccept(paymentFromIntent(v.parse(StripePaymentIntent, today.payment_intent)));
    expectBothAccept(paymentFromCharge(today.charge as never));
  });

  it('on every Payment the webhook mappings make from the fixtures', () => {
    const events: Array<[string, Record<string, unknown>]> = [
      ['payment_intent.succeeded', fixtures.paymentIntentFixture({ status: 'succeeded', receipt_email: 'a@b.sa' })],
      ['charge.refunded', fixtures.chargeFixture({ amount_refunded: 5000, payment_intent: 'pi_1' })],
      ['charge.dispute.closed', fixtures.disputeFixture({ status: 'won' })],
      [
        'checkout.session.completed',
        fixtures.checkoutSessionFixture({ payment_status: 'paid', amount_total: null, currency: null }),
      ],
      [
        'invoice_payment.paid',
        {
          id: 'inpay_1',
          object: 'invoice_payment',
          amount_paid: 100,
          currency: 'kwd',
          invoice: 'in_1',
          status: 'paid',
          status_transitions: { paid_at: 5 },
        },
      ],
    ];
    let payments = 0;
    for (const [type, object] of events) {
      const data = mapStripeEvent(fixtures.eventFixture(type, object) as StripeEvent).data;
      if (data.kind === 'payment') {
        payments++;
        expectBothAccept(data.payment);
      }
    }
    expect(payments).toBe(events.length);
  });

  it('on random PaymentIntents mapped to Payments', () => {
    fc.assert(
      fc.property(intentArb, (pi) => expectBothAccept(paymentFromIntent(v.parse(StripePaymentIntent, pi)))),
      { numRuns: 500 },
    );
  });

  it('on near-Payments: the same ones accepted and refused', () => {
    const edge = fc.constantFrom(
      undefined,
      null,
      '',
      'x',
      'sar',
      'SARX',
      'not a date',
      '2026-01-01T00:00:00Z',
      1.5,
      -1,
      0,
      2 ** 53,
      Number.NaN,
      [],
      {},
    );
    const keys = Object.keys(PaymentRecord.entries);
    const base = paymentFromIntent(v.parse(StripePaymentIntent, fixtures.paymentIntentFixture({ receipt_email: 'a@b.sa' })));
    let refused = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...keys, 'extra'), edge), { minLength: 1, maxLength: 3 }), (changes) => {
        const input: Record<string, unknown> = { ...base, source: { ...base.source } };
        for (const [key, value] of changes) input[key] = value;
        const zod = Payment.safeParse(input);
        const valibot = v.safeParse(PaymentRecord, input);
        expect(valibot.success, JSON.stringify(input)).toBe(zod.success);
        if (zod.success) expect(valibot.output).toStrictEqual(zod.data);
        else refused++;
      }),
      { numRuns: 500 },
    );
    expect(refused).toBeGreaterThan(50);
  });

  describe('end to end: what the payments stream yields', () => {
    const store = fixtures.createStripeMockStore();
    const server = setupServer(...fixtures.createStripeMswHandlers({ store }).handlers);
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('passes the zod model too', async () => {
      for (const pi of fc.sample(intentArb, { numRuns: 30, seed: 22 })) store.paymentIntents.set(pi.id as string, pi);
      const stripe = createStripeConnector({ apiKey: 'sk_test_canonical' });
      let records = 0;
      for await (const page of stripe.streams.payments.read({})) {
        for (const record of page.records) {
          records++;
          expectBothAccept(record);
        }
      }
      expect(records).toBe(30);
    });
  });
});
