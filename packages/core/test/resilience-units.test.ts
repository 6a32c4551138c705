import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, type CircuitState } from '@hmi/core';
import { createCircuitBreaker, createRateLimiter } from '@hmi/core/internal';

describe('circuit breaker (fake clock)', () => {
  function breaker(threshold = 3, resetTimeoutMs = 1000) {
    let now = 0;
    const transitions: CircuitState[] = [];
    const cb = createCircuitBreaker(
      { failureThreshold: threshold, resetTimeoutMs },
      (s) => transitions.push(s),
      () => now,
    );
    return { cb, transitions, advance: (ms: number) => (now += ms) };
  }

  it('opens after N consecutive failures and fails fast while open', () => {
    const { cb, transitions } = breaker();
    for (let i = 0; i < 2; i++) cb.acquire()!.failure();
    expect(cb.state).toBe('closed');
    cb.acquire()!.failure();
    expect(cb.state).toBe('open');
    expect(cb.acquire()).toBeUndefined();
    expect(transitions).toEqual(['open']);
  });

  it('permits of a closed circuit are not probes, and each reports one outcome only', () => {
    const { cb } = breaker(2);
    const permit = cb.acquire()!;
    expect(permit.probe).toBe(false);
    permit.failure();
    permit.failure();
    permit.success();
    expect(cb.state).toBe('closed');
    cb.acquire()!.failure();
    // The first report counted (one failure) and the later ones did not (no reset by the success).
    expect(cb.state).toBe('open');
  });

  it('a success in between resets the count', () => {
    const { cb } = breaker();
    cb.acquire()!.failure();
    cb.acquire()!.failure();
    cb.acquire()!.success();
    cb.acquire()!.failure();
    cb.acquire()!.failure();
    expect(cb.state).toBe('closed');
  });

  it('half-open admits exactly one probe; success closes, failure re-opens for another window', () => {
    const { cb, transitions, advance } = breaker(1, 1000);
    cb.acquire()!.failure();
    advance(999);
    expect(cb.acquire()).toBeUndefined();
    advance(1);
    expect(cb.state).toBe('half-open');
    const probe = cb.acquire()!;
    expect(probe.probe).toBe(true);
    expect(cb.acquire()).toBeUndefined();
    probe.failure();
    expect(cb.state).toBe('open');
    advance(500);
    expect(cb.acquire()).toBeUndefined();
    advance(500);
    const second = cb.acquire()!;
    second.success();
    expect(cb.state).toBe('closed');
    expect(cb.acquire()).toBeDefined();
    expect(transitions).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('an abandoned probe frees the slot; outcomes are counted once; stragglers from before the opening are ignored', () => {
    const { cb, advance } = breaker(2, 100);
    const straggler = cb.acquire()!;
    cb.acquire()!.failure();
    cb.acquire()!.failure();
    expect(cb.state).toBe('open');
    advance(100);
    const probe = cb.acquire()!;
    straggler.success(); // admitted before the circuit opened: must not close it
    expect(cb.state).toBe('half-open');
    probe.abandon();
    const next = cb.acquire()!;
    expect(next.probe).toBe(true);
    next.success();
    next.failure();
    expect(cb.state).toBe('closed');
  });
});

describe('circuit breaker: permits from before an opening carry no weight (fake clock)', () => {
  function breaker() {
    let now = 0;
    const cb = createCircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 100 }, undefined, () => now);
    return { cb, advance: (ms: number) => (now += ms) };
  }
  function reopenAndClose(cb: ReturnType<typeof breaker>['cb'], advance: (ms: number) => number) {
    cb.acquire()!.failure();
    cb.acquire()!.failure();
    expect(cb.state).toBe('open');
    advance(100);
    cb.acquire()!.success();
    expect(cb.state).toBe('closed');
  }

  it("a straggler's late failure does not count towards opening the closed circuit again", () => {
    const { cb, advance } = breaker();
    const straggler = cb.acquire()!;
    reopenAndClose(cb, advance);
    straggler.failure();
    cb.acquire()!.failure();
    expect(cb.state).toBe('closed');
    cb.acquire()!.failure();
    expect(cb.state).toBe('open');
  });

  it("a straggler's late success does not wipe the failures counted since", () => {
    const { cb, advance } = breaker();
    const straggler = cb.acquire()!;
    reopenAndClose(cb, advance);
    cb.acquire()!.failure();
    straggler.success();
    cb.acquire()!.failure();
    expect(cb.state).toBe('open');
  });

  it('a straggling probe from an earlier half-open window neither frees nor settles the current probe', () => {
    const { cb, advance } = breaker();
    cb.acquire()!.failure();
    cb.acquire()!.failure();
    advance(100);
    const oldProbe = cb.acquire()!;
    expect(oldProbe.probe).toBe(true);
    // The circuit re-opens (a new generation) while that probe is still out, e.g. through a
    // second failure reported late by another permit of the same window.
    oldProbe.failure();
    advance(100);
    const probe = cb.acquire()!;
    expect(probe.probe).toBe(true);
    oldProbe.success();
    expect(cb.acquire()).toBeUndefined();
    expect(cb.state).toBe('half-open');
  });
});

describe('rate limiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses nonsense options with a ConfigError', () => {
    for (const bad of [
      { requestsPerSecond: -1 },
      { requestsPerSecond: Number.NaN },
      { burst: 0, requestsPerSecond: 1 },
      { concurrency: 1.5 },
    ]) {
      expect(() => createRateLimiter(bad)).toThrow(ConfigError);
    }
    expect(createRateLimiter().unlimited).toBe(true);
  });

  it('token bucket: a burst, then one token per 1/rate, in arrival order (fake time)', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 2 });
    const granted: Array<[number, number]> = [];
    const all = Array.from({ length: 5 }, (_, i) =>
      limiter.acquire().then((slot) => {
        granted.push([i, Date.now()]);
        slot.release();
      }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(granted).toEqual([
      [0, 0],
      [1, 0],
      [2, 100],
      [3, 200],
      [4, 300],
    ]);
  });

  it('refills while idle but never beyond the burst', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 3 });
    for (let i = 0; i < 3; i++) (await limiter.acquire()).release();
    await vi.advanceTimersByTimeAsync(10_000);
    const times: number[] = [];
    const all = Array.from({ length: 5 }, () => limiter.acquire().then(() => times.push(Date.now())));
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(all);
    expect(times.map((t) => t - 10_000)).toEqual([0, 0, 0, 100, 200]);
  });

  it('an aborted waiter gives its token back and is not granted later', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 1 });
    (await limiter.acquire()).release();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const assertion = expect(aborted).rejects.toBeDefined();
    controller.abort();
    await assertion;
    let grantedAt: number | undefined;
    const next = limiter.acquire().then((slot) => {
      grantedAt = Date.now();
      return slot;
    });
    await vi.advanceTimersByTimeAsync(300);
    // The refunded token means the next waiter is served at the first refill, 100 ms on (without
    // the refund it would wait for two refills, 200 ms).
    expect(grantedAt).toBe(100);
    expect((await next).waitedMs).toBe(100);
  });

  it('names the bad field and the expectation, never the value; accepts the boundaries', () => {
    const cases: Array<[Record<string, number>, string, string]> = [
      [{ requestsPerSecond: 0 }, 'requestsPerSecond', 'a positive finite number'],
      [{ requestsPerSecond: Number.POSITIVE_INFINITY }, 'requestsPerSecond', 'a positive finite number'],
      [{ requestsPerSecond: 1, burst: 0.5 }, 'burst', 'a number of at least 1'],
      [{ concurrency: 0 }, 'concurrency', 'an integer of at least 1'],
    ];
    for (const [options, field, expectation] of cases) {
      const error = (() => {
        try {
          createRateLimiter(options);
        } catch (e) {
          return e as ConfigError;
        }
        return undefined;
      })();
      expect(ConfigError.isInstance(error)).toBe(true);
      expect(error?.message).toBe(`rateLimit.${field} must be ${expectation}`);
      expect(error?.issues).toEqual([{ path: ['rateLimit', field], code: 'invalid_value', message: expectation }]);
    }
    expect(createRateLimiter({ concurrency: 1 }).unlimited).toBe(false);
    expect(createRateLimiter({ requestsPerSecond: 0.5, burst: 1 }).unlimited).toBe(false);
  });

  it('a concurrency-only limiter never waits for tokens', async () => {
    const slot = await createRateLimiter({ concurrency: 2 }).acquire();
    expect(slot.waitedMs).toBe(0);
  });

  it('refills by elapsed time: half a token period later, half a period to wait (injected clock)', async () => {
    vi.useFakeTimers({ now: 0 });
    const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 1 });
    (await limiter.acquire()).release();
    await vi.advanceTimersByTimeAsync(50);
    const next = limiter.acquire();
    await vi.advanceTimersByTimeAsync(100);
    expect((await next).waitedMs).toBe(50);
  });

  it('reports how long a caller waited for a concurrency slot, and frees slots on release', async () => {
    let now = 1_000;
    const limiter = createRateLimiter({ concurrency: 1 }, () => now);
    const a = await limiter.acquire();
    const b = limiter.acquire();
    // Let b reach the slot queue (after its token step) before the clock moves.
    await new Promise((resolve) => setTimeout(resolve, 0));
    now += 30;
    a.release();
    const slotB = await b;
    expect(slotB.waitedMs).toBe(30);
    slotB.release();
    // Nobody waiting: the slot is free again, the next caller is served at once.
    const c = await limiter.acquire();
    expect(c.waitedMs).toBe(0);
  });

  it('a caller aborted while waiting for a slot leaves the queue', async () => {
    const limiter = createRateLimiter({ concurrency: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    let granted = false;
    const next = limiter.acquire().then((slot) => {
      granted = true;
      return slot;
    });
    held.release();
    // The release goes to the live waiter, not to the aborted one.
    (await next).release();
    expect(granted).toBe(true);
    const again = await limiter.acquire();
    expect(again.waitedMs).toBe(0);
  });

  it('concurrency: hands a released slot to the next waiter, releases are idempotent', async () => {
    const limiter = createRateLimiter({ concurrency: 2 });
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    let cGranted = false;
    const c = limiter.acquire().then((slot) => {
      cGranted = true;
      return slot;
    });
    await Promise.resolve();
    expect(cGranted).toBe(false);
    a.release();
    a.release();
    const slotC = await c;
    expect(cGranted).toBe(true);
    let dGranted = false;
    void limiter.acquire().then(() => {
      dGranted = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(dGranted).toBe(false);
    b.release();
    slotC.release();
    await new Promise((r) => setTimeout(r, 5));
    expect(dGranted).toBe(true);
  });
});
