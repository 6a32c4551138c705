/** Retry policy of an HTTP client. */
export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). Default 2. */
  retries: number;
  /** Base delay of the exponential backoff, in ms. Default 250. */
  minDelayMs: number;
  /** Upper bound of any single wait, including a server's Retry-After. Default 30 000. */
  maxDelayMs: number;
  /** Gives up once this much time has passed since the first attempt. */
  maxElapsedMs?: number;
}

/** The default retry policy. */
export const DEFAULT_RETRY: RetryOptions = { retries: 2, minDelayMs: 250, maxDelayMs: 30_000 };

/**
 * Full-jitter exponential backoff (AWS Architecture Blog): a uniform random wait between
 * `minDelayMs` and `min(maxDelayMs, minDelayMs · 2^(attempt-1))`. `attempt` counts from 1.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const min = Math.max(0, policy.minDelayMs);
  const max = Math.max(min, policy.maxDelayMs);
  const ceiling = Math.min(max, min * 2 ** Math.min(Math.max(0, attempt - 1), 30));
  return Math.round(min + random() * (ceiling - min));
}

/**
 * Reads how long a server asked us to wait: `retry-after-ms` (milliseconds), then `Retry-After` as
 * delta-seconds or an HTTP date. Returns undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Math.ceil(Number(ms)));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.ceil(Number(trimmed) * 1000));
  // An HTTP date must name a weekday or month; Date.parse alone accepts too much ("1").
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Sleeps `ms`, rejecting early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
