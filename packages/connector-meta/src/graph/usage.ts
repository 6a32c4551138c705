import { RateLimitError } from '@hmi/core';
import { z } from 'zod';

/** One usage reading from Meta's rate-limit headers. */
export interface GraphUsage {
  /** The highest percentage of any quota in the headers (0–100+). */
  maxPct: number;
  /** Meta's estimate of when a throttled quota is usable again, ms (0 when it gave none). */
  regainAccessMs: number;
}

const AppUsage = z.record(z.string(), z.unknown());
const BucEntry = z.object({ estimated_time_to_regain_access: z.number().optional() }).catchall(z.unknown());
const BucUsage = z.record(z.string(), z.array(BucEntry));

function pctValues(entry: Record<string, unknown>): number[] {
  return Object.entries(entry)
    .filter(([key, value]) => key !== 'estimated_time_to_regain_access' && typeof value === 'number' && Number.isFinite(value))
    .map(([, value]) => value as number);
}

function parseJson(text: string | null): unknown {
  // Bounded: a header is small, and a hostile one must not cost more than a short parse.
  if (!text || text.length > 8192) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads `X-App-Usage`, `X-Ad-Account-Usage`, `X-Page-Usage` and `X-Business-Use-Case-Usage`.
 * Meta reports percentages of each quota (`call_count`, `total_time`, `total_cputime`,
 * `acc_id_util_pct`) and, per business use case, `estimated_time_to_regain_access` in minutes.
 * Unreadable headers are ignored (tolerate what we do not need), so this never throws.
 */
export function parseGraphUsage(headers: Headers): GraphUsage | undefined {
  const values: number[] = [];
  let regainMin = 0;
  for (const name of ['x-app-usage', 'x-ad-account-usage', 'x-page-usage']) {
    const parsed = AppUsage.safeParse(parseJson(headers.get(name)));
    if (parsed.success) values.push(...pctValues(parsed.data));
  }
  const buc = BucUsage.safeParse(parseJson(headers.get('x-business-use-case-usage')));
  if (buc.success) {
    for (const entries of Object.values(buc.data)) {
      for (const entry of entries) {
        values.push(...pctValues(entry));
        regainMin = Math.max(regainMin, entry.estimated_time_to_regain_access ?? 0);
      }
    }
  }
  if (values.length === 0 && regainMin === 0) return undefined;
  return { maxPct: Math.max(0, ...values), regainAccessMs: Math.round(Math.min(regainMin, 24 * 60) * 60_000) };
}

/** Options of {@link createUsageGate}. */
export interface UsageGateOptions {
  /** Back off once any quota reaches this percentage. Default 85. */
  thresholdPct?: number;
  /** Pause when a quota is over the threshold and Meta gave no estimate, ms. Default 10 000. */
  defaultPauseMs?: number;
  /**
   * Longest wait the gate sits out itself, ms. A longer window (Meta estimates in whole minutes)
   * is a RateLimitError with `retryAfterMs` at once, for the caller or flow to reschedule: no hang,
   * no request. Default 30 000.
   */
  maxWaitMs?: number;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`; rejects when `signal` aborts. Default a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Holds requests back while Meta's usage headers say a quota is nearly spent. One per instance. */
export interface UsageGate {
  /** Records the usage headers of a response (success or error). */
  observe(headers: Headers): void;
  /** Ms to wait before the next request (0 when free to go). */
  pendingMs(): number;
  /** Waits until the quota window allows another request; a wait beyond `maxWaitMs` is a RateLimitError. */
  wait(signal?: AbortSignal): Promise<void>;
  /** The last usage read, for telemetry and tests. */
  readonly last: GraphUsage | undefined;
}

function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/**
 * Backs off *before* Meta's limit: once any reported quota is at or over the threshold, requests
 * wait until `estimated_time_to_regain_access` has passed (or a default pause), instead of running
 * into code 4/17/32/613 and being throttled for longer.
 */
export function createUsageGate(options: UsageGateOptions = {}): UsageGate {
  const threshold = options.thresholdPct ?? 85;
  const defaultPause = options.defaultPauseMs ?? 10_000;
  const maxWait = options.maxWaitMs ?? 30_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? timerSleep;
  let blockedUntil = 0;
  let last: GraphUsage | undefined;
  return {
    observe(headers) {
      const usage = parseGraphUsage(headers);
      if (!usage) return;
      last = usage;
      if (usage.maxPct >= threshold || usage.regainAccessMs > 0) {
        blockedUntil = Math.max(blockedUntil, now() + (usage.regainAccessMs || defaultPause));
      }
    },
    pendingMs() {
      return Math.max(0, blockedUntil - now());
    },
    async wait(signal) {
      const ms = Math.max(0, blockedUntil - now());
      if (ms > maxWait) {
        throw new RateLimitError('Meta usage window not over: request held back', {
          code: 'rate_limited',
          notProcessed: true,
          retryAfterMs: ms,
        });
      }
      if (ms > 0) await sleep(ms, signal);
    },
    get last() {
      return last;
    },
  };
}
