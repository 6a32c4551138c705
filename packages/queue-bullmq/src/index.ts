/**
 * `@hmi/queue-bullmq`: `@hmi/flow`'s outbox on BullMQ (Redis) queues, for many worker processes on
 * many machines. The store (`@hmi/store-postgres`) stays the source of truth; jobs carry ids only.
 * @packageDocumentation
 */
export {
  type BullmqHandler,
  type BullmqWorker,
  type BullmqWorkerOptions,
  createBullmqWorker,
  type QueueCounts,
  type TopicRateLimit,
} from './bullmq-worker.js';
export type { RedisConnection } from './connection.js';
export { type BullmqProducer, type BullmqProducerOptions, createBullmqProducer } from './producer.js';
export { jobIdOf, queueNameOf } from './names.js';
export { type QueueMetricsOptions, registerQueueMetrics } from './metrics.js';
export type { BullmqSync } from './syncs.js';
