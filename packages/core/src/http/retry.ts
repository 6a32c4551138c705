/**
 * Retry: p-retry runs the schedule of every retry after a failed first attempt — the retry budget
 * (`retries`), the exponential delay (`minTimeout`, `factor`, `maxTimeout`), the elapsed-time
 * budget (`maxRetryTime`), the caller's `signal` and the decision (`shouldRetry`).
 *
 * Each wait has two parts. p-retry waits the base: half the backoff ceiling
 * `min(maxDelayMs, minDelayMs · 2^(n-1))`. In `shouldRetry` the stage adds what p-retry's formula
 * cannot express: a random share of the rest up to the ceiling, never under `minDelayMs` (equal
 * jitter, so a fleet does not retry in step), or, when the server sent `Retry-After`, whatever the
 * server asked for beyond the base (Retry-After is a floor: the wait is the larger of the two).
 * A `Retry-After` above `maxRetryAfterMs`, or a wait that would end past `maxElapsedMs`, ends the
 * retries at once. Internal to the core.
 */
import pRetry from 'p-retry';
import { AbortedError } from '../errors/errors.js';
import { isHmiError } from '../errors/hmi-error.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { Attempt } from './attempt.js';
import { backoffCeiling, type RetryOptions } from './backoff.js';
import type { Call } from './prepare.js';
import type { RawResponse } from './types.js';

/** What the retry stage needs of the client; clocks and randomness are injectable for tests. */
export interface RetryDeps {
  connector: string | undefined;
  telemetry: Telemetry;
  maxRetryAfterMs: number;
  requestIdOf: (call: Call) => string;
  /** Epoch ms, for the `maxElapsedMs` deadline. */
  now: () => number;
  /** Waits the extra part of a wait; rejects with the signal's reason when it aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): the jitter. */
  random: () => number;
}

/** p-retry's delay options for a policy: its formula then gives half the backoff ceiling. */
export function pRetryDelayOptions(policy: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>) {
  return { factor: 2, minTimeout: policy.minDelayMs / 2, maxTimeout: policy.maxDelayMs / 2, randomize: false } as const;
}

/** The wait p-retry itself takes before retry `retry` (from 1): its own formula, with our options. */
export function baseWait(retry: number, policy: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>): number {
  const { factor, minTimeout, maxTimeout } = pRetryDelayOptions(policy);
  return Math.min(Math.round(minTimeout * factor ** (retry - 1)), maxTimeout);
}

/** Why a retry waits, and how long in total (p-retry's base included). */
export interface RetryPlan {
  reason: string;
  /** The whole wait before the retry, in ms. */
  waitMs: number;
  /** The part of it the stage waits itself, before p-retry's base. */
  extraMs: number;
  /** Set when the wait is the server's Retry-After. */
  retryAfterMs?: number;
}

/**
 * Whether to retry after `error` (the `retry`-th retry, from 1), and the wait: undefined to stop.
 * Pure: the clock and randomness come in as arguments.
 */
export function planRetry(
  error: unknown,
  retry: number,
  call: Pick<Call, 'policy' | 'deadline'>,
  limits: { maxRetryAfterMs: number; now: number; random: number },
): RetryPlan | undefined {
  if (!isHmiError(error) || !error.retryable) return undefined;
  if (error.code === 'circuit_open' || error.code === 'aborted') return undefined;
  const base = baseWait(retry, call.policy);
  let plan: RetryPlan;
  const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof retryAfterMs === 'number') {
    if (retryAfterMs > limits.maxRetryAfterMs) return undefined;
    const extraMs = Math.max(0, retryAfterMs - base);
    plan = { reason: 'retry-after', waitMs: base + extraMs, extraMs, retryAfterMs };
  } else {
    // Equal jitter between the larger of minDelayMs and p-retry's base, and the ceiling.
    const ceiling = backoffCeiling(retry, call.policy);
    const low = Math.max(base, Math.min(ceiling, Math.max(0, call.policy.minDelayMs)));
    const share = Math.min(1, Math.max(0, Number.isFinite(limits.random) ? limits.random : 0));
    const extraMs = low - base + Math.max(0, Math.round(share * (ceiling - low)));
    plan = { reason: error.code, waitMs: base + extraMs, extraMs };
  }
  if (call.deadline !== undefined && limits.now + plan.waitMs >= call.deadline) return undefined;
  return plan;
}

/**
 * Retries `call` after its first attempt failed with `first`, at most `retries` times. The first
 * attempt runs outside (most requests succeed at once, and p-retry's bookkeeping is measurable on
 * fast calls); it enters p-retry as attempt 1, whose failure p-retry then handles like any other.
 */
export async function retryAfterFirst(
  call: Call,
  first: unknown,
  retries: number,
  attempt: Attempt,
  deps: RetryDeps,
): Promise<RawResponse> {
  const { req } = call;
  const signal = req.signal;
  let last = first;
  // A wait that ran late (a busy event loop) may end past the deadline: the call then ends with the
  // last real failure, not with an attempt that has no time left.
  const next = (attemptNumber: number) =>
    attemptNumber === 1 || (call.deadline !== undefined && deps.now() >= call.deadline)
      ? Promise.reject(last)
      : attempt(call, attemptNumber);
  try {
    return await pRetry(next, {
      retries,
      ...pRetryDelayOptions(call.policy),
      ...(call.deadline !== undefined && { maxRetryTime: Math.max(0, call.deadline - deps.now()) }),
      ...(signal && { signal }),
      onFailedAttempt: ({ error }) => {
        last = error;
      },
      shouldRetry: async ({ error, attemptNumber, retriesConsumed }) => {
        const plan = planRetry(error, retriesConsumed + 1, call, {
          maxRetryAfterMs: deps.maxRetryAfterMs,
          now: deps.now(),
          random: deps.random(),
        });
        if (!plan) return false;
        if (plan.retryAfterMs !== undefined) {
          deps.telemetry.emit('rate-limit', {
            waitMs: plan.waitMs,
            source: 'server',
            connector: deps.connector,
            operation: req.operation,
          });
        }
        deps.telemetry.emit('retry', {
          requestId: deps.requestIdOf(call),
          attempt: attemptNumber,
          reason: plan.reason,
          waitMs: plan.waitMs,
          connector: deps.connector,
          operation: req.operation,
        });
        await deps.sleep(plan.extraMs, signal);
        return true;
      },
    });
  } catch (error) {
    if (isHmiError(error)) throw error;
    // p-retry and the wait reject with the signal's reason when the caller aborts.
    if (signal?.aborted) throw new AbortedError(undefined, { connector: deps.connector, operation: req.operation });
    throw error;
  }
}
