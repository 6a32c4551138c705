// The write-safety stage on its own: which failures leave a write's outcome unknown.
import { describe, expect, it } from 'vitest';
import { ApiError, HmiError, NetworkError, RateLimitError, TimeoutError } from '@hmi/core';
import { applyWriteSafety, isOutage, isUnsafeWrite, mayHaveActed, neverConnected } from '../src/http/write-safety.js';

describe('write safety', () => {
  it('isUnsafeWrite: keyless POST and PATCH only', () => {
    expect(isUnsafeWrite('POST', {})).toBe(true);
    expect(isUnsafeWrite('PATCH', {})).toBe(true);
    expect(isUnsafeWrite('POST', { idempotencyKey: 'k' })).toBe(false);
    expect(isUnsafeWrite('POST', { idempotent: true })).toBe(false);
    expect(isUnsafeWrite('POST', { idempotent: false })).toBe(true);
    for (const m of ['GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'] as const) expect(isUnsafeWrite(m, {})).toBe(false);
  });

  it('isOutage and mayHaveActed', () => {
    expect(isOutage(new NetworkError('x'))).toBe(true);
    expect(isOutage(new TimeoutError('x'))).toBe(true);
    expect(isOutage(new ApiError('x', { status: 500 }))).toBe(true);
    expect(isOutage(new ApiError('x', { status: 499 }))).toBe(false);
    expect(isOutage(new ApiError('x'))).toBe(false);
    expect(mayHaveActed(new ApiError('x', { status: 501 }))).toBe(false);
    expect(mayHaveActed(new ApiError('x', { status: 502 }))).toBe(true);
    expect(mayHaveActed(new HmiError('x', { code: 'response_too_large', status: 200 }))).toBe(true);
    expect(mayHaveActed(new ApiError('x', { status: 409 }))).toBe(false);
  });

  it('neverConnected looks three causes deep for a refused or unresolved connection', () => {
    const code = (c: string) => Object.assign(new Error('x'), { code: c });
    expect(neverConnected(code('ECONNREFUSED'))).toBe(true);
    expect(neverConnected({ cause: { cause: code('ENOTFOUND') } })).toBe(true);
    expect(neverConnected({ cause: { cause: { cause: code('ENOTFOUND') } } })).toBe(false);
    expect(neverConnected(code('ECONNRESET'))).toBe(false);
    expect(neverConnected(undefined)).toBe(false);
    expect(neverConnected(null)).toBe(false);
    expect(neverConnected({ cause: null })).toBe(false);
    expect(neverConnected('ECONNREFUSED')).toBe(false);
  });

  it('neverConnected: every code that means no connection was made, and only those', () => {
    const code = (c: string) => Object.assign(new Error('x'), { code: c });
    for (const c of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
      expect(neverConnected(code(c)), c).toBe(true);
    for (const c of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', '']) expect(neverConnected(code(c)), c).toBe(false);
  });

  describe('applyWriteSafety', () => {
    const sentUnsafe = { unsafe: true, sent: true };
    it('marks a sent keyless write that failed retryably, or in a way that may have acted', () => {
      for (const error of [new TimeoutError('t'), new NetworkError('n'), new ApiError('a', { status: 503, retryable: false })]) {
        expect(applyWriteSafety(error, sentUnsafe)).toBe(true);
        expect(error).toMatchObject({ outcomeUnknown: true, retryable: false });
      }
    });

    it('leaves alone: notProcessed, not sent, safe requests, final answers', () => {
      const cases: Array<[HmiError, { unsafe: boolean; sent: boolean }]> = [
        [new RateLimitError('r', { notProcessed: true }), sentUnsafe],
        [new NetworkError('n'), { unsafe: true, sent: false }],
        [new TimeoutError('t'), { unsafe: false, sent: true }],
        [new ApiError('a', { status: 400 }), sentUnsafe],
        [new ApiError('a', { status: 501 }), sentUnsafe],
      ];
      for (const [error, facts] of cases) {
        const retryable = error.retryable;
        expect(applyWriteSafety(error, facts)).toBe(false);
        expect(error.outcomeUnknown).toBe(false);
        expect(error.retryable).toBe(retryable);
      }
    });

    it("appends the request's reconcile hint once, to errors the classifier already flagged too", () => {
      const error = new TimeoutError('no complete response within 30 ms');
      applyWriteSafety(error, { ...sentUnsafe, reconcile: 'look it up with listMessages' });
      applyWriteSafety(error, { ...sentUnsafe, reconcile: 'look it up with listMessages' });
      expect(error.message).toBe(
        'no complete response within 30 ms; the write may have taken effect: look it up with listMessages',
      );
      expect(error.toJSON()).toMatchObject({ outcomeUnknown: true, retryable: false });
      const flagged = new ApiError('a', { status: 400, outcomeUnknown: true });
      expect(applyWriteSafety(flagged, { ...sentUnsafe, reconcile: 'check' })).toBe(true);
      expect(flagged.message).toContain('check');
    });
  });
});
