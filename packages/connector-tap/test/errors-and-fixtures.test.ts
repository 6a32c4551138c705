// Error classification against Tap's error bodies, and the charge fixture against the fields of the
// charge object the docs show (the list is written here, not taken from the connector's schemas).
import { AuthError, type ErrorResponseContext, RateLimitError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { classifyTapError, toTapPayment, WireCharge } from '../src/index.js';
import { TAP_ERROR_BODIES, tapChargeFixture } from '../src/msw/index.js';

const context = (status: number, body: unknown, headers: Record<string, string> = {}): ErrorResponseContext => ({
  status,
  body,
  headers: new Headers(headers),
  method: 'POST',
  operation: 'createCharge',
  requestId: undefined,
});

describe('classifyTapError', () => {
  it('keeps Tap’s codes, never its descriptions', () => {
    const error = classifyTapError(
      context(400, { errors: [{ code: '1108', description: 'Invalid amount for فهد +96550000000' }] }),
    )!;
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error.vendorCode).toBe('1108');
    expect(JSON.stringify(error) + error.message).not.toContain('فهد');
    expect(AuthError.isInstance(classifyTapError(context(401, TAP_ERROR_BODIES.authentication)))).toBe(true);
    expect(classifyTapError(context(404, TAP_ERROR_BODIES.notFound))).toMatchObject({ code: 'not_found' });
    const limited = classifyTapError(context(429, {}, { 'retry-after': '2' }));
    expect(RateLimitError.isInstance(limited) && limited.retryAfterMs).toBe(2000);
    expect(classifyTapError(context(500, TAP_ERROR_BODIES.server))).toBeUndefined();
    expect(classifyTapError(context(400, 'not json'))?.vendorCode).toBeUndefined();
  });
});

describe('charge fixture', () => {
  // developers.tap.company › Charges / KNET post-payment sample: the fields the connector's story rests on.
  const documented = [
    'id',
    'object',
    'live_mode',
    'status',
    'amount',
    'currency',
    'description',
    'metadata',
    'transaction',
    'reference',
    'response',
    'receipt',
    'customer',
    'source',
    'redirect',
    'post',
  ];

  it('has the documented fields and maps to a canonical KNET payment of 125 fils', () => {
    const fixture = tapChargeFixture();
    expect(Object.keys(fixture)).toEqual(expect.arrayContaining(documented));
    expect(Object.keys(fixture.reference!)).toEqual(expect.arrayContaining(['gateway', 'payment', 'transaction', 'order']));
    expect(toTapPayment(WireCharge.parse(fixture))).toMatchObject({
      amountMinor: 125,
      currency: 'KWD',
      method: 'knet',
      status: 'succeeded',
      contactId: 'crm-contact-17',
      invoiceId: 'INV-2025-0042',
      transactionRef: 'crm-pay-9001',
      createdAt: '2025-03-01T08:55:00.431Z',
    });
  });

  it('maps Benefit, mada, Apple Pay and declines', () => {
    const map = (overrides: Record<string, unknown>) => toTapPayment(WireCharge.parse(tapChargeFixture(overrides)));
    expect(map({ currency: 'BHD', amount: 12.345, source: { id: 'src_bh.benefit', payment_method: 'BENEFIT' } })).toMatchObject({
      method: 'benefit',
      amountMinor: 12345,
    });
    expect(map({ currency: 'SAR', amount: 150.5, source: { id: 'src_sa.mada' } })).toMatchObject({
      method: 'mada',
      amountMinor: 15050,
    });
    expect(map({ currency: 'AED', amount: 10, source: { id: 'tok_x1y2z3a4', payment_method: 'APPLE_PAY' } }).method).toBe(
      'applepay',
    );
    expect(map({ status: 'DECLINED', response: { code: '051' } })).toMatchObject({ status: 'failed', failureCode: 'tap_051' });
  });
});
