import { randomUUID } from 'node:crypto';
import { ConfigError, type Telemetry } from '@hmi/core';
import { type Duration, parseDuration } from '@hmi/flow';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { SYNC_QUEUE } from './names.js';
import { tryLock, unlock } from './redis-gate.js';

/** A sync run by schedule on the cluster: `{ every: '5m', run }` or `{ cron: '0 * * * *', run }`. */
export interface BullmqSync {
  every?: Duration;
  cron?: string;
  timezone?: string;
  /** One run (typically `runSync({ … })`, which resumes from the store's checkpoint). */
  run(context: { syncId: string; signal: AbortSignal }): Promise<unknown>;
  /**
   * How long a run's cluster lock lasts without renewal; renewed every third of it while the run
   * goes on, so it only lapses when the worker died. Default `1m`.
   */
  lockTtl?: Duration;
}

/** @internal */
export interface StartSyncsOptions {
  redis: Redis;
  prefix: string;
  syncs: Readonly<Record<string, BullmqSync>>;
  telemetry: Telemetry;
  onError: (error: unknown) => void;
  signal: AbortSignal;
}

/**
 * Registers each sync as a BullMQ job scheduler (idempotent: every worker registers the same ones)
 * and runs their jobs. Whichever worker takes a tick first runs it under a Redis lock; a tick that
 * finds the sync running elsewhere is skipped (`sync:skipped`), so runs never overlap cluster-wide.
 * @internal
 */
export function startSyncs(options: StartSyncsOptions) {
  const { redis, prefix, syncs, telemetry } = options;
  for (const [id, sync] of Object.entries(syncs)) {
    if ((sync.every === undefined) === (sync.cron === undefined)) {
      throw new ConfigError(`sync ${id} needs either every or cron`);
    }
    if (typeof sync.run !== 'function') throw new ConfigError(`sync ${id} needs a run function`);
  }
  const queue = new Queue<{ syncId: string }>(SYNC_QUEUE, { connection: redis, prefix });
  const ensureSchedules = async () => {
    for (const [syncId, sync] of Object.entries(syncs)) {
      const repeat =
        sync.every !== undefined
          ? { every: parseDuration(sync.every, `${syncId} every`) }
          : { pattern: sync.cron!, ...(sync.timezone && { tz: sync.timezone }) };
      await queue.upsertJobScheduler(syncId, repeat, {
        name: syncId,
        data: { syncId },
        opts: { removeOnComplete: true, removeOnFail: true },
      });
    }
  };
  const run = async (job: Job<{ syncId: string }>) => {
    const syncId = job.data?.syncId;
    const sync = syncId === undefined ? undefined : syncs[syncId];
    if (!sync || syncId === undefined) return;
    const key = `${prefix}:lock:sync:${syncId}`;
    const token = randomUUID();
    const ttl = parseDuration(sync.lockTtl ?? '1m', 'lockTtl');
    if (!(await tryLock(redis, key, token, ttl))) {
      telemetry.emit('sync:skipped', { syncId, reason: 'overlap' });
      return;
    }
    const renew = setInterval(() => void tryLock(redis, key, token, ttl).catch(options.onError), Math.max(100, ttl / 3));
    const controller = new AbortController();
    const abort = () => controller.abort();
    options.signal.addEventListener('abort', abort, { once: true });
    try {
      await sync.run({ syncId, signal: controller.signal });
    } finally {
      clearInterval(renew);
      options.signal.removeEventListener('abort', abort);
      await unlock(redis, key, token).catch(options.onError);
    }
  };
  const worker = new Worker<{ syncId: string }>(SYNC_QUEUE, run, { connection: redis, prefix, concurrency: 4 });
  worker.on('error', options.onError);
  ensureSchedules().catch(options.onError);
  return {
    ensureSchedules,
    /** Stops taking ticks and waits for a run in progress. */
    pause: () => worker.pause(),
    async close() {
      await worker.close(true);
      await queue.close();
    },
  };
}
