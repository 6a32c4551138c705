import { ConfigError, createTelemetry, type Telemetry } from '@hmi/core';
import type { ClaimedItem, StateStore } from '../store/types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { type AttemptPolicy, attemptDelivery, type DeliverFn, type InDoubtOptions, isPermanentFailure } from './attempt.js';
import { type RetrySchedule, resolveSchedule } from './retry-schedule.js';

export type { DeliverFn, DeliveryContext } from './attempt.js';

/** Options of {@link createOutboxWorker}. */
export interface OutboxWorkerOptions extends InDoubtOptions {
  store: StateStore;
  deliver: DeliverFn;
  /** Deliveries at once. Default 4. */
  concurrency?: number;
  /** Waits between attempts; the default is {@link DEFAULT_RETRY_DELAYS} (about three days). */
  schedule?: RetrySchedule | readonly Duration[];
  /** Only items of these topics (`webhook:*` matches a prefix). Default all. */
  topics?: readonly string[];
  /** How long a claimed item is held before another worker may take it. Default `2m`. */
  lease?: Duration;
  /** How often to look for due items when idle. Default `1s`. */
  pollInterval?: Duration;
  /** Time source; inject `createManualClock()` in tests. */
  clock?: Clock;
  /** Randomness for jitter (tests pass a constant). */
  random?: () => number;
  telemetry?: Telemetry;
  /**
   * Whether a failure is final, sending the item straight to the dead-letter queue. Default
   * {@link isPermanentFailure}: an HmiError with `retryable: false` (a ValidationError never heals
   * by waiting), or an error with an HTTP status in 4xx other than 408, 409, 425 and 429.
   */
  isPermanent?: (error: unknown) => boolean;
  /** Write an audit record for every attempt. Default true. */
  audit?: boolean;
  /** Called with store errors met by the loop (the loop keeps going). */
  onError?: (error: unknown) => void;
}

/** A running (or stoppable) outbox worker. */
export interface OutboxWorker {
  /** Starts polling and delivering. Idempotent. */
  start(): void;
  /**
   * Stops claiming new items and waits for deliveries in flight to settle. Items not yet claimed
   * stay in the store for the next worker. With `abort`, in-flight deliveries see their signal abort.
   */
  stop(options?: { abort?: boolean }): Promise<void>;
  /** Delivers until no item is due now and none is in flight (items scheduled later are left). */
  drain(): Promise<void>;
  /** Claims one batch (up to `concurrency`), delivers it, and returns how many items it took. */
  runOnce(): Promise<number>;
  /** Wakes the loop now (call after enqueueing). */
  notify(): void;
  /** Whether the loop is running. */
  readonly running: boolean;
}

/**
 * Creates a worker that delivers outbox items with `deliver`, retrying failures on a capped
 * exponential schedule and moving items that exhaust it to the dead-letter queue with their error
 * (`HmiError.toJSON()` only: a foreign error keeps its class name, not its message). Items with an
 * ordering key are delivered one at a time in order; a failing item holds up only its own key.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { store, deliver } = options;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('outbox concurrency must be a positive integer');
  const schedule = resolveSchedule(options.schedule);
  const leaseMs = parseDuration(options.lease ?? '2m', 'lease');
  const pollMs = parseDuration(options.pollInterval ?? '1s', 'pollInterval');
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const telemetry = options.telemetry ?? createTelemetry();
  const onError = options.onError ?? (() => {});
  const policy: AttemptPolicy = {
    store,
    deliver,
    schedule,
    clock,
    random,
    telemetry,
    isPermanent: options.isPermanent ?? isPermanentFailure,
    audit: options.audit !== false,
    reconcile: options.reconcile,
    keyless: options.keyless,
    maxInDoubtMs: options.maxInDoubtMs,
  };

  const inFlight = new Set<Promise<void>>();
  const controllers = new Set<AbortController>();
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: AbortController | undefined;
  let woken = false;

  const notify = () => {
    woken = true;
    wake?.abort();
  };

  const idle = async (ms: number) => {
    if (woken) {
      woken = false;
      return;
    }
    wake = new AbortController();
    await clock.sleep(ms, wake.signal).catch(() => {});
    wake = undefined;
    woken = false;
  };

  const deliverOne = async (item: ClaimedItem) => {
    const controller = new AbortController();
    controllers.add(controller);
    // Give up on the attempt shortly before the lease runs out, so two workers never overlap.
    const leaseGuard = new AbortController();
    clock.sleep(Math.max(0, item.leaseUntil - clock.now() - Math.min(1000, leaseMs / 10)), leaseGuard.signal).then(
      () => controller.abort(),
      () => {},
    );
    try {
      await attemptDelivery(item, policy, controller.signal);
    } catch (storeError) {
      // The lease runs out and the item is claimed again, marked in doubt: never lost.
      onError(storeError);
    } finally {
      leaseGuard.abort();
      controllers.delete(controller);
    }
  };

  const spawn = (item: ClaimedItem) => {
    const p: Promise<void> = deliverOne(item).finally(() => {
      inFlight.delete(p);
      notify();
    });
    inFlight.add(p);
  };

  /** Claims what free slots allow and starts delivering; returns how many were claimed. */
  const fill = async (): Promise<number> => {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    const items = await store.claim({ limit: free, leaseMs, now: clock.now(), topics: options.topics });
    for (const item of items) spawn(item);
    return items.length;
  };

  const run = async () => {
    while (running) {
      let claimed = 0;
      try {
        claimed = await fill();
      } catch (error) {
        onError(error);
      }
      if (!running) break;
      if (claimed === 0 || inFlight.size >= concurrency) await idle(pollMs);
    }
  };

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop(stopOptions = {}) {
      running = false;
      notify();
      if (stopOptions.abort) for (const c of controllers) c.abort();
      await loop;
      loop = undefined;
      await Promise.allSettled([...inFlight]);
    },
    async drain() {
      for (;;) {
        const claimed = await fill();
        if (claimed === 0 && inFlight.size === 0) return;
        if (claimed === 0 || inFlight.size >= concurrency) await Promise.race(inFlight);
      }
    },
    async runOnce() {
      const claimed = await fill();
      await Promise.allSettled([...inFlight]);
      return claimed;
    },
    notify,
  };
}
