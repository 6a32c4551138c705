import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '@hmi/core';
import { backoffCeiling, backoffDelay, sleep } from '@hmi/core/internal';

const policy = fc
  .tuple(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: 0, max: 600_000 }))
  .map(([a, b]) => ({ minDelayMs: Math.min(a, b), maxDelayMs: Math.max(a, b) }));
const random = fc.double({ min: 0, max: 1, noNaN: true }).map((r) => () => r);

describe('backoffDelay (full jitter)', () => {
  it('always lies within [minDelayMs, maxDelayMs]', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 1_000 }), policy, random, (attempt, p, rnd) => {
        const wait = backoffDelay(attempt, p, rnd);
        expect(wait).toBeGreaterThanOrEqual(p.minDelayMs);
        expect(wait).toBeLessThanOrEqual(p.maxDelayMs);
        expect(Number.isFinite(wait)).toBe(true);
      }),
    );
  });

  it('never exceeds the ceiling for its attempt, and the ceiling never decreases', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), policy, random, (attempt, p, rnd) => {
        expect(backoffDelay(attempt, p, rnd)).toBeLessThanOrEqual(backoffCeiling(attempt, p));
        expect(backoffCeiling(attempt + 1, p)).toBeGreaterThanOrEqual(backoffCeiling(attempt, p));
        expect(backoffCeiling(attempt, p)).toBeLessThanOrEqual(p.maxDelayMs);
      }),
    );
  });

  it('grows exponentially from minDelayMs until capped', () => {
    const p = { minDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffCeiling(a, p))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(3, p, () => 1)).toBe(400);
    expect(backoffDelay(3, p, () => 0)).toBe(100);
  });

  it('stays in bounds with hostile inputs (NaN attempt, random outside [0,1], min above max)', () => {
    expect(backoffDelay(Number.NaN, { minDelayMs: 10, maxDelayMs: 50 })).toBeGreaterThanOrEqual(10);
    expect(backoffDelay(3, { minDelayMs: 10, maxDelayMs: 50 }, () => 7)).toBeLessThanOrEqual(50);
    expect(backoffDelay(3, { minDelayMs: 10, maxDelayMs: 50 }, () => -3)).toBeGreaterThanOrEqual(10);
    expect(backoffDelay(3, { minDelayMs: 500, maxDelayMs: 50 })).toBe(50);
  });
});

const headers = (init: Record<string, string>) => new Headers(init);
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (seconds) => {
        expect(parseRetryAfter(headers({ 'retry-after': String(seconds) }), NOW)).toBe(seconds * 1000);
      }),
    );
  });

  it('reads retry-after-ms first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 100 }), (ms, seconds) => {
        const h = headers({ 'retry-after-ms': String(ms), 'retry-after': String(seconds) });
        expect(parseRetryAfter(h, NOW)).toBe(ms);
      }),
    );
  });

  it('reads HTTP dates in all three forms, relative to now, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (offsetSec) => {
        const date = new Date(NOW + offsetSec * 1000);
        const imf = date.toUTCString();
        const expected = Math.max(0, offsetSec * 1000);
        expect(parseRetryAfter(headers({ 'retry-after': imf }), NOW)).toBe(expected);
      }),
    );
    expect(parseRetryAfter(headers({ 'retry-after': 'Wednesday, 15-Jan-25 12:00:30 GMT' }), NOW)).toBe(30_000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Wed Jan 15 12:01:00 2025' }), NOW)).toBe(60_000);
  });

  it('answers undefined for garbage and never a negative number for anything', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const result = parseRetryAfter(
          headers({ 'retry-after': a.replace(/[\r\n\0]/g, ''), 'retry-after-ms': b.replace(/[\r\n\0]/g, '') }),
          NOW,
        );
        expect(result === undefined || (Number.isFinite(result) && result >= 0)).toBe(true);
      }),
    );
    for (const garbage of ['soon', '-5', '1e3', 'foo 2', 'Mon, 99 Foo 2025 00:00:00 GMT', '', ' ', 'NaN', 'Infinity', '0x10']) {
      expect(parseRetryAfter(headers({ 'retry-after': garbage }), NOW), garbage).toBeUndefined();
    }
    expect(parseRetryAfter(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ 'retry-after-ms': '-1' }), NOW)).toBeUndefined();
  });

  it('falls back to Retry-After when retry-after-ms is unreadable', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': 'soon', 'retry-after': '2' }), NOW)).toBe(2000);
  });
});

describe('sleep', () => {
  it('rejects with the reason when aborted, and at once when already aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(sleep(10, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  });
});
