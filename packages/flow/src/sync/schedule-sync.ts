import { ConfigError, createTelemetry } from '@hmi/core';
import { Cron } from 'croner';
import { systemClock } from '../util/clock.js';
import { type Duration, parseDuration } from '../util/duration.js';
import { runSync } from './run-sync.js';
import type { RunSyncOptions, SyncResult } from './types.js';

/** When a scheduled sync runs: a fixed interval, or a cron expression (5 or 6 fields, via croner). */
export type SyncScheduleSpec = { every: Duration; cron?: never } | { cron: string; timezone?: string; every?: never };

/** Options of {@link scheduleSync}: a sync's options plus its schedule. */
export type ScheduleSyncOptions<R, C = unknown, W = R> = Omit<RunSyncOptions<R, C, W>, 'trigger'> &
  SyncScheduleSpec & {
    /** Run once right away, then on schedule. Default false. */
    runOnStart?: boolean;
    /** Called after every successful run. */
    onResult?: (result: SyncResult) => void;
    /** Called when a run fails (a SyncError, AbortedError, …); the schedule goes on. */
    onError?: (error: unknown) => void;
  };

/** A running schedule. */
export interface SyncSchedule {
  /** Stops scheduling and waits for a run in progress; with `abort`, aborts it first. */
  stop(options?: { abort?: boolean }): Promise<void>;
  /** Runs now unless a run is in progress (then resolves undefined). Failures reject. */
  runNow(): Promise<SyncResult | undefined>;
  /** Whether a run is in progress. */
  readonly running: boolean;
  /** When the next run is due, or undefined once stopped. */
  nextRunAt(): Date | undefined;
}

/**
 * Runs a sync on a schedule, `{ every: '5m' }` or `{ cron: '*\/5 * * * *' }`, for polling sources.
 * Runs never overlap: a tick that comes while the previous run is still going is skipped (and
 * reported as `sync:skipped`). Each run resumes from the saved checkpoint. Call `stop()` on shutdown.
 */
export function scheduleSync<R, C = unknown, W = R>(options: ScheduleSyncOptions<R, C, W>): SyncSchedule {
  const { every, cron, timezone, runOnStart, onResult, onError, ...syncOptions } = options as ScheduleSyncOptions<R, C, W> & {
    every?: Duration;
    cron?: string;
    timezone?: string;
  };
  const clock = syncOptions.clock ?? systemClock;
  const telemetry = syncOptions.telemetry ?? createTelemetry();
  if ((every === undefined) === (cron === undefined)) throw new ConfigError('scheduleSync needs exactly one of every or cron');
  const intervalMs = every === undefined ? undefined : parseDuration(every, 'every');
  if (intervalMs !== undefined && intervalMs < 1) throw new ConfigError('every must be at least 1ms');
  let pattern: Cron | undefined;
  if (cron !== undefined) {
    try {
      pattern = new Cron(cron, { paused: true, ...(timezone && { timezone }) });
    } catch {
      throw new ConfigError('cron is not a valid cron expression');
    }
  }

  const stopController = new AbortController();
  const runController = new AbortController();
  const signal = syncOptions.signal ? AbortSignal.any([syncOptions.signal, runController.signal]) : runController.signal;
  let active: Promise<SyncResult> | undefined;
  let next: number | undefined;

  const computeNext = (from: number): number | undefined => {
    if (intervalMs !== undefined) return from + intervalMs;
    return pattern?.nextRun(new Date(from))?.getTime();
  };

  const start = (trigger: 'schedule' | 'manual'): Promise<SyncResult> | undefined => {
    if (active) {
      telemetry.emit('sync:skipped', {
        syncId: syncOptions.id,
        integrationPoint: syncOptions.integrationPoint,
        reason: 'overlap',
      });
      return undefined;
    }
    const run = runSync({ ...syncOptions, telemetry, signal, trigger });
    active = run;
    run.then(
      (result) => onResult?.(result),
      (error) => onError?.(error),
    );
    const clear = () => {
      if (active === run) active = undefined;
    };
    run.then(clear, clear);
    return run;
  };

  const loop = async () => {
    if (runOnStart) start('schedule');
    next = computeNext(clock.now());
    while (!stopController.signal.aborted && next !== undefined) {
      try {
        await clock.sleep(Math.max(0, next - clock.now()), stopController.signal);
      } catch {
        break;
      }
      start('schedule');
      // Fixed rate: the next tick follows the planned one, not the run's end; missed ticks are skipped.
      const now = clock.now();
      let following = computeNext(next);
      while (following !== undefined && following <= now) following = computeNext(following);
      next = following;
    }
    next = undefined;
  };
  const looping = loop();

  return {
    get running() {
      return active !== undefined;
    },
    nextRunAt: () => (next === undefined ? undefined : new Date(next)),
    async runNow() {
      const run = start('manual');
      return run ? await run : undefined;
    },
    async stop(stopOptions = {}) {
      stopController.abort();
      if (stopOptions.abort) runController.abort();
      await looping;
      await active?.catch(() => {});
    },
  };
}
