// The attempt stage on its own: breaker permits, limiter slots, one refresh and replay on 401.
import { describe, expect, it } from 'vitest';
import { AbortedError, ApiError, type AuthStrategy, CircuitOpenError, createTelemetry, NetworkError } from '@hmi/core';
import { createCircuitBreaker, createRateLimiter } from '@hmi/core/internal';
import { createAttempt } from '../src/http/attempt.js';
import { type AttemptTrack, type Exchange, Unauthorized } from '../src/http/exchange.js';
import type { Call } from '../src/http/prepare.js';
import type { RawResponse } from '../src/http/types.js';
import { recordEvents } from './record-events.js';

const call = (signal?: AbortSignal) => ({ req: { path: '/x', operation: 'op', ...(signal && { signal }) } }) as unknown as Call;
const ok = { status: 200, data: 'ok' } as unknown as RawResponse;

type Step = (track: AttemptTrack) => RawResponse | Unauthorized | Promise<never>;
function scripted(steps: Step[]) {
  const calls: Array<{ n: number; allowRefresh: boolean }> = [];
  const exchange: Exchange = async (_call, n, allowRefresh, track) => {
    calls.push({ n, allowRefresh });
    const step = steps.shift();
    if (!step) throw new Error('no more steps');
    return step(track);
  };
  return { exchange, calls };
}
const sentAndFailed =
  (error: Error, answered = false): Step =>
  (track) => {
    track.sent = true;
    track.answered = answered;
    return Promise.reject(error);
  };

function setup(steps: Step[], extra: Partial<Parameters<typeof createAttempt>[0]> = {}) {
  const telemetry = createTelemetry();
  const events = recordEvents(telemetry);
  const { exchange, calls } = scripted(steps);
  const attempt = createAttempt({
    connector: 'c',
    telemetry,
    circuit: undefined,
    limiter: createRateLimiter(),
    exchange,
    auth: undefined,
    builtInAuth: false,
    ...extra,
  });
  return { attempt, events, calls };
}

describe('attempt stage', () => {
  it('an open circuit fails fast without an exchange', async () => {
    let now = 0;
    const circuit = createCircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 }, undefined, () => now);
    const { attempt, calls } = setup([sentAndFailed(new NetworkError('n')), () => ok], { circuit });
    await expect(attempt(call(), 1)).rejects.toBeInstanceOf(NetworkError);
    expect(circuit.state).toBe('open');
    await expect(attempt(call(), 2)).rejects.toSatisfy((e) => CircuitOpenError.isInstance(e));
    expect(calls).toHaveLength(1);
    now = 1000;
    await expect(attempt(call(), 3)).resolves.toBe(ok);
    expect(circuit.state).toBe('closed');
  });

  it('breaker verdicts: outage → failure, answered non-outage → success, never sent → no verdict', async () => {
    const circuit = createCircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 }, undefined, () => 0);
    const { attempt } = setup(
      [
        sentAndFailed(new ApiError('a', { status: 503 }), true),
        sentAndFailed(new ApiError('a', { status: 404 }), true),
        sentAndFailed(new ApiError('a', { status: 503 }), true),
        () => Promise.reject(new NetworkError('before send')),
        sentAndFailed(new AbortedError()),
        sentAndFailed(new NetworkError('n')),
      ],
      { circuit },
    );
    for (let i = 0; i < 5; i++) await attempt(call(), 1).catch(() => {});
    // 503, 404 (resets), 503, nothing, nothing: one failure counted.
    expect(circuit.state).toBe('closed');
    await attempt(call(), 1).catch(() => {});
    expect(circuit.state).toBe('open');
  });

  it('a 401 refreshes once and replays without a second refresh; custom strategies are reported', async () => {
    const refreshed: Array<string | undefined> = [];
    const auth: AuthStrategy = {
      name: 'custom-sig',
      apply: async () => 'cred-1',
      refresh: async (used) => {
        refreshed.push(used);
      },
      secrets: () => [],
    };
    const { attempt, calls, events } = setup([() => new Unauthorized('cred-1'), () => ok], { auth });
    const before = performance.now();
    await expect(attempt(call(), 1)).resolves.toBe(ok);
    const elapsed = performance.now() - before;
    expect(calls).toEqual([
      { n: 1, allowRefresh: true },
      { n: 1, allowRefresh: false },
    ]);
    expect(refreshed).toEqual(['cred-1']);
    const payload = events.find((e) => e.name === 'auth:refresh')?.payload;
    expect(payload).toMatchObject({ strategy: 'custom-sig', ok: true, trigger: '401', connector: 'c', operation: 'op' });
    // A success names no error code (not even an undefined one), and the refresh took no longer
    // than the attempt around it (a consistency check, not a time bound).
    expect('errorCode' in payload).toBe(false);
    expect(payload.durationMs).toBeGreaterThanOrEqual(0);
    expect(payload.durationMs).toBeLessThanOrEqual(elapsed);
  });

  it('a 401 without a refreshable strategy is replayed once as it is (nothing to refresh)', async () => {
    const { attempt, calls, events } = setup([() => new Unauthorized(undefined), () => ok]);
    await expect(attempt(call(), 1)).resolves.toBe(ok);
    expect(calls).toEqual([
      { n: 1, allowRefresh: false },
      { n: 1, allowRefresh: false },
    ]);
    expect(events.some((e) => e.name === 'auth:refresh')).toBe(false);
  });

  it('fail-fast errors name the connector and the operation', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborted = setup([() => ok]);
    await expect(aborted.attempt(call(controller.signal), 1)).rejects.toMatchObject({
      code: 'aborted',
      connector: 'c',
      operation: 'op',
    });
    const circuit = createCircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 }, undefined, () => 0);
    const open = setup([sentAndFailed(new NetworkError('n'))], { circuit });
    await open.attempt(call(), 1).catch(() => {});
    await expect(open.attempt(call(), 2)).rejects.toMatchObject({ code: 'circuit_open', connector: 'c', operation: 'op' });
    const limiter = {
      unlimited: false,
      acquire: async () => {
        throw new Error('aborted while waiting');
      },
    };
    const waiting = setup([() => ok], { limiter });
    await expect(waiting.attempt(call(), 1)).rejects.toMatchObject({ code: 'aborted', connector: 'c', operation: 'op' });
  });

  it('a failed refresh is reported and thrown', async () => {
    const auth: AuthStrategy = {
      name: 'custom',
      apply: async () => undefined,
      refresh: async () => {
        throw new ApiError('token endpoint down', { code: 'auth_error' });
      },
      secrets: () => [],
    };
    const { attempt, events } = setup([() => new Unauthorized(undefined)], { auth });
    await expect(attempt(call(), 1)).rejects.toMatchObject({ code: 'auth_error' });
    expect(events.find((e) => e.name === 'auth:refresh')?.payload).toMatchObject({ ok: false, errorCode: 'auth_error' });
  });

  it('a refresh that fails with a foreign error is reported with the generic code "error"', async () => {
    const auth: AuthStrategy = {
      name: 'custom',
      apply: async () => undefined,
      refresh: async () => {
        throw new TypeError('bug in the strategy');
      },
      secrets: () => [],
    };
    const { attempt, events } = setup([() => new Unauthorized(undefined)], { auth });
    await expect(attempt(call(), 1)).rejects.toBeInstanceOf(TypeError);
    expect(events.find((e) => e.name === 'auth:refresh')?.payload).toMatchObject({ ok: false, errorCode: 'error' });
  });

  it('reports a local rate-limit wait, and an abort while waiting is an AbortedError with no exchange', async () => {
    const limiter = {
      unlimited: false,
      acquire: async (signal?: AbortSignal) => {
        if (signal?.aborted) throw signal.reason;
        return { waitedMs: 40, release: () => {} };
      },
    };
    const { attempt, events, calls } = setup([() => ok], { limiter });
    await expect(attempt(call(), 1)).resolves.toBe(ok);
    expect(events.find((e) => e.name === 'rate-limit')?.payload).toMatchObject({ waitMs: 40, source: 'local' });
    const controller = new AbortController();
    controller.abort();
    await expect(attempt(call(controller.signal), 1)).rejects.toSatisfy((e) => AbortedError.isInstance(e));
    expect(calls).toHaveLength(1);
  });

  it('releases the concurrency slot whatever happens', async () => {
    const limiter = createRateLimiter({ concurrency: 1 });
    const { attempt } = setup([sentAndFailed(new NetworkError('n')), () => ok], { limiter });
    await attempt(call(), 1).catch(() => {});
    await expect(attempt(call(), 2)).resolves.toBe(ok);
  });
});
