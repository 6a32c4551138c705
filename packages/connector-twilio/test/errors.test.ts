import { ApiError, AuthError, ConsentError, type ErrorResponseContext, RateLimitError, ValidationError } from '@hmi/core';
import { TwilioErrorCode, classifyTwilioError, describeDeliveryError } from '@hmi/connector-twilio';
import { describe, expect, it } from 'vitest';

function context(
  status: number,
  body: unknown,
  method: ErrorResponseContext['method'] = 'POST',
  headers: Record<string, string> = {},
): ErrorResponseContext {
  return { status, body, method, headers: new Headers(headers), operation: 'sendSms', requestId: 'RQ1' };
}
const body = (code: number, status: number) => ({
  code,
  message: "The 'To' number +966555123456 is not valid",
  more_info: 'x',
  status,
});

describe('classifyTwilioError', () => {
  it('maps the Twilio codes the connector relies on', () => {
    expect(ValidationError.isInstance(classifyTwilioError(context(400, body(21211, 400))))).toBe(true);
    expect(classifyTwilioError(context(400, body(21614, 400)))).toMatchObject({ code: 'invalid_phone', retryable: false });
    const consent = classifyTwilioError(context(400, body(21610, 400)));
    expect(ConsentError.isInstance(consent) && consent.reason).toBe('opted_out');
    const limited = classifyTwilioError(context(429, body(20429, 429), 'POST', { 'retry-after': '3' }));
    expect(RateLimitError.isInstance(limited)).toBe(true);
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 3000, vendorCode: '20429' });
    expect(RateLimitError.isInstance(classifyTwilioError(context(429, 'Too Many Requests')))).toBe(true);
    expect(RateLimitError.isInstance(classifyTwilioError(context(400, body(TwilioErrorCode.TOO_MANY_REQUESTS, 400))))).toBe(true);
    expect(AuthError.isInstance(classifyTwilioError(context(401, body(20003, 401))))).toBe(true);
    expect(AuthError.isInstance(classifyTwilioError(context(403, undefined)))).toBe(true);
    expect(classifyTwilioError(context(404, body(20404, 404)))).toMatchObject({ code: 'not_found', retryable: false });
  });

  it('makes 5xx retryable on reads only: a POST may have sent the SMS', () => {
    expect(classifyTwilioError(context(503, body(20503, 503), 'GET')).retryable).toBe(true);
    expect(classifyTwilioError(context(503, body(20503, 503), 'POST')).retryable).toBe(false);
    expect(classifyTwilioError(context(501, undefined, 'GET')).retryable).toBe(false);
    expect(ApiError.isInstance(classifyTwilioError(context(400, body(21602, 400))))).toBe(true);
  });

  it('never quotes Twilio’s message and survives garbage bodies', () => {
    for (const garbage of [undefined, null, 'oops', 42, [], { code: 'abc' }, { code: 21211.5 }, body(21211, 400)]) {
      const error = classifyTwilioError(context(400, garbage));
      expect(JSON.stringify(error)).not.toContain('966555123456');
      expect(error.message).not.toContain('966555123456');
      expect(error.requestId).toBe('RQ1');
    }
  });
});

describe('describeDeliveryError', () => {
  it('describes 30003–30008 without message data', () => {
    for (const code of [30003, 30004, 30005, 30006, 30007, 30008]) {
      expect(describeDeliveryError(code)).toMatchObject({ code: String(code), description: expect.any(String) });
    }
    expect(describeDeliveryError('30007')?.permanent).toBe(true);
    expect(describeDeliveryError('30003')?.permanent).toBe(false);
    expect(describeDeliveryError(99999)).toBeUndefined();
    expect(describeDeliveryError(null)).toBeUndefined();
  });
});
