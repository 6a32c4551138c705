import type { TelemetryContext } from '@hmi/core';

/**
 * The events `@hmi/flow` adds to core's telemetry bus (by declaration merging, so
 * `telemetry.on('sync:page', …)` is typed once `@hmi/flow` is imported). Payloads carry ids,
 * counts, codes and durations only: never a record, an event body or an error message from host
 * code. Metrics, alerts and OpenTelemetry exporters build on these.
 */
declare module '@hmi/core' {
  interface TelemetryEventMap {
    /** A sync run started; `resumed` when a checkpoint was found. */
    'sync:start': TelemetryContext & { syncId: string; runId: string; resumed: boolean; trigger: string };
    /** A page was written and its checkpoint saved. `totalRecords` counts the whole run so far. */
    'sync:page': TelemetryContext & {
      syncId: string;
      runId: string;
      page: number;
      records: number;
      written: number;
      skipped: number;
      totalRecords: number;
      durationMs: number;
    };
    /** A page read, write or checkpoint failed and will be tried again after `waitMs`. */
    'sync:retry': TelemetryContext & {
      syncId: string;
      runId: string;
      stage: string;
      attempt: number;
      waitMs: number;
      errorCode: string;
    };
    /** A sync run ended, successfully or not. */
    'sync:end': TelemetryContext & {
      syncId: string;
      runId: string;
      ok: boolean;
      pages: number;
      records: number;
      durationMs: number;
      errorCode?: string;
    };
    /** A scheduled run was skipped because the previous one was still running. */
    'sync:skipped': TelemetryContext & { syncId: string; reason: 'overlap' };
    /** A webhook request verified and its events were stored (new ones and duplicates). */
    'webhook:received': TelemetryContext & { webhook: string; events: number; duplicates: number; durationMs: number };
    /**
     * A webhook request was refused. `reason`: `signature` (401), `invalid` (400), `not_found` (404),
     * `method` (405), `too_large` (413), `store_unavailable` (503), `raw_body_unavailable` (503).
     */
    'webhook:rejected': TelemetryContext & { webhook?: string; status: number; reason: string; errorCode?: string };
    /**
     * A stored, authentic webhook event could not be mapped to canonical records (its shape is not
     * what the connector expects); it goes to the dead-letter queue for a replay after the fix.
     */
    'webhook:mapping_failed': TelemetryContext & { webhook: string; eventId: string; eventType: string; errorCode: string };
    /** An event id was seen before and was not stored again. */
    'webhook:duplicate': TelemetryContext & { webhook: string; eventId: string };
    /** An item entered the outbox. */
    'outbox:enqueued': TelemetryContext & { topic: string; itemId: string };
    /** An outbox item was delivered. */
    'outbox:delivered': TelemetryContext & { topic: string; itemId: string; attempt: number; durationMs: number };
    /** A delivery failed and will be retried at `nextAttemptAt`. */
    'outbox:retry': TelemetryContext & {
      topic: string;
      itemId: string;
      attempt: number;
      delayMs: number;
      nextAttemptAt: number;
      errorCode: string;
    };
    /**
     * An item was found in doubt (its worker died or lost its lease mid-send, or the vendor's answer
     * was lost) and what was done: `retry_same_key` (keyed topic), `reconciled_sent`,
     * `reconciled_not_sent`, `reconcile_failed` (asked again later), `held` (dead-letter queue, code
     * `in_doubt`).
     */
    'outbox:in_doubt': TelemetryContext & {
      topic: string;
      itemId: string;
      decision: 'retry_same_key' | 'reconciled_sent' | 'reconciled_not_sent' | 'reconcile_failed' | 'held';
    };
    /** A delivery failed for good and the item moved to the dead-letter queue. */
    'dlq:added': TelemetryContext & { topic: string; itemId: string; attempts: number; errorCode: string };
    /** A dead item was put back in the outbox. */
    'dlq:replayed': TelemetryContext & { itemId: string };
    /** Dead items were purged. */
    'dlq:purged': TelemetryContext & { count: number };
  }
}

/** The names of the events `@hmi/flow` emits. */
export const FLOW_EVENTS = Object.freeze([
  'sync:start',
  'sync:page',
  'sync:retry',
  'sync:end',
  'sync:skipped',
  'webhook:received',
  'webhook:rejected',
  'webhook:duplicate',
  'webhook:mapping_failed',
  'outbox:enqueued',
  'outbox:delivered',
  'outbox:retry',
  'outbox:in_doubt',
  'dlq:added',
  'dlq:replayed',
  'dlq:purged',
] as const);
