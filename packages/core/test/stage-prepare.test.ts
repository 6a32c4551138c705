// The prepare stage on its own: URL, body, policy, write safety, headers (injected clock).
import { describe, expect, it } from 'vitest';
import { buildHeaders, isSecretHeaderName, prepareCall, retriesFor } from '../src/http/prepare.js';

const ctx = {
  base: new URL('https://api.vendor.test/v1/'),
  connector: 'vendor',
  retry: { retries: 2, minDelayMs: 10, maxDelayMs: 100 },
  now: () => 1_000,
};

describe('prepareCall', () => {
  it('resolves the path below the base, appends the query, defaults to GET', () => {
    const call = prepareCall({ path: '/things', query: { a: 1, b: [2, 3], c: undefined } }, ctx);
    expect(call.method).toBe('GET');
    expect(call.url.href).toBe('https://api.vendor.test/v1/things?a=1&b=2&b=3');
    expect(call.body).toBeUndefined();
    expect(call.unsafe).toBe(false);
    expect(call.deadline).toBeUndefined();
  });

  it('refuses a missing path and another origin', () => {
    expect(() => prepareCall({} as never, ctx)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => prepareCall({ path: 'https://evil.test/x' }, ctx)).toThrow(
      expect.objectContaining({ code: 'cross_origin_url' }),
    );
  });

  it('serialises json, form, text, bytes; refuses unserialisable json', () => {
    expect(prepareCall({ method: 'POST', path: 'x', json: { a: 'مرحبا' } }, ctx)).toMatchObject({
      body: '{"a":"مرحبا"}',
      contentType: 'application/json',
    });
    expect(prepareCall({ method: 'POST', path: 'x', form: { To: '+966555123456' } }, ctx)).toMatchObject({
      body: 'To=%2B966555123456',
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
    });
    expect(prepareCall({ method: 'POST', path: 'x', body: 'hi' }, ctx).contentType).toBe('text/plain;charset=UTF-8');
    const view = new Uint8Array([9, 1, 2, 3]).subarray(1);
    expect(Array.from(prepareCall({ method: 'PUT', path: 'x', body: view }, ctx).body as Uint8Array)).toEqual([1, 2, 3]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => prepareCall({ method: 'POST', path: 'x', json: cyclic }, ctx)).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });

  it('merges the retry policy and sets the deadline from the injected clock', () => {
    expect(prepareCall({ path: 'x', retry: false }, ctx).policy.retries).toBe(0);
    const call = prepareCall({ path: 'x', retry: { retries: 5, maxElapsedMs: 500 } }, ctx);
    expect(call.policy).toEqual({ retries: 5, minDelayMs: 10, maxDelayMs: 100, maxElapsedMs: 500 });
    expect(call.deadline).toBe(1_500);
    expect(retriesFor(call)).toBe(5);
  });

  it('marks keyless POST/PATCH unsafe, not with a key, `idempotent`, or other methods', () => {
    expect(prepareCall({ method: 'POST', path: 'x' }, ctx).unsafe).toBe(true);
    expect(prepareCall({ method: 'patch' as never, path: 'x' }, ctx).unsafe).toBe(true);
    expect(prepareCall({ method: 'POST', path: 'x', idempotencyKey: 'k' }, ctx).unsafe).toBe(false);
    expect(prepareCall({ method: 'POST', path: 'x', idempotent: true }, ctx).unsafe).toBe(false);
    expect(prepareCall({ method: 'PUT', path: 'x' }, ctx).unsafe).toBe(false);
  });

  it('a stream body is sent once: no retries', () => {
    const call = prepareCall({ method: 'PUT', path: 'x', body: new ReadableStream() }, ctx);
    expect(call.replayable).toBe(false);
    expect(retriesFor(call)).toBe(0);
  });
});

describe('buildHeaders', () => {
  it("lets the request's headers win, adds content type and idempotency key, and collects secret names", () => {
    const call = prepareCall(
      {
        method: 'POST',
        path: 'x',
        json: {},
        idempotencyKey: 'idem-1',
        headers: { 'X-Api-Key': 'k', Accept: 'text/csv', 'X-Clinic-Ref': 'c', 'X-Trace': 't' },
      },
      ctx,
    );
    const secret: string[] = [];
    const headers = buildHeaders(
      call,
      { accept: 'application/json', 'x-tenant': 'n' },
      'idempotency-key',
      new Set(['x-clinic-ref']),
      secret,
    );
    expect(headers).toEqual({
      accept: 'text/csv',
      'x-tenant': 'n',
      'x-api-key': 'k',
      'x-clinic-ref': 'c',
      'x-trace': 't',
      'content-type': 'application/json',
      'idempotency-key': 'idem-1',
    });
    expect(secret.sort()).toEqual(['x-api-key', 'x-clinic-ref']);
  });

  it('a caller content type is kept', () => {
    const call = prepareCall({ method: 'POST', path: 'x', json: {}, headers: { 'content-type': 'application/fhir+json' } }, ctx);
    expect(buildHeaders(call, {}, 'idempotency-key', new Set(), [])['content-type']).toBe('application/fhir+json');
  });

  it.each([
    ['authorization', true],
    ['Cookie', true],
    ['x-api-key', true],
    ['x-auth-token', true],
    ['stripe-signature', true],
    ['x-session', true],
    ['x-marked', true],
    ['accept', false],
    ['x-tenant', false],
  ])('isSecretHeaderName(%s) = %s', (name, expected) => {
    expect(isSecretHeaderName(name, new Set(['x-marked']))).toBe(expected);
  });
});
