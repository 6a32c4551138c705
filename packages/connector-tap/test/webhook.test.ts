// The chargeEvents webhook. The expected hashstring is computed here from Tap's documented recipe,
// written independently of the connector's implementation: its own field order, its own amount
// formatting (Intl, with the currency's decimals from a table here) and node:crypto directly.
import { createHmac } from 'node:crypto';
import { WebhookVerificationError } from '@hmi/core';
import { createTestServer } from '@hmi/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTapConnector, type TapWebhookData, verifyTapHashstring } from '../src/index.js';
import { createFakeTapApi, tapChargeFixture } from '../src/msw/index.js';

const baseUrl = 'https://api.tap.test';
const secretKey = 'sk_test_XKokBfNWv6FIYuTMg5sLPjhJ';
const url = 'https://crm.hospital.example/webhooks/tap';
const server = createTestServer({ baseUrl });

beforeAll(() => server.listen());
afterEach(() => server.reset());
afterAll(() => server.close());

const DECIMALS: Record<string, number> = { KWD: 3, BHD: 3, OMR: 3, SAR: 2, AED: 2 };

/** Tap's documented recipe: x_id…x_amount…x_currency…x_gateway_reference…x_payment_reference…x_status…x_created, HMAC-SHA256 with the secret key. */
function expectedHashstring(charge: Record<string, any>, key: string): string {
  const decimals = DECIMALS[charge.currency]!;
  const amount = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: false,
  }).format(Number(charge.amount));
  const parts: Array<[string, unknown]> = [
    ['x_id', charge.id],
    ['x_amount', amount],
    ['x_currency', charge.currency],
    ['x_gateway_reference', charge.reference?.gateway ?? ''],
    ['x_payment_reference', charge.reference?.payment ?? ''],
    ['x_status', charge.status],
    ['x_created', charge.transaction.created],
  ];
  return createHmac('sha256', key)
    .update(parts.map(([k, v]) => `${k}${v}`).join(''))
    .digest('hex');
}

function post(charge: object, hashstring: string | undefined): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(hashstring !== undefined && { hashstring }) },
    body: JSON.stringify(charge),
  });
}

function setup() {
  const fake = createFakeTapApi({ baseUrl, secretKey });
  server.use(...fake.handlers);
  return { fake, tap: createTapConnector({ secretKey, baseUrl }) };
}

describe('hashstring', () => {
  const kwd = tapChargeFixture({ id: 'chg_TS05A1320231018KWD0001', amount: 1.5, currency: 'KWD' });
  const kwdSmall = tapChargeFixture({ id: 'chg_TS05A1320231018KWD0002', amount: 0.125, currency: 'KWD' });
  const sar = tapChargeFixture({
    id: 'chg_TS05A1320231018SAR0001',
    amount: 150.5,
    currency: 'SAR',
    reference: { gateway: '998877665544', payment: '0312231810K0020002', transaction: 'crm-pay-2', order: 'INV-2' },
    source: { id: 'src_sa.mada', payment_method: 'MADA' },
  });

  it('KWD (three decimals) and SAR (two) charges verify against the independently computed hash', () => {
    for (const charge of [kwd, kwdSmall, sar]) {
      const hash = expectedHashstring(charge, secretKey);
      expect(verifyTapHashstring(charge, hash, secretKey)).toBe(true);
      expect(verifyTapHashstring(charge, hash.toUpperCase(), secretKey)).toBe(true);
    }
  });

  it('the amount is hashed with the currency’s decimals: 1.5 KWD as 1.500, not 1.5', () => {
    const asGiven = createHmac('sha256', secretKey)
      .update(
        `x_id${kwd.id}x_amount1.5x_currencyKWDx_gateway_reference${kwd.reference!.gateway}x_payment_reference${kwd.reference!.payment}x_status${kwd.status}x_created${kwd.transaction.created}`,
      )
      .digest('hex');
    expect(verifyTapHashstring(kwd, asGiven, secretKey)).toBe(false);
  });

  it('refuses another key, a changed amount, status or id, and malformed headers; never throws', () => {
    const good = expectedHashstring(sar, secretKey);
    expect(verifyTapHashstring(sar, expectedHashstring(sar, 'sk_test_someoneElse000000'), secretKey)).toBe(false);
    expect(verifyTapHashstring({ ...sar, amount: 150.6 }, good, secretKey)).toBe(false);
    expect(verifyTapHashstring({ ...sar, status: 'DECLINED' }, good, secretKey)).toBe(false);
    expect(verifyTapHashstring({ ...sar, id: 'chg_other' }, good, secretKey)).toBe(false);
    for (const header of [undefined, null, '', 'abc', `${good} `, 'g'.repeat(64), good.slice(1)]) {
      expect(verifyTapHashstring(sar, header, secretKey)).toBe(false);
    }
    for (const body of [null, 42, 'x', {}, { ...sar, transaction: null }, { ...sar, amount: 150.505 }]) {
      expect(verifyTapHashstring(body, good, secretKey)).toBe(false);
    }
  });
});

describe('chargeEvents webhook', () => {
  it('verifies, then re-reads the charge and carries the API’s version (KWD stays 1500 fils)', async () => {
    const { fake, tap } = setup();
    const stored = fake.state.addCharge({ amount: 1.5, currency: 'KWD', status: 'CAPTURED' });
    const [event] = await tap.webhooks.chargeEvents.verify(post(stored, expectedHashstring(stored, secretKey)));
    expect(event).toMatchObject({ id: `${stored.id}:CAPTURED`, type: 'charge.captured', connector: 'tap' });
    expect(event!.data as TapWebhookData).toMatchObject({
      kind: 'payment',
      trusted: true,
      payment: {
        id: stored.id,
        amountMinor: 1500,
        currency: 'KWD',
        method: 'knet',
        status: 'succeeded',
        invoiceId: 'INV-2025-0042',
      },
    });
    expect(fake.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v2/charges/${stored.id}`]);
  });

  it('a well-signed body whose charge the API says failed carries the failure', async () => {
    const { fake, tap } = setup();
    const stored = fake.state.addCharge({ status: 'DECLINED', response: { code: '051', message: 'Declined' } });
    const claimed = { ...stored, status: 'CAPTURED' };
    const [event] = await tap.webhooks.chargeEvents.verify(post(claimed, expectedHashstring(claimed, secretKey)));
    expect(event!.data).toMatchObject({ trusted: true, payment: { status: 'failed', failureCode: 'tap_051' } });
  });

  it('refuses a mismatch with WebhookVerificationError and reads nothing', async () => {
    const { fake, tap } = setup();
    const charge = tapChargeFixture();
    for (const request of [
      post(charge, expectedHashstring(charge, 'sk_test_wrongWrongWrong00')),
      post({ ...charge, amount: 0.126 }, expectedHashstring(charge, secretKey)),
      post(charge, undefined),
      new Request(url, { method: 'POST', headers: { hashstring: expectedHashstring(charge, secretKey) }, body: 'not json' }),
    ]) {
      await expect(tap.webhooks.chargeEvents.verify(request)).rejects.toSatisfy(WebhookVerificationError.isInstance);
    }
    expect(fake.state.requests).toHaveLength(0);
  });

  it('a signed refund post is stored as an "other" event, nothing read', async () => {
    const { fake, tap } = setup();
    const refund = { ...tapChargeFixture(), id: 're_TS05A0009', object: 'refund', status: 'REFUNDED' };
    const [event] = await tap.webhooks.chargeEvents.verify(post(refund, expectedHashstring(refund, secretKey)));
    expect(event).toMatchObject({ id: 're_TS05A0009:REFUNDED', type: 'refund.refunded', data: { kind: 'other' } });
    expect(fake.state.requests).toHaveLength(0);
  });

  it('when the re-read fails the event is still returned, untrusted', async () => {
    const { fake, tap } = setup();
    const stored = fake.state.addCharge();
    fake.state.failNext({ status: 503, match: 'GET /v2/charges' }, 5);
    const [event] = await tap.webhooks.chargeEvents.verify(post(stored, expectedHashstring(stored, secretKey)));
    expect(event!.data).toEqual({ kind: 'payment', trusted: false, paymentId: stored.id });
  });
});
