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

/** Acquires permission to send; the returned function releases the concurrency slot. */
export interface RateLimiter {
  acquire(signal?: AbortSignal): Promise<{ release: () => void; waitedMs: number }>;
}

/** Creates a per-instance limiter. With no options it lets everything through at once. */
export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const rate = options.requestsPerSecond;
  const capacity = rate ? Math.max(1, options.burst ?? Math.ceil(rate)) : 0;
  let tokens = capacity;
  let lastRefill = Date.now();
  const maxInFlight = options.concurrency ?? Number.POSITIVE_INFINITY;
  let inFlight = 0;
  const waiting: Array<() => void> = [];

  const takeToken = async (signal?: AbortSignal): Promise<number> => {
    if (!rate) return 0;
    let waited = 0;
    for (;;) {
      const now = Date.now();
      tokens = Math.min(capacity, tokens + ((now - lastRefill) / 1000) * rate);
      lastRefill = now;
      if (tokens >= 1) {
        tokens -= 1;
        return waited;
      }
      const wait = Math.ceil(((1 - tokens) / rate) * 1000);
      waited += wait;
      await sleep(wait, signal);
    }
  };

  const takeSlot = async (signal?: AbortSignal): Promise<number> => {
    if (inFlight < maxInFlight) {
      inFlight++;
      return 0;
    }
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = waiting.indexOf(grant);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return Date.now() - started;
  };

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };

  return {
    async acquire(signal) {
      const slotWait = await takeSlot(signal);
      try {
        const tokenWait = await takeToken(signal);
        let released = false;
        return {
          waitedMs: slotWait + tokenWait,
          release: () => {
            if (!released) {
              released = true;
              release();
            }
          },
        };
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}
