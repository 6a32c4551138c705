import { randomUUID } from 'node:crypto';
import { ConfigError, createTelemetry, type Telemetry } from '@hmi/core';
import {
  type ClaimedItem,
  type DeliveryContext,
  type Duration,
  type InDoubtOptions,
  isPermanentFailure,
  parseDuration,
  type RetrySchedule,
  type StateStore,
  systemClock,
} from '@hmi/flow';
import { attemptDelivery, resolveSchedule } from '@hmi/flow/internal';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { openRedis, type RedisConnection } from './connection.js';
import { jobIdOf, queueNameOf } from './names.js';
import { createGate, type Gate, tryLock } from './redis-gate.js';
import { type BullmqSync, startSyncs } from './syncs.js';

/** Handles one outbox item of a topic; throw to fail the attempt (the error decides its fate). */
export type BullmqHandler = (item: ClaimedItem, context: DeliveryContext) => Promise<void>;

/** A topic's vendor limit, for the whole cluster: at most `max` sends in any `durationMs`. */
export interface TopicRateLimit {
  max: number;
  durationMs: number;
  /**
   * Added to the window to absorb the time between the gate and the vendor (sends leave a busy
   * process at uneven delays). Default the larger of 100 ms and 10 % of `durationMs`.
   */
  marginMs?: number;
}

/** Options of {@link createBullmqWorker}. */
export interface BullmqWorkerOptions extends InDoubtOptions {
  /** Redis: an ioredis client (duplicated, yours stays open), its options, or a `redis://` URL. */
  connection: RedisConnection;
  /** The durable record (`@hmi/store-postgres` when several machines share it). */
  store: StateStore;
  /** One handler per topic; each topic gets its own BullMQ queue. */
  handlers: Readonly<Record<string, BullmqHandler>>;
  /** Jobs at once per topic in this process. Default 8. */
  concurrency?: number;
  /** Cluster-wide limits per topic (e.g. Twilio's 100 messages/s for the whole account). */
  rateLimits?: Readonly<Record<string, TopicRateLimit>>;
  /** Prefix of every Redis key (BullMQ's `prefix`). Default `hmi`. One per deployment. */
  prefix?: string;
  /** Waits between attempts; `DEFAULT_RETRY_DELAYS` of `@hmi/flow` by default. */
  schedule?: RetrySchedule | readonly Duration[];
  /** Whether a failure is final; `isPermanentFailure` of `@hmi/flow` by default. */
  isPermanent?: (error: unknown) => boolean;
  /** How long a claimed item is held in the store. Default `2m`. */
  lease?: Duration;
  /**
   * How often one worker of the cluster re-adds the job of every pending item that has none (items
   * stored without a producer, jobs dropped by a crash). A Redis that lost its data is noticed
   * within a second and swept at once. Default `5s`.
   */
  sweepInterval?: Duration;
  /** BullMQ's job lock: a SIGKILLed worker's jobs are handed on after about this long. Default `30s`. */
  lockDuration?: Duration;
  /** Scheduled syncs: a repeatable job each, one run at a time cluster-wide. */
  syncs?: Readonly<Record<string, BullmqSync>>;
  telemetry?: Telemetry;
  /** Write an audit record for every attempt. Default true. */
  audit?: boolean;
  /** Randomness for the schedule's jitter. */
  random?: () => number;
  /** Signals that close the worker gracefully (`hmi worker` passes SIGTERM and SIGINT). Default none. */
  shutdownSignals?: readonly NodeJS.Signals[];
  /** Called with errors of the sweeper and the queues (the worker keeps going). */
  onError?: (error: unknown) => void;
}

/** Job counts of one topic's queue. */
export interface QueueCounts {
  topic: string;
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** A running BullMQ worker. */
export interface BullmqWorker {
  /** Stores items (the source of truth), then adds their jobs. Ids already known change nothing. */
  enqueue: StateStore['enqueue'];
  /** Adds a job for every pending item that has none (what the sweeper does); returns how many it added. */
  sweep(): Promise<number>;
  /** Job counts per topic queue, for metrics (`registerQueueMetrics`). */
  queueCounts(): Promise<QueueCounts[]>;
  /** The topics this worker handles. */
  readonly topics: readonly string[];
  /**
   * Stops taking jobs and waits for those in flight; after `timeoutMs` (default 30 s) their signals
   * abort and what is left is handed back to the store (retried by any worker). Idempotent.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

interface JobData {
  id: string;
}

/**
 * Runs `@hmi/flow`'s outbox on BullMQ queues so processes on many machines share the work. The store
 * holds every item (the outbox row is the source of truth); a job carries only the item's id, so a
 * Redis flush loses nothing: a cluster-wide sweeper re-adds a job for every pending item that has
 * none. Each delivery follows `@hmi/flow`'s rules exactly (lease, attempt mark, in-doubt
 * reconciliation, retry schedule, dead-letter queue); per ordering key one item at a time.
 * `rateLimits` hold for the whole cluster (a sliding window in Redis, plus BullMQ's limiter), and a
 * failure with a Retry-After (a 429) pauses that topic for every worker.
 */
export function createBullmqWorker(options: BullmqWorkerOptions): BullmqWorker {
  const { store } = options;
  if (!store || typeof store.claim !== 'function') throw new ConfigError('createBullmqWorker needs a store');
  const topics = Object.keys(options.handlers ?? {});
  if (topics.length === 0 && !options.syncs) throw new ConfigError('createBullmqWorker needs at least one handler');
  for (const topic of topics) {
    if (topic.endsWith('*')) throw new ConfigError('createBullmqWorker handlers are keyed by exact topics, not patterns');
  }
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('concurrency must be a positive integer');
  for (const [topic, limit] of Object.entries(options.rateLimits ?? {})) {
    if (!(Number.isInteger(limit?.max) && limit.max > 0 && Number.isFinite(limit.durationMs) && limit.durationMs > 0)) {
      throw new ConfigError(`rateLimits of ${topic} need a positive integer max and a positive durationMs`);
    }
  }
  const prefix = options.prefix ?? 'hmi';
  const leaseMs = parseDuration(options.lease ?? '2m', 'lease');
  const sweepMs = parseDuration(options.sweepInterval ?? '5s', 'sweepInterval');
  const lockMs = parseDuration(options.lockDuration ?? '30s', 'lockDuration');
  const telemetry = options.telemetry ?? createTelemetry();
  const onError = options.onError ?? (() => {});
  const clock = systemClock;
  const policy = {
    store,
    deliver: async () => {},
    schedule: resolveSchedule(options.schedule),
    clock,
    random: options.random ?? Math.random,
    telemetry,
    isPermanent: options.isPermanent ?? isPermanentFailure,
    audit: options.audit !== false,
    reconcile: options.reconcile,
    keyless: options.keyless,
    maxInDoubtMs: options.maxInDoubtMs,
  };

  const redis: Redis = openRedis(options.connection);
  redis.on('error', onError);
  const queues = new Map<string, Queue<JobData>>();
  const gates = new Map<string, Gate>();
  for (const topic of topics) {
    queues.set(topic, new Queue<JobData>(queueNameOf(topic), { connection: redis, prefix }));
    gates.set(topic, createGate(redis, `${prefix}:gate:${queueNameOf(topic)}`, options.rateLimits?.[topic]));
  }
  const jobOptions = { removeOnComplete: true, removeOnFail: true, attempts: 1 } as const;
  const addJobs = async (items: readonly { id: string; topic: string; availableAt: number }[]) => {
    const byTopic = new Map<string, { name: string; data: JobData; opts: object }[]>();
    const now = Date.now();
    for (const item of items) {
      if (!queues.has(item.topic)) continue;
      const list = byTopic.get(item.topic) ?? [];
      const delay = Math.max(0, item.availableAt - now);
      list.push({ name: 'deliver', data: { id: item.id }, opts: { ...jobOptions, jobId: jobIdOf(item.id), delay } });
      byTopic.set(item.topic, list);
    }
    await Promise.all([...byTopic].map(([topic, jobs]) => queues.get(topic)!.addBulk(jobs)));
  };

  /** The next item of a key becomes its head when one finishes: give it a job now. */
  const promote = async (orderingKey: string | undefined) => {
    if (orderingKey === undefined) return;
    const [next] = await store.listPending({ orderingKey, limit: 1 });
    if (!next || next.availableAt > Date.now()) {
      if (next) await addJobs([next]);
      return;
    }
    // Its job may be waiting out a delay (it found its key busy earlier): run it now.
    const queue = queues.get(next.topic);
    const job = await queue?.getJob(jobIdOf(next.id));
    if (job && (await job.isDelayed())) await job.promote().catch(() => {});
    else if (!job) await addJobs([next]);
  };

  const closing = new AbortController();
  const inFlight = new Set<AbortController>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done, { once: true });
    });

  const processor = (topic: string) => async (job: Job<JobData>, token?: string) => {
    const id = job.data?.id;
    if (typeof id !== 'string') return;
    const handler = options.handlers[topic]!;
    const gate = gates.get(topic)!;
    const delayUntil = async (at: number): Promise<never> => {
      await job.moveToDelayed(Math.max(at, Date.now() + 1), token);
      throw new DelayedError();
    };
    const [item] = await store.claim({ ids: [id], limit: 1, leaseMs, topics: [topic] });
    if (!item) {
      const current = await store.getItem(id);
      if (current?.status !== 'pending') return; // done, dead or gone: nothing left to do
      if (current.availableAt > Date.now()) return delayUntil(current.availableAt);
      // Leased by another worker (it may die: look again when a lease would have run out) or
      // behind an older item of its key (promote() brings it forward sooner).
      return delayUntil(Date.now() + leaseMs);
    }
    // The send waits for the topic's window; if it cannot fit in the lease, the item is handed back.
    for (;;) {
      const wait = await gate.take(`${id}:${randomUUID()}`);
      if (wait === 0) break;
      if (closing.signal.aborted || wait > item.leaseUntil - Date.now() - 1000) {
        const nextAttemptAt = Date.now() + wait;
        const error = {
          name: 'RateLimitError',
          code: 'rate_limited',
          message: 'waiting for the topic rate limit',
          retryable: true,
        };
        if (await store.fail(item.id, item.leaseToken, { error, nextAttemptAt })) return delayUntil(nextAttemptAt);
        return;
      }
      await sleep(wait);
    }
    const controller = new AbortController();
    inFlight.add(controller);
    const guard = setTimeout(() => controller.abort(), Math.max(0, item.leaseUntil - Date.now() - Math.min(1000, leaseMs / 10)));
    try {
      const outcome = await attemptDelivery(item, { ...policy, deliver: handler }, controller.signal);
      if (outcome.kind === 'retry') {
        if (outcome.retryAfterMs !== undefined) await gate.pause(outcome.retryAfterMs);
        return delayUntil(outcome.nextAttemptAt);
      }
      if (outcome.kind === 'in_doubt') return delayUntil(item.leaseUntil + 10);
      if (outcome.kind !== 'lost') await promote(item.orderingKey);
    } finally {
      clearTimeout(guard);
      inFlight.delete(controller);
    }
  };

  const workers = topics.map((topic) => {
    const limit = options.rateLimits?.[topic];
    const worker = new Worker<JobData>(queueNameOf(topic), processor(topic), {
      connection: redis,
      prefix,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A stalled job is only a hint: the store's lease decides, and the sweeper re-adds it.
      maxStalledCount: 1_000_000,
      ...(limit && { limiter: { max: limit.max, duration: limit.durationMs } }),
    });
    worker.on('error', onError);
    return worker;
  });

  /** Offers a job to every pending item that is due, unleased and the head of its key. */
  let seenDue = new Set<string>();
  const sweep = async (): Promise<number> => {
    const nextDue = new Set<string>();
    let offered = 0;
    let afterSeq: number | undefined;
    const keys = new Set<string>();
    for (;;) {
      const page = await store.listPending({ topics, limit: 500, afterSeq });
      if (page.length === 0) {
        seenDue = nextDue;
        return offered;
      }
      afterSeq = page[page.length - 1]!.seq;
      const heads = page.filter((item) => {
        if (item.orderingKey === undefined) return true;
        if (keys.has(item.orderingKey)) return false;
        keys.add(item.orderingKey);
        return true;
      });
      // One pipelined EXISTS per page finds the items whose job is gone; only those are added.
      const pipeline = redis.pipeline();
      for (const item of heads) pipeline.exists(queues.get(item.topic)!.toKey(jobIdOf(item.id)));
      const exists = (await pipeline.exec()) ?? [];
      const missing = heads.filter((_, i) => exists[i]?.[1] !== 1);
      // A job hash in no list (left behind when Redis lost part of its keys) would hold its item
      // forever: items due and unleased through two sweeps get their job's state checked, and an
      // orphan is replaced.
      const now = Date.now();
      const suspects = heads.filter((item, i) => exists[i]?.[1] === 1 && item.availableAt <= now && seenDue.has(item.id));
      for (const item of suspects.slice(0, 200)) {
        const queue = queues.get(item.topic)!;
        if ((await queue.getJobState(jobIdOf(item.id))) !== 'unknown') continue;
        await redis.del(queue.toKey(jobIdOf(item.id)));
        missing.push(item);
      }
      for (const item of heads) if (item.availableAt <= now) nextDue.add(item.id);
      await addJobs(missing);
      offered += missing.length;
    }
  };
  const sweepLock = `${prefix}:lock:sweeper`;
  const aliveKey = `${prefix}:hmi:alive`;
  const sweeperId = randomUUID();
  const syncs = options.syncs
    ? startSyncs({ redis, prefix, syncs: options.syncs, telemetry, onError, signal: closing.signal })
    : undefined;
  let sweeping: Promise<void> | undefined;
  let lastSweep = 0;
  const tick = async () => {
    // A missing marker means Redis lost its data (a flush, a failover without persistence) or this
    // is the first start: whoever notices first sweeps at once. Otherwise one worker sweeps every
    // sweepInterval, as a safety net.
    const lost = (await redis.set(aliveKey, '1', 'NX')) === 'OK';
    if (lost || Date.now() - lastSweep >= sweepMs) {
      if (lost || (await tryLock(redis, sweepLock, sweeperId, Math.max(sweepMs * 2, 5000)))) {
        lastSweep = Date.now();
        await sweep();
        if (lost) await syncs?.ensureSchedules();
      }
    }
  };
  const sweeper = setInterval(
    () => {
      if (sweeping || closing.signal.aborted) return;
      sweeping = tick()
        .catch(onError)
        .finally(() => {
          sweeping = undefined;
        });
    },
    Math.min(1000, sweepMs),
  );
  sweeper.unref?.();
  sweeping = tick()
    .catch(onError)
    .finally(() => {
      sweeping = undefined;
    });

  let closed: Promise<void> | undefined;
  const close = (closeOptions: { timeoutMs?: number } = {}) => {
    closed ??= (async () => {
      clearInterval(sweeper);
      for (const signal of options.shutdownSignals ?? []) process.off(signal, onSignal);
      let timer: NodeJS.Timeout | undefined;
      // pause() stops fetching and waits for active jobs; close(true) then ends without waiting
      // (BullMQ's close() cannot be forced once a graceful close is under way).
      const graceful = Promise.all([...workers.map((w) => w.pause()), syncs?.pause()]).then(() => true);
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), closeOptions.timeoutMs ?? 30_000);
      });
      const finished = await Promise.race([graceful, timedOut]).finally(() => clearTimeout(timer));
      closing.abort();
      if (!finished) {
        // Deliveries still running are told to stop and no longer waited for: their items stay
        // leased in the store and are taken over (in doubt, so never blindly resent) when it runs out.
        for (const c of inFlight) c.abort();
      }
      await Promise.all([...workers.map((w) => w.close(true)), syncs?.close()]);
      await sweeping?.catch(() => {});
      await Promise.all([...queues.values()].map((q) => q.close()));
      await redis.quit().catch(() => redis.disconnect());
    })();
    return closed;
  };
  function onSignal() {
    void close().catch(onError);
  }
  for (const signal of options.shutdownSignals ?? []) process.once(signal, onSignal);

  return {
    topics,
    async enqueue(items, audit) {
      const results = await store.enqueue(items, audit);
      const created = new Set(results.filter((r) => r.created).map((r) => r.id));
      const now = Date.now();
      await addJobs(items.filter((i) => created.has(i.id)).map((i) => ({ ...i, availableAt: i.availableAt ?? now })));
      return results;
    },
    sweep,
    async queueCounts() {
      return Promise.all(
        [...queues].map(async ([topic, queue]) => {
          const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
          return {
            topic,
            queue: queue.name,
            waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            failed: c.failed ?? 0,
          };
        }),
      );
    },
    close,
  };
}
