import { readFileSync } from 'node:fs';
import { ApiError, AuthError, ConfigError, type ErrorResponseContext, RateLimitError } from '@hmi/core';
import { classifyFhirError, createFhirConnector, isRetryableIssueCode } from '@hmi/connector-fhir';
import { describe, expect, it } from 'vitest';
import { FHIR_EXAMPLES } from './fhir-schema.js';

const PHI = 'فاطمة الزهراني +966551234567';

function ctx(status: number, body: unknown, headers: Record<string, string> = {}): ErrorResponseContext {
  return { status, body, headers: new Headers(headers), method: 'GET', operation: 'op', requestId: 'req-1' };
}
const outcome = (code: string, severity = 'error') => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity,
      code,
      diagnostics: `Patient ${PHI} failed`,
      details: { text: PHI },
      expression: [`Patient.name.where(text='${PHI}')`],
    },
  ],
});

describe('OperationOutcome → typed errors', () => {
  it.each([
    ['transient', 503, true, 'transient'],
    ['lock-error', 409, true, 'transient'],
    ['timeout', 504, true, 'timeout'],
    ['exception', 500, true, 'transient'],
    ['no-store', 503, true, 'transient'],
    ['incomplete', 500, true, 'transient'],
    ['invalid', 400, false, 'invalid'],
    ['structure', 400, false, 'invalid'],
    ['required', 422, false, 'invalid'],
    ['not-found', 404, false, 'not_found'],
    ['deleted', 410, false, 'gone'],
    ['conflict', 409, false, 'conflict'],
    ['duplicate', 400, false, 'duplicate'],
    ['multiple-matches', 412, false, 'multiple_matches'],
    ['not-supported', 400, false, 'not_supported'],
    ['business-rule', 422, false, 'business_rule'],
    ['processing', 500, false, 'processing'],
  ])('%s (%i) → retryable %s, code %s', (code, status, retryable, hmiCode) => {
    const error = classifyFhirError(ctx(status, outcome(code)))!;
    expect(ApiError.isInstance(error)).toBe(true);
    expect([error.retryable, error.code, error.vendorCode, error.status]).toEqual([retryable, hmiCode, code, status]);
    expect(isRetryableIssueCode(code)).toBe(retryable);
  });

  it.each([['security'], ['login'], ['expired'], ['forbidden'], ['suppressed']])('%s → AuthError, not retryable', (code) => {
    const error = classifyFhirError(ctx(code === 'forbidden' ? 403 : 401, outcome(code)))!;
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe(code === 'forbidden' ? 'forbidden' : 'auth_error');
  });

  it('throttled → RateLimitError with Retry-After', () => {
    const error = classifyFhirError(ctx(429, outcome('throttled'), { 'retry-after': '3' }))!;
    expect(RateLimitError.isInstance(error) && [error.retryable, error.retryAfterMs]).toEqual([true, 3000]);
  });

  it('the most severe issue decides (a warning does not make an error retryable)', () => {
    const body = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'warning', code: 'transient' },
        { severity: 'error', code: 'invalid' },
      ],
    };
    expect(classifyFhirError(ctx(400, body))!.retryable).toBe(false);
  });

  it('the issue code decides even against the status', () => {
    expect(classifyFhirError(ctx(500, outcome('invalid')))!.retryable).toBe(false);
    expect(classifyFhirError(ctx(400, outcome('transient')))!.retryable).toBe(true);
  });

  it('never puts diagnostics, details or expression (PHI) in the error', () => {
    for (const code of ['invalid', 'transient', 'forbidden', 'throttled', 'not-found']) {
      const error = classifyFhirError(ctx(400, outcome(code)))!;
      const all = [error.message, error.stack, JSON.stringify(error), JSON.stringify(Object.entries(error))].join('\n');
      expect(all).not.toContain('فاطمة');
      expect(all).not.toContain('+966551234567');
    }
  });

  it('an issue code that is not a FHIR code token is not echoed', () => {
    const error = classifyFhirError(ctx(400, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: PHI }] }));
    expect(error === undefined || !JSON.stringify(error).includes('فاطمة')).toBe(true);
  });

  it('non-OperationOutcome bodies: 404/409/412 get specific codes, others default by status', () => {
    expect(classifyFhirError(ctx(404, '<html>not found</html>'))!.code).toBe('not_found');
    expect(classifyFhirError(ctx(412, undefined))!.code).toBe('conflict');
    expect(classifyFhirError(ctx(503, 'upstream'))).toBeUndefined();
  });

  it('classifies the official OperationOutcome examples without leaking their text', () => {
    for (const file of [
      'OperationOutcome-101.json',
      'OperationOutcome-exception.json',
      'OperationOutcome-searchfail.json',
      'OperationOutcome-validationfail.json',
      'OperationOutcome-break-the-glass.json',
    ]) {
      const body = JSON.parse(readFileSync(`${FHIR_EXAMPLES}/${file}`, 'utf8'));
      const error = classifyFhirError(ctx(400, body))!;
      expect(error.vendorCode).toBe(body.issue[0].code);
      for (const issue of body.issue) if (issue.diagnostics) expect(error.message).not.toContain(issue.diagnostics);
    }
  });
});

describe('config', () => {
  it('refuses plain http unless allowInsecureHttp, naming the field and never the token', () => {
    const secret = 'tok_config_canary_8d1e2f';
    const error = (() => {
      try {
        createFhirConnector({ baseUrl: 'http://ehr.example.org/fhir', auth: { type: 'bearer', token: secret } });
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(secret);
  });

  it('refuses a bad config with a ConfigError naming the path', () => {
    expect(() => createFhirConnector({ baseUrl: 'https://x.test/fhir', auth: { type: 'bearer', token: '' } })).toThrow(
      ConfigError,
    );
    expect(() =>
      createFhirConnector({
        baseUrl: 'https://x.test/fhir',
        auth: { type: 'smart-backend-services', clientId: 'c', privateKey: 'k' } as never,
      }),
    ).toThrow(/keyId/);
    expect(() =>
      createFhirConnector({ baseUrl: 'https://x.test/fhir', auth: { type: 'bearer', token: 't' }, defaultRegion: 'Saudi' }),
    ).toThrow(/defaultRegion/);
  });
});
