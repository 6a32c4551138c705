import { type HttpClient, RateLimitError } from '@hmi/core';

/** The rate-limit headers X sends on every response. */
export const X_RATE_LIMIT_HEADERS = {
  limit: 'x-rate-limit-limit',
  remaining: 'x-rate-limit-remaining',
  reset: 'x-rate-limit-reset',
} as const;

/** What one endpoint's window looks like, as X last reported it. */
export interface XRateWindow {
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

/** Options of {@link createXRateLimitGate}. */
export interface XRateLimitGateOptions {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A reset further away than this fails the call instead of waiting. */
  maxWaitMs: number;
}

/** Per-instance memory of X's rate-limit windows, keyed by operation (one X endpoint each). */
export interface XRateLimitGate {
  /** Records the headers of a response (success or error) to `key`. */
  observe(key: string, headers: Headers): void;
  /** How long to wait before `key` may be called again (ms until reset once remaining is 0). */
  waitMs(key: string): number;
  /** Waits until `key`'s window resets when it is exhausted; throws a RateLimitError when that is too far. */
  wait(key: string, signal?: AbortSignal): Promise<number>;
  /** The window last seen for `key`. */
  window(key: string): XRateWindow | undefined;
  /** Wires the gate into a client: every request waits first, every response is observed. */
  install(http: HttpClient, connector: string): void;
}

/** Reads `x-rate-limit-reset` (Unix seconds) and `-remaining`; undefined when either is absent or malformed. */
export function readRateWindow(headers: Headers): XRateWindow | undefined {
  const remaining = headers.get(X_RATE_LIMIT_HEADERS.remaining);
  const reset = headers.get(X_RATE_LIMIT_HEADERS.reset);
  if (remaining === null || reset === null || !/^\d{1,7}$/.test(remaining.trim()) || !/^\d{1,12}$/.test(reset.trim())) {
    return undefined;
  }
  return { remaining: Number(remaining), resetAt: Number(reset) * 1000 };
}

/**
 * Respects X's per-endpoint windows *before* the limit, not after: once a response says
 * `x-rate-limit-remaining: 0`, the next call to that endpoint sleeps until `x-rate-limit-reset`
 * instead of spending a request on a certain 429. A 429 itself is the error classifier's
 * RateLimitError with the time to reset, which the core's retry layer waits out. State is per
 * instance (one gate per `setup`), never module-level.
 */
export function createXRateLimitGate(options: XRateLimitGateOptions): XRateLimitGate {
  const windows = new Map<string, XRateWindow>();
  const gate: XRateLimitGate = {
    observe(key, headers) {
      const window = readRateWindow(headers);
      if (window) windows.set(key, window);
    },
    window: (key) => windows.get(key),
    waitMs(key) {
      const window = windows.get(key);
      if (!window || window.remaining > 0) return 0;
      return Math.max(0, window.resetAt - options.now());
    },
    async wait(key, signal) {
      const ms = gate.waitMs(key);
      if (ms === 0) return 0;
      if (ms > options.maxWaitMs) {
        throw new RateLimitError(`X rate limit for ${key} resets in ${Math.ceil(ms / 1000)} s, beyond maxRateLimitWaitMs`, {
          connector: 'x',
          operation: key,
          retryAfterMs: ms,
          notProcessed: true,
        });
      }
      await options.sleep(ms, signal);
      // The window has reset; the next response reports the new one.
      windows.delete(key);
      return ms;
    },
    install(http, connector) {
      http.hook.wrap(async (send, request) => {
        const key = request.operation ?? request.path;
        const waited = await gate.wait(key, request.signal);
        if (waited > 0) http.telemetry.emit('rate-limit', { waitMs: waited, source: 'server', connector, operation: key });
        const response = await send(request);
        gate.observe(key, response.headers);
        return response;
      });
    },
  };
  return gate;
}
