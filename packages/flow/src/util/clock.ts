import { sleep } from '@hmi/core/internal';

/**
 * Time as the flow machinery sees it. Inject one to test schedules and retries without waiting
 * (`createManualClock` in `@hmi/flow/testing`).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now` and timers. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now(), sleep });
