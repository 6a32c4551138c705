import { ConfigError } from '../errors/errors.js';
import { sleep } from './backoff.js';

/** Client-side rate limit: a token bucket and a cap on requests in flight. */
export interface RateLimitOptions {
  /** Sustained requests per second (the bucket refills at this rate). */
  requestsPerSecond?: number;
  /** Bucket size: how many requests may start at once after a quiet spell. Default: one second's worth. */
  burst?: number;
  /** Maximum requests in flight at once. */
  concurrency?: number;
}

/** A granted request: call `release` when it has finished (extra calls are ignored). */
export interface RateLimitSlot {
  /** Frees the concurrency slot; extra calls are ignored. */
  release: () => void;
  /** How long the caller waited for the slot, in ms. */
  waitedMs: number;
}

/** Acquires permission to send; the returned slot's `release` frees the concurrency slot. */
export interface RateLimiter {
  /** Waits for a token and a concurrency slot; rejects with the signal's reason when it aborts. */
  acquire(signal?: AbortSignal): Promise<RateLimitSlot>;
  /** True when the limiter has no limits (the client skips it). */
  readonly unlimited: boolean;
}

function invalid(field: string, expectation: string): ConfigError {
  return new ConfigError(`rateLimit.${field} must be ${expectation}`, {
    issues: [{ path: ['rateLimit', field], code: 'invalid_value', message: expectation }],
  });
}

/**
 * Creates a per-instance limiter. The token bucket works by reservation: each caller takes a token
 * at once (the count may go negative) and sleeps until its token would have been refilled, so
 * waiters are served in arrival order without polling. An aborted waiter gives its token back.
 * With no options it lets everything through at once.
 */
export function createRateLimiter(options: RateLimitOptions = {}, now: () => number = Date.now): RateLimiter {
  const rate = options.requestsPerSecond;
  if (rate !== undefined && !(typeof rate === 'number' && rate > 0 && Number.isFinite(rate))) {
    throw invalid('requestsPerSecond', 'a positive finite number');
  }
  if (options.burst !== undefined && !(Number.isFinite(options.burst) && options.burst >= 1)) {
    throw invalid('burst', 'a number of at least 1');
  }
  const concurrency = options.concurrency;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw invalid('concurrency', 'an integer of at least 1');
  }
  const capacity = rate ? Math.max(1, options.burst ?? Math.ceil(rate)) : 0;
  let tokens = capacity;
  let lastRefill = now();
  const maxInFlight = concurrency ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  const waiting: Array<() => void> = [];

  const takeToken = async (signal?: AbortSignal): Promise<number> => {
    if (!rate) return 0;
    const t = now();
    tokens = Math.min(capacity, tokens + ((t - lastRefill) / 1000) * rate);
    lastRefill = t;
    tokens -= 1;
    if (tokens >= 0) return 0;
    const wait = Math.ceil((-tokens / rate) * 1000);
    try {
      await sleep(wait, signal);
    } catch (error) {
      tokens += 1;
      throw error;
    }
    return wait;
  };

  const takeSlot = async (signal?: AbortSignal): Promise<number> => {
    signal?.throwIfAborted();
    if (inFlight < maxInFlight) {
      inFlight++;
      return 0;
    }
    const started = now();
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = waiting.indexOf(grant);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      // The releasing request hands its slot straight to the next waiter: inFlight stays the same.
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return now() - started;
  };

  const releaseSlot = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };

  return {
    unlimited: !rate && concurrency === undefined,
    async acquire(signal) {
      const tokenWait = await takeToken(signal);
      const slotWait = await takeSlot(signal);
      let released = false;
      return {
        waitedMs: slotWait + tokenWait,
        release: () => {
          if (released) return;
          released = true;
          releaseSlot();
        },
      };
    },
  };
}
