// Error classification against Moyasar's documented error bodies, and the fixtures against the
// fields the docs list for the Payment Object (the list is written here from the docs page, not
// taken from the connector's schemas).
import { ApiError, AuthError, type ErrorResponseContext, RateLimitError, ValidationError } from '@hmi/core';
import { describe, expect, it } from 'vitest';
import { classifyMoyasarError, toMoyasarPayment, WirePayment } from '../src/index.js';
import { MOYASAR_ERROR_BODIES, moyasarPaymentFixture } from '../src/msw/index.js';

const context = (status: number, body: unknown, headers: Record<string, string> = {}): ErrorResponseContext => ({
  status,
  body,
  headers: new Headers(headers),
  method: 'POST',
  operation: 'createPayment',
  requestId: undefined,
});

describe('classifyMoyasarError', () => {
  it('maps the documented statuses and bodies', () => {
    const validation = classifyMoyasarError(
      context(400, MOYASAR_ERROR_BODIES.validation({ amount: ['must be an integer'], 'source.number': ['is invalid'] })),
    );
    expect(ValidationError.isInstance(validation)).toBe(true);
    expect((validation as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['amount', 'source.number']);
    expect(classifyMoyasarError(context(400, MOYASAR_ERROR_BODIES.usedGivenId))).toMatchObject({
      code: 'given_id_used',
      retryable: false,
    });
    expect(AuthError.isInstance(classifyMoyasarError(context(401, MOYASAR_ERROR_BODIES.authentication)))).toBe(true);
    // Cloudflare answers some user agents with an HTML 403: still an auth-class refusal, no crash.
    expect(AuthError.isInstance(classifyMoyasarError(context(403, '<html>error 1010</html>')))).toBe(true);
    expect(classifyMoyasarError(context(404, MOYASAR_ERROR_BODIES.notFound))).toMatchObject({
      code: 'not_found',
      retryable: false,
    });
    expect(classifyMoyasarError(context(405, MOYASAR_ERROR_BODIES.accountInactive))).toMatchObject({ code: 'account_inactive' });
    const limited = classifyMoyasarError(context(429, MOYASAR_ERROR_BODIES.rateLimit, { 'retry-after': '3' }));
    expect(RateLimitError.isInstance(limited) && limited.retryAfterMs).toBe(3000);
    expect(limited?.notProcessed).toBe(true);
    expect(classifyMoyasarError(context(503, MOYASAR_ERROR_BODIES.server))).toBeUndefined();
    expect(ApiError.isInstance(classifyMoyasarError(context(404, null)))).toBe(true);
  });

  it('never copies Moyasar’s message or field messages, nor field names that are not names', () => {
    const body = {
      type: 'invalid_request_error',
      message: 'Name Layla Al-Harbi is invalid for +966555123456',
      errors: { 'Layla Al-Harbi': ['+966555123456 is not valid'], name: ['Layla'] },
    };
    const error = classifyMoyasarError(context(400, body))!;
    const text = JSON.stringify(error) + error.message + String(error.stack);
    expect(text).not.toContain('Layla');
    expect(text).not.toContain('+966555123456');
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['name']);
  });
});

describe('fixtures in the documented shape', () => {
  // docs.moyasar.com › Payment Object: the fields the page lists.
  const documented = [
    'id',
    'status',
    'amount',
    'fee',
    'currency',
    'refunded',
    'refunded_at',
    'captured',
    'captured_at',
    'voided_at',
    'description',
    'invoice_id',
    'ip',
    'callback_url',
    'created_at',
    'updated_at',
    'metadata',
    'source',
  ];

  it('the payment fixture has every documented field and the schema accepts it', () => {
    const fixture = moyasarPaymentFixture();
    expect(Object.keys(fixture)).toEqual(expect.arrayContaining(documented));
    expect(WirePayment.safeParse(fixture).success).toBe(true);
    expect(toMoyasarPayment(WirePayment.parse(fixture))).toMatchObject({
      method: 'mada',
      status: 'succeeded',
      feeMinor: 276,
      amountMinor: 15050,
    });
  });

  it('the schema refuses what it relies on when it is wrong, and maps the other sources', () => {
    expect(WirePayment.safeParse({ ...moyasarPaymentFixture(), amount: '150.50' }).success).toBe(false);
    expect(WirePayment.safeParse({ ...moyasarPaymentFixture(), id: 'pay_1' }).success).toBe(false);
    const base = moyasarPaymentFixture();
    const method = (source: object) => toMoyasarPayment(WirePayment.parse({ ...base, source })).method;
    expect(method({ type: 'creditcard', company: 'master' })).toBe('mastercard');
    expect(method({ type: 'creditcard', company: 'amex' })).toBe('amex');
    expect(method({ type: 'applepay', company: 'mada' })).toBe('applepay');
    expect(method({ type: 'stcpay', mobile: '0555123456' })).toBe('stcpay');
    expect(method({ type: 'creditcard', company: null })).toBe('card');
  });
});
