import { ConfigError } from '@hmi/core';
import type { StateStore } from '@hmi/flow';
import { Queue } from 'bullmq';
import { openRedis, type RedisConnection } from './connection.js';
import { jobIdOf, queueNameOf } from './names.js';

/** Options of {@link createBullmqProducer}. */
export interface BullmqProducerOptions {
  connection: RedisConnection;
  store: StateStore;
  /** The workers' prefix. Default `hmi`. */
  prefix?: string;
  /** Called when a job could not be added after its item was stored (the sweeper adds it later). */
  onError?: (error: unknown) => void;
}

/** Enqueues outbox items for BullMQ workers from a process that does not deliver (a webhook receiver, an API). */
export interface BullmqProducer {
  /** Stores the items (the source of truth), then adds a job per new item; duplicates change nothing. */
  enqueue: StateStore['enqueue'];
  /**
   * The store with `enqueue` replaced by this producer's: give it to `createWebhookHandler({ store })`
   * so every stored webhook event gets its job at once.
   */
  readonly store: StateStore;
  close(): Promise<void>;
}

/**
 * The sending half of `@hmi/queue-bullmq`, for stateless processes such as webhook receivers: each
 * item is written to the store first, then its job (id only) is added to its topic's queue. If the
 * job is lost (a crash between the two, a Redis flush), the workers' sweeper adds it again.
 */
export function createBullmqProducer(options: BullmqProducerOptions): BullmqProducer {
  if (!options?.store) throw new ConfigError('createBullmqProducer needs a store');
  const redis = openRedis(options.connection);
  redis.on('error', () => {});
  const prefix = options.prefix ?? 'hmi';
  const queues = new Map<string, Queue>();
  const queueOf = (topic: string) => {
    let queue = queues.get(topic);
    if (!queue) queues.set(topic, (queue = new Queue(queueNameOf(topic), { connection: redis, prefix })));
    return queue;
  };
  const enqueue: StateStore['enqueue'] = async (items, audit) => {
    const results = await options.store.enqueue(items, audit);
    const created = new Set(results.filter((r) => r.created).map((r) => r.id));
    const now = Date.now();
    const byTopic = new Map<string, { name: string; data: { id: string }; opts: object }[]>();
    for (const item of items) {
      if (!created.has(item.id)) continue;
      const jobs = byTopic.get(item.topic) ?? [];
      const opts = {
        jobId: jobIdOf(item.id),
        delay: Math.max(0, (item.availableAt ?? now) - now),
        removeOnComplete: true,
        removeOnFail: true,
      };
      jobs.push({ name: 'deliver', data: { id: item.id }, opts });
      byTopic.set(item.topic, jobs);
    }
    // The items are stored: that is what counts. A job that cannot be added (Redis down) is added
    // later by the workers' sweeper, so the caller (a webhook answering 200) is not failed for it.
    await Promise.all([...byTopic].map(([topic, jobs]) => queueOf(topic).addBulk(jobs))).catch(options.onError ?? (() => {}));
    return results;
  };
  return {
    enqueue,
    store: { ...options.store, enqueue },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
