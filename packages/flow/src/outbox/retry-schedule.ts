import { ConfigError } from '@hmi/core';
import { type Duration, parseDuration } from '../util/duration.js';

/**
 * The default wait before each retry of a failed delivery, capped exponential like Stripe's and
 * Svix's webhook retries: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, then 12 h five
 * times. That is 15 attempts (the first plus 14 retries) over 75 h 42 min 35 s, about three days,
 * before the item moves to the dead-letter queue. Each wait gets ±10 % jitter.
 */
export const DEFAULT_RETRY_DELAYS: readonly Duration[] = Object.freeze([
  '5s',
  '30s',
  '2m',
  '10m',
  '30m',
  '1h',
  '2h',
  '4h',
  '8h',
  '12h',
  '12h',
  '12h',
  '12h',
  '12h',
]);

/** A retry schedule: the waits before retry 1, 2, …; after the last, the item is dead. */
export interface RetrySchedule {
  delays: readonly Duration[];
  /** Fraction of each wait added or removed at random (0.1 = ±10 %). Default 0.1. */
  jitter?: number;
}

/** A resolved schedule in milliseconds. @internal */
export interface ResolvedSchedule {
  delaysMs: readonly number[];
  jitter: number;
}

/** Resolves a schedule given as a list of durations or a {@link RetrySchedule}. @internal */
export function resolveSchedule(schedule: RetrySchedule | readonly Duration[] | undefined): ResolvedSchedule {
  const s: RetrySchedule =
    schedule === undefined ? { delays: DEFAULT_RETRY_DELAYS } : isList(schedule) ? { delays: schedule } : schedule;
  const jitter = s.jitter ?? 0.1;
  if (!(jitter >= 0 && jitter < 1)) throw new ConfigError('retry schedule jitter must be in [0, 1)');
  return { delaysMs: s.delays.map((d, i) => parseDuration(d, `retry delay ${i + 1}`)), jitter };
}

function isList(value: RetrySchedule | readonly Duration[]): value is readonly Duration[] {
  return Array.isArray(value);
}

/**
 * The wait before the next attempt after `failedAttempts` failures, or undefined when the schedule
 * is exhausted and the item belongs in the dead-letter queue.
 */
export function nextRetryDelay(
  failedAttempts: number,
  schedule: ResolvedSchedule,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule.delaysMs[failedAttempts - 1];
  if (base === undefined) return undefined;
  return Math.max(0, Math.round(base * (1 + schedule.jitter * (2 * random() - 1))));
}
