/**
 * `@hmi/flow`: data flow between systems. Resumable syncs with checkpoints (`runSync`,
 * `scheduleSync`), durable webhook ingestion (`createWebhookHandler`, `toNodeHandler`), an outbox
 * with retries and a dead-letter queue (`createOutboxWorker`, `createDeadLetterQueue`), an audit
 * trail without payloads, and the `StateStore` interface they share (`createMemoryStateStore`
 * here, `createSqliteStateStore` in `@hmi/store-sqlite`).
 * @packageDocumentation
 */
export * from './telemetry-events.js';
export * from './store/types.js';
export { createMemoryStateStore, type MemoryStateStoreOptions } from './store/memory-store.js';
export { SyncError, type SyncErrorOptions, type SyncStage, toSafeErrorJson, isRetryable } from './errors.js';
export { type Duration, parseDuration } from './util/duration.js';
export { type Clock, systemClock } from './util/clock.js';
export type * from './sync/types.js';
export { runSync } from './sync/run-sync.js';
export { scheduleSync, type ScheduleSyncOptions, type SyncSchedule, type SyncScheduleSpec } from './sync/schedule-sync.js';
export {
  attachProgressBar,
  renderProgressLine,
  type ProgressBarOptions,
  type ProgressState,
  type ProgressStream,
} from './sync/progress-bar.js';
export { DEFAULT_RETRY_DELAYS, nextRetryDelay, type RetrySchedule } from './outbox/retry-schedule.js';
export {
  isPermanentFailure,
  retryAfterOf,
  type InDoubtOptions,
  type ReconcileFn,
  type ReconcileResult,
} from './outbox/attempt.js';
export {
  createOutboxWorker,
  type DeliverFn,
  type DeliveryContext,
  type OutboxWorker,
  type OutboxWorkerOptions,
} from './outbox/outbox-worker.js';
export { createDeadLetterQueue, type DeadLetterQueue, type DeadLetterQueueOptions } from './outbox/dead-letter-queue.js';
export type * from './webhooks/types.js';
export { createWebhookHandler } from './webhooks/create-webhook-handler.js';
export {
  toNodeHandler,
  type NodeHandlerOptions,
  type NodeWebhookListener,
  type NodeWebhookRequest,
} from './webhooks/node-handler.js';
