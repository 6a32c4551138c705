/**
 * `@hmi/flow/internal`: the pieces queue runners (`@hmi/queue-bullmq`) share with
 * `createOutboxWorker`, so every runner applies the same delivery rules. Not a stable API.
 * @packageDocumentation
 */
export { type AttemptOutcome, type AttemptPolicy, attemptDelivery } from '../outbox/attempt.js';
export { type ResolvedSchedule, resolveSchedule } from '../outbox/retry-schedule.js';
