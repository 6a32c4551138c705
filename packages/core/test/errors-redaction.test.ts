import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AbortedError,
  ApiError,
  AuthError,
  CircuitOpenError,
  ConfigError,
  ConsentError,
  createRedactor,
  createTelemetry,
  type HmiError,
  isHmiError,
  NetworkError,
  PHI_REDACTED,
  phi,
  RateLimitError,
  REDACTED,
  secret,
  TimeoutError,
  toValidationIssues,
  ValidationError,
  WebhookVerificationError,
} from '@hmi/core';
import { Contact } from '@hmi/core/schemas';
import { canonicalPhiKeys, collectMarkedKeys, scrubMessage } from '@hmi/core/internal';

describe('HmiError family', () => {
  const all = [
    [ApiError, 'api_error', false],
    [AuthError, 'auth_error', false],
    [RateLimitError, 'rate_limited', true],
    [TimeoutError, 'timeout', true],
    [NetworkError, 'network_error', true],
    [ValidationError, 'validation_error', false],
    [ConfigError, 'config_error', false],
    [CircuitOpenError, 'circuit_open', true],
    [WebhookVerificationError, 'webhook_verification_failed', false],
    [ConsentError, 'consent_denied', false],
    [AbortedError, 'aborted', false],
  ] as const;

  it.each(all)('%o has its code, retryable default and isInstance', (Cls, code, retryable) => {
    const error = new (Cls as new (m: string) => HmiError)('m');
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(isHmiError(error)).toBe(true);
    expect((Cls as unknown as { isInstance(e: unknown): boolean }).isInstance(error)).toBe(true);
    expect(ApiError.isInstance(error)).toBe(Cls === ApiError);
    expect(error).toBeInstanceOf(Error);
  });

  it('isHmiError works for an error from another installed copy (same global symbols)', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('hmi.error')]: true,
      [Symbol.for('hmi.error.RateLimitError')]: true,
    });
    expect(isHmiError(foreign)).toBe(true);
    expect(RateLimitError.isInstance(foreign)).toBe(true);
    expect(isHmiError(new Error('plain'))).toBe(false);
    expect(isHmiError(null)).toBe(false);
    expect(isHmiError('hmi')).toBe(false);
  });

  it('serialises only safe fields; a foreign cause is reduced, non-enumerable and scrubbed', () => {
    const cause = Object.assign(
      new Error('GET https://u:p@x.test/?api_key=abc123 failed: Bearer eyJabc.def.ghi for +966555123456'),
      { code: 'ECONNRESET', config: { secret: 's' } },
    );
    const error = new NetworkError('network error', { cause, connector: 'c', operation: 'op', requestId: 'r1', status: 502 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'NetworkError',
      code: 'network_error',
      message: 'network error',
      retryable: true,
      status: 502,
      connector: 'c',
      operation: 'op',
      requestId: 'r1',
    });
    expect(Object.keys(error)).not.toContain('cause');
    const safe = (error as { cause?: Error & { code?: string; config?: unknown } }).cause!;
    expect(safe.code).toBe('ECONNRESET');
    expect(safe.config).toBeUndefined();
    const text = `${safe.message}\n${safe.stack}\n${inspect(error, { depth: 5 })}`;
    for (const leak of ['u:p@', 'abc123', 'eyJabc', '966555123456']) expect(text).not.toContain(leak);
  });

  it('scrubMessage removes credentials, emails, phones and Arabic text', () => {
    expect(scrubMessage('token=abc&x=1 basic dXNlcjpwYXNz mail fatima@example.sa call 0555123456 فاطمة الحربي')).toBe(
      'token=[REDACTED]&x=1 basic [REDACTED] mail [PHI] call [PHI] [PHI]',
    );
  });

  it('ValidationError issues carry paths and expectations, never values or data-keyed record keys', () => {
    const schema = z.object({ byPhone: z.record(z.string(), z.number()), name: z.string().min(3) });
    const result = schema.safeParse({ byPhone: { '+966555123456': 'x' }, name: 'فا' });
    const issues = toValidationIssues(result.error!);
    expect(issues).toEqual([
      { path: ['byPhone', '[key]'], code: 'invalid_type', message: 'expected number, received string' },
      { path: ['name'], code: 'too_small', message: 'too small: minimum 3' },
    ]);
  });
});

describe('redactor', () => {
  it('removes secret-keyed and PHI-keyed values, registered secrets, emails, phones, Arabic text', () => {
    const r = createRedactor({ secrets: ['registered-secret-1'] });
    const out = r.redact({
      authorization: 'Bearer x',
      clientSecret: 'cs',
      apiKey: 'k',
      names: [{ text: 'x' }],
      phones: [{ value: '+966555123456' }],
      note: 'value registered-secret-1 and fatima@example.sa and +971501234567 and فاطمة',
      nested: { deep: { given: ['Fatima'] } },
      count: 3,
      ok: true,
    });
    expect(out).toEqual({
      authorization: REDACTED,
      clientSecret: REDACTED,
      apiKey: REDACTED,
      names: PHI_REDACTED,
      phones: PHI_REDACTED,
      note: `value ${REDACTED} and ${PHI_REDACTED} and ${PHI_REDACTED} and ${PHI_REDACTED}`,
      nested: { deep: { given: PHI_REDACTED } },
      count: 3,
      ok: true,
    });
  });

  it('redacts URLs: credentials, query values except paging keys, numeric and PHI path segments', () => {
    const r = createRedactor();
    expect(r.redactUrl('https://u:p@fhir.test/Patient/1234567890/%2B966555123456/abc?name=Fatima&_count=50&page=2')).toBe(
      `https://fhir.test/Patient/${PHI_REDACTED}/${PHI_REDACTED}/abc?name=${REDACTED}&_count=50&page=2`,
    );
    expect(r.redactUrl(`https://x.test/p/${encodeURIComponent('فاطمة الحربي')}`)).toBe(`https://x.test/p/${PHI_REDACTED}`);
  });

  it('handles cycles, depth, Headers, URL, Date and errors', () => {
    const r = createRedactor();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(r.redact(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    const out = r.redact({
      headers: new Headers({ authorization: 'Bearer t', accept: 'json' }),
      link: new URL('https://x.test/?q=1'),
      at: new Date(0),
      error: new ApiError('failed for fatima@example.sa', { status: 400 }),
    });
    expect(out).toMatchObject({
      headers: { authorization: REDACTED, accept: 'json' },
      link: `https://x.test/?q=${REDACTED}`,
      at: new Date(0),
      error: { name: 'ApiError', code: 'api_error', message: `failed for ${PHI_REDACTED}` },
    });
  });

  it('ignores very short secrets (they would blank ordinary words)', () => {
    const r = createRedactor({ secrets: ['abc'] });
    expect(r.redactString('abc def')).toBe('abc def');
  });

  it('each redactor is independent (no shared module state)', () => {
    const a = createRedactor();
    const b = createRedactor();
    a.addSecret('only-in-a-123');
    expect(a.redactString('only-in-a-123')).toBe(REDACTED);
    expect(b.redactString('only-in-a-123')).toBe('only-in-a-123');
  });
});

describe('telemetry bus', () => {
  it('redacts before listeners see a payload, keeping the codes of an error event', () => {
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.on('error', (p) => seen.push(p));
    telemetry.emit('error', {
      error: new ValidationError('bad', {
        issues: [{ path: ['name'], code: 'invalid_type', message: 'expected string' }],
      }).toJSON(),
      operation: 'op',
    });
    expect(seen[0]).toEqual({
      error: {
        name: 'ValidationError',
        code: 'validation_error',
        message: 'bad',
        retryable: false,
        issues: [{ path: ['name'], code: 'invalid_type', message: 'expected string' }],
      },
      operation: 'op',
    });
  });

  it('a throwing listener never breaks the emitter; wants() reflects listeners; removers work', () => {
    const errors: unknown[] = [];
    const telemetry = createTelemetry({ onListenerError: (e) => errors.push(e) });
    expect(telemetry.wants?.('retry')).toBe(false);
    const off = telemetry.on('retry', () => {
      throw new Error('listener bug');
    });
    expect(telemetry.wants?.('retry')).toBe(true);
    expect(() => telemetry.emit('retry', { requestId: 'r', attempt: 1, reason: 'timeout', waitMs: 5 })).not.toThrow();
    expect(errors).toHaveLength(1);
    off();
    expect(telemetry.wants?.('retry')).toBe(false);
    const offAny = telemetry.onAny(() => {});
    expect(telemetry.wants?.('circuit:open')).toBe(true);
    offAny();
    expect(telemetry.wants?.('circuit:open')).toBe(false);
  });
});

describe('canonical model marks', () => {
  it('marks the PHI fields the redactor uses', () => {
    const keys = canonicalPhiKeys();
    for (const key of [
      'text',
      'given',
      'family',
      'birthDate',
      'recipient',
      'receiptEmail',
      'body',
      'subject',
      'to',
      'from',
      'recordingUrl',
    ]) {
      expect(keys.has(key), key).toBe(true);
    }
    for (const key of ['id', 'status', 'currency', 'amountMinor']) expect(keys.has(key), key).toBe(false);
  });

  it('collects secret marks through optional, nullable, default, arrays and unions', () => {
    const schema = z.object({
      a: secret(z.string()).optional(),
      b: z.array(z.object({ c: secret(z.string()) })),
      d: z.union([z.object({ e: secret(z.string()) }), z.string()]).nullable(),
      f: phi(z.string()).default('x'),
    });
    expect([...collectMarkedKeys(schema, 'secret')].sort()).toEqual(['a', 'c', 'e']);
    expect([...collectMarkedKeys(schema, 'phi')]).toEqual(['f']);
  });

  it('a Contact with Arabic and English names and Gulf numbers parses', () => {
    const contact = Contact.parse({
      names: [
        { text: 'فاطمة الحربي', language: 'ar' },
        { given: ['Fatima'], family: 'Al-Harbi', language: 'en' },
      ],
      phones: [{ value: '+966555123456', use: 'mobile' }, { value: '+971501234567' }, { value: '+201001234567' }],
      emails: [{ value: 'fatima@example.sa' }],
      languages: ['ar', 'en'],
    });
    expect(contact.kind).toBe('patient');
    expect(() => Contact.parse({ phones: [{ value: '0555123456' }] })).toThrow();
  });
});
