import type { Clock } from '../util/clock.js';

/** A {@link Clock} that moves only when told: for schedules, retries and leases in tests. */
export interface ManualClock extends Clock {
  /** Moves time forward, waking sleepers in time order and letting their work run in between. */
  advance(ms: number): Promise<void>;
  /** Sets the time (forward only) the same way. */
  set(time: number): Promise<void>;
  /** Sleepers waiting now. */
  readonly pending: number;
}

interface Sleeper {
  at: number;
  resolve: () => void;
}

/** Creates a {@link ManualClock} starting at `start` (ms since the epoch). */
export function createManualClock(start = Date.UTC(2025, 0, 1)): ManualClock {
  let now = start;
  const sleepers = new Set<Sleeper>();
  const settle = async () => {
    // Several macrotask turns so promise chains started by a wake-up (store calls, etc.) finish.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  const set = async (target: number) => {
    for (;;) {
      const due = [...sleepers].filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = Math.max(now, due.at);
      sleepers.delete(due);
      due.resolve();
      await settle();
    }
    now = Math.max(now, target);
    await settle();
  };
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const sleeper: Sleeper = {
          at: now + Math.max(0, ms),
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(sleeper);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.add(sleeper);
      });
    },
    advance: (ms) => set(now + ms),
    set,
    get pending() {
      return sleepers.size;
    },
  };
}
