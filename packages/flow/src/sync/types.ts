import type { Telemetry } from '@hmi/core';
import type { AuditTrigger, StateStore } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import type { Duration } from '../util/duration.js';

/** One page of a source: records and the checkpoint that resumes right after them. */
export interface SyncPage<R, C = unknown> {
  records: readonly R[];
  checkpoint: C;
}

/** A resumable source: a connector stream handle (`connector.streams.patients`) has this shape. */
export interface SyncSourceHandle<R, C = unknown> {
  /** Reads pages after `checkpoint`. */
  read(options: { checkpoint?: C; signal?: AbortSignal }): AsyncIterable<SyncPage<R, C>>;
}

/**
 * Where records come from: a stream handle or a function of the same shape (resumable: a failed
 * read is retried from the last committed checkpoint), or any async iterable of pages (read from
 * its start on every run; a failed read fails the run, as an iterator cannot be restarted).
 */
export type SyncSource<R, C = unknown> =
  | SyncSourceHandle<R, C>
  | ((options: { checkpoint?: C; signal?: AbortSignal }) => AsyncIterable<SyncPage<R, C>>)
  | AsyncIterable<SyncPage<R, C>>;

/** What a record writer receives besides the record. */
export interface WriteContext {
  /** The source id of the record: the destination upserts on it. */
  key: string;
  /**
   * Stable for the same sync, key and content: reused when a page is replayed after a crash, so a
   * vendor that honours idempotency keys performs the write once. Connector actions accept it.
   */
  idempotencyKey: string;
  signal?: AbortSignal;
}

/**
 * Writes one record, as an upsert keyed by `context.key`. A connector action
 * (`connector.actions.upsertContact`) fits: it takes `(input, { idempotencyKey, signal })`.
 */
export type RecordWriter<W> = (record: W, context: WriteContext) => Promise<unknown>;

/** Writes a batch of records at once (a bulk upsert keyed by `key`). */
export interface BatchWriter<W> {
  /** Upserts one batch of mapped records keyed by source id. */
  writeBatch(batch: ReadonlyArray<{ key: string; record: W }>, options: { signal?: AbortSignal }): Promise<unknown>;
}

/** Where records go: one record at a time, or in batches. */
export type SyncDestination<W> = RecordWriter<W> | BatchWriter<W>;

/** Bounded retries of a page read, a write or a checkpoint save, on top of the HTTP client's own. */
export interface SyncRetryOptions {
  /** Retries after the first failure (consecutive, per step). Default 5; 0 disables. */
  retries?: number;
  /** First wait. Default `500ms`. */
  minDelay?: Duration;
  /** Longest wait (a server's Retry-After is honoured up to this). Default `30s`. */
  maxDelay?: Duration;
}

/** Options of {@link runSync}. */
export interface RunSyncOptions<R, C = unknown, W = R> {
  /** Names the sync: its checkpoint is stored under this id. */
  id: string;
  source: SyncSource<R, C>;
  destination: SyncDestination<W>;
  /** Maps a source record to what the destination takes; return undefined to skip it. */
  map?: (record: R, context: { syncId: string; key: string }) => W | undefined | Promise<W | undefined>;
  /** The source id of a record. Default: its `id` property (a string or number). */
  keyOf?: (record: R) => string;
  state: StateStore;
  /** Records per `writeBatch` call (batch destinations). Default 100. */
  batchSize?: number;
  /** Record writes (or batches) in flight at once. Default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  telemetry?: Telemetry;
  retry?: SyncRetryOptions;
  /** The integration point for audit and telemetry. Default: the sync id. */
  integrationPoint?: string;
  /** The destination's (or source's) connector id, for audit and telemetry. */
  connector?: string;
  /** What set this run off, for the audit trail. Default `manual`. */
  trigger?: AuditTrigger;
  /** Write an audit record per page. Default true. */
  audit?: boolean;
  /** Time source (tests). */
  clock?: Clock;
}

/** What a completed sync run did. */
export interface SyncResult {
  syncId: string;
  /** A fresh id per run, on every audit record and event of the run. */
  runId: string;
  /** Whether the run started from a saved checkpoint. */
  resumed: boolean;
  /** Pages committed by this run. */
  pages: number;
  /** Records read by this run. */
  records: number;
  /** Records written by this run. */
  written: number;
  /** Records the mapper skipped. */
  skipped: number;
  /** The checkpoint saved last (the source's last page), or the one the run started from. */
  checkpoint: unknown;
  durationMs: number;
}
