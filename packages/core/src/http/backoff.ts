/** Retry policy of an HTTP client. */
export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). Default 2. */
  retries: number;
  /** Base delay of the exponential backoff, in ms. Default 250. */
  minDelayMs: number;
  /**
   * Upper bound of any backoff wait. A server's `Retry-After` is honoured even when longer, up to
   * `maxRetryAfterMs` (beyond that the client gives up at once). Default 30 000.
   */
  maxDelayMs: number;
  /** Gives up once this much time has passed since the first attempt; also bounds each attempt's timeout. */
  maxElapsedMs?: number;
}

/** The default retry policy. */
export const DEFAULT_RETRY: RetryOptions = Object.freeze({ retries: 2, minDelayMs: 250, maxDelayMs: 30_000 });

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/**
 * The largest wait {@link backoffDelay} may return for `attempt` (counting from 1):
 * `min(maxDelayMs, minDelayMs · 2^(attempt-1))`. Non-decreasing in `attempt`, never above
 * `maxDelayMs`, never below `minDelayMs` (when `minDelayMs > maxDelayMs`, the maximum wins).
 */
export function backoffCeiling(attempt: number, policy: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>): number {
  const max = Math.max(0, finiteOr(policy.maxDelayMs, 0));
  const min = Math.min(max, Math.max(0, finiteOr(policy.minDelayMs, 0)));
  const exponent = Math.min(Math.max(0, Math.floor(finiteOr(attempt, 1)) - 1), 52);
  return Math.min(max, min * 2 ** exponent);
}

/**
 * Full-jitter exponential backoff (AWS Architecture Blog): a uniform random wait between
 * `minDelayMs` and {@link backoffCeiling}. `attempt` counts from 1. Always within
 * `[minDelayMs, maxDelayMs]`, whatever `random` returns.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, policy);
  const min = Math.min(ceiling, Math.max(0, finiteOr(policy.minDelayMs, 0)));
  const r = Math.min(1, Math.max(0, finiteOr(random(), 0)));
  return Math.min(ceiling, Math.max(min, Math.round(min + r * (ceiling - min))));
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
/** The three forms of an HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, obsolete RFC 850 and asctime. */
const HTTP_DATE = new RegExp(
  [
    `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (?:${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`,
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-(?:${MONTHS})-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT$`,
    `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:${MONTHS}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}$`,
  ].join('|'),
);

function clampMs(ms: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.ceil(ms)));
}

/**
 * Reads how long a server asked us to wait: `retry-after-ms` (milliseconds), then `Retry-After` as
 * delta-seconds or an HTTP date. Returns undefined when absent or unreadable; never negative (a date
 * in the past means "now", 0).
 */
export function parseRetryAfter(headers: Pick<Headers, 'get'>, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return clampMs(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return clampMs(Number(trimmed) * 1000);
  // Date.parse alone accepts far too much ("1", "foo 2"); only the HTTP-date forms count.
  if (!HTTP_DATE.test(trimmed)) return undefined;
  const date = Date.parse(trimmed.endsWith('GMT') ? trimmed : `${trimmed} GMT`);
  if (Number.isNaN(date)) return undefined;
  return clampMs(date - now);
}

/** Sleeps `ms`, rejecting early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
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
