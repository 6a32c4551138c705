// The retry stage on its own: p-retry's schedule, Retry-After, budgets (fake timers, injected sleep).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, ApiError, CircuitOpenError, createTelemetry, RateLimitError, TimeoutError } from '@hmi/core';
import type { Call } from '../src/http/prepare.js';
import { baseWait, planRetry, retryAfterFirst } from '../src/http/retry.js';
import type { RawResponse } from '../src/http/types.js';
import { recordEvents } from './record-events.js';

const policy = { retries: 3, minDelayMs: 100, maxDelayMs: 1_000 };
const limits = { maxRetryAfterMs: 60_000, now: 0, random: 0 };
const call = { policy, deadline: undefined };

describe('planRetry', () => {
  it('p-retry waits half the backoff ceiling; the jitter fills the rest, never under minDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => baseWait(n, policy))).toEqual([50, 100, 200, 400, 500, 500]);
    const error = new ApiError('x', { status: 503, retryable: true });
    expect(planRetry(error, 1, call, { ...limits, random: 0 })).toEqual({ reason: 'api_error', waitMs: 100, extraMs: 50 });
    expect(planRetry(error, 3, call, { ...limits, random: 0 })).toMatchObject({ waitMs: 200, extraMs: 0 });
    expect(planRetry(error, 3, call, { ...limits, random: 1 })).toMatchObject({ waitMs: 400, extraMs: 200 });
    expect(planRetry(error, 3, call, { ...limits, random: 0.5 })).toMatchObject({ waitMs: 300 });
    expect(planRetry(error, 9, call, { ...limits, random: 1 })).toMatchObject({ waitMs: 1_000 });
    expect(planRetry(error, 9, call, { ...limits, random: Number.NaN })).toMatchObject({ waitMs: 500 });
  });

  it('Retry-After is a floor over the base wait, and beyond maxRetryAfterMs ends the retries', () => {
    const rate = (ms: number) => new RateLimitError('r', { retryAfterMs: ms });
    expect(planRetry(rate(7_000), 1, call, limits)).toEqual({
      reason: 'retry-after',
      waitMs: 7_000,
      extraMs: 6_950,
      retryAfterMs: 7_000,
    });
    expect(planRetry(rate(0), 2, call, limits)).toMatchObject({ waitMs: 100, extraMs: 0 });
    expect(planRetry(rate(60_000), 1, call, limits)).toBeDefined();
    expect(planRetry(rate(60_001), 1, call, limits)).toBeUndefined();
  });

  it('does not retry what is final, an open circuit, an abort, a foreign error, or past the deadline', () => {
    expect(planRetry(new ApiError('x', { status: 400 }), 1, call, limits)).toBeUndefined();
    expect(planRetry(new CircuitOpenError(), 1, call, limits)).toBeUndefined();
    expect(planRetry(new AbortedError(undefined, { retryable: true }), 1, call, limits)).toBeUndefined();
    expect(planRetry(new Error('x'), 1, call, limits)).toBeUndefined();
    const timeout = new TimeoutError('t');
    expect(planRetry(timeout, 1, { policy, deadline: 1_000 }, { ...limits, now: 899 })).toBeDefined();
    expect(planRetry(timeout, 1, { policy, deadline: 1_000 }, { ...limits, now: 900 })).toBeUndefined();
  });
});

describe('retryAfterFirst (p-retry under fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(outcomes: Array<Error | 'ok'>, options: { signal?: AbortSignal; retries?: number; deadline?: number } = {}) {
    const telemetry = createTelemetry();
    const events = recordEvents(telemetry);
    const sleeps: number[] = [];
    const attempts: number[] = [];
    const theCall = {
      req: { path: '/x', operation: 'op', ...(options.signal && { signal: options.signal }) },
      policy,
      deadline: options.deadline,
    } as unknown as Call;
    const attempt = async (_call: Call, n: number): Promise<RawResponse> => {
      attempts.push(n);
      const outcome = outcomes.shift();
      if (outcome === 'ok' || outcome === undefined) return { status: 200, data: n } as unknown as RawResponse;
      throw outcome;
    };
    const run = (first: Error) =>
      retryAfterFirst(theCall, first, options.retries ?? 3, attempt, {
        connector: 'c',
        telemetry,
        maxRetryAfterMs: 60_000,
        requestIdOf: () => 'rid',
        now: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
      });
    return { run, events, sleeps, attempts };
  }

  it('waits p-retry base plus the extra, then succeeds; telemetry names attempt and wait', async () => {
    vi.useFakeTimers();
    const { run, events, sleeps, attempts } = setup([new TimeoutError('t'), 'ok']);
    const result = run(new ApiError('x', { status: 503, retryable: true }));
    await vi.advanceTimersByTimeAsync(49);
    expect(attempts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toEqual([2]);
    await vi.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toMatchObject({ data: 3 });
    expect(attempts).toEqual([2, 3]);
    // Retry 1: p-retry's 50 ms, and 50 ms more so the wait is at least minDelayMs. Retry 2: p-retry's
    // 100 ms and half (random 0.5) of the 100 ms up to the ceiling.
    expect(sleeps).toEqual([50, 50]);
    expect(events.filter((e) => e.name === 'retry').map((e) => [e.payload.attempt, e.payload.waitMs])).toEqual([
      [1, 100],
      [2, 150],
    ]);
    // Only a server's Retry-After is a rate-limit wait; a backoff is not.
    expect(events.some((e) => e.name === 'rate-limit')).toBe(false);
  });

  it('a deadline still ahead lets the retries run (the clock is injected: now 0, deadline 10 s)', async () => {
    vi.useFakeTimers();
    const { run, attempts } = setup([new TimeoutError('t'), 'ok'], { deadline: 10_000 });
    const result = run(new ApiError('x', { status: 503, retryable: true }));
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toMatchObject({ data: 3 });
    expect(attempts).toEqual([2, 3]);
  });

  it('gives up after `retries` retries with the last error', async () => {
    vi.useFakeTimers();
    const last = new ApiError('last', { status: 502, retryable: true });
    const { run, attempts } = setup([new ApiError('x', { status: 502, retryable: true }), last], { retries: 2 });
    const result = run(new ApiError('first', { status: 502, retryable: true }));
    const assertion = expect(result).rejects.toBe(last);
    await vi.advanceTimersByTimeAsync(10_000);
    await assertion;
    expect(attempts).toEqual([2, 3]);
  });

  it('a Retry-After wait emits a server rate-limit event; a final error stops at once', async () => {
    vi.useFakeTimers();
    const final = new ApiError('x', { status: 400 });
    const { run, events, sleeps, attempts } = setup([final]);
    const result = run(new RateLimitError('r', { retryAfterMs: 2_000 }));
    const assertion = expect(result).rejects.toBe(final);
    await vi.advanceTimersByTimeAsync(2_000);
    await assertion;
    expect(attempts).toEqual([2]);
    expect(sleeps).toEqual([1_950]);
    expect(events.find((e) => e.name === 'rate-limit')?.payload).toMatchObject({ waitMs: 2_000, source: 'server' });
  });

  it('a wait that ran past the deadline ends with the last real failure, without an attempt', async () => {
    vi.useFakeTimers();
    let now = 0;
    const attempts: number[] = [];
    const first = new ApiError('503', { status: 503, retryable: true });
    const theCall = { req: { path: '/x' }, policy, deadline: 1_000 } as unknown as Call;
    const result = retryAfterFirst(
      theCall,
      first,
      3,
      async (_c, n) => {
        attempts.push(n);
        return { status: 200 } as unknown as RawResponse;
      },
      {
        connector: 'c',
        telemetry: createTelemetry(),
        maxRetryAfterMs: 60_000,
        requestIdOf: () => 'rid',
        now: () => now,
        // A busy event loop: the wait planned to end well before the deadline ends after it.
        sleep: async () => {
          now = 1_000;
        },
        random: () => 0,
      },
    );
    const assertion = expect(result).rejects.toBe(first);
    await vi.advanceTimersByTimeAsync(1_000);
    await assertion;
    expect(attempts).toEqual([]);
  });

  it("the caller's abort during p-retry's wait is an AbortedError", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const { run, attempts } = setup(['ok'], { signal: controller.signal });
    const result = run(new TimeoutError('t'));
    const assertion = expect(result).rejects.toSatisfy((e) => AbortedError.isInstance(e));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    await assertion;
    expect(attempts).toEqual([]);
  });
});
