import { createHash, randomUUID } from 'node:crypto';
import {
  AbortedError,
  ConfigError,
  createTelemetry,
  HmiError,
  isHmiError,
  RateLimitError,
  type Telemetry,
  ValidationError,
} from '@hmi/core';
import { backoffDelay } from '@hmi/core/internal';
import { isRetryable, SyncError, type SyncStage, toSafeErrorJson } from '../errors.js';
import type { AuditEntry } from '../store/types.js';
import { type Clock, systemClock } from '../util/clock.js';
import { parseDuration } from '../util/duration.js';
import type { BatchWriter, RunSyncOptions, SyncPage, SyncResult, SyncSource, SyncSourceHandle } from './types.js';

/** A read failure, kept apart from write failures so only reads reopen the source. */
class ReadFailure {
  constructor(readonly error: unknown) {}
}

/** A step that already gave up with a SyncError. */
class GaveUp {
  constructor(readonly error: SyncError) {}
}

/**
 * Runs a sync: reads pages from `source` (resuming after the saved checkpoint), maps each record,
 * writes them to `destination` as upserts keyed by source id, and only then saves the page's
 * checkpoint (with its audit record, in one transaction). At-least-once: a crash at any point
 * replays at most the page in flight, which an upserting destination absorbs.
 *
 * Failed reads, writes and checkpoint saves are retried (see {@link SyncRetryOptions}); a read is
 * retried by reopening the source at the last committed checkpoint. When retries run out, or an
 * error is not retryable, the run fails with a {@link SyncError} and the checkpoint stays at the
 * last committed page. An aborted `signal` fails it with AbortedError the same way.
 */
export async function runSync<R, C = unknown, W = R>(options: RunSyncOptions<R, C, W>): Promise<SyncResult> {
  const { id: syncId, state, signal } = options;
  if (typeof syncId !== 'string' || syncId.length === 0) throw new ConfigError('runSync needs a non-empty id');
  const batchSize = positiveInt(options.batchSize ?? 100, 'batchSize');
  const concurrency = positiveInt(options.concurrency ?? 4, 'concurrency');
  const retries = options.retry?.retries ?? 5;
  const minDelayMs = parseDuration(options.retry?.minDelay ?? '500ms', 'retry.minDelay');
  const maxDelayMs = parseDuration(options.retry?.maxDelay ?? '30s', 'retry.maxDelay');
  const clock: Clock = options.clock ?? systemClock;
  const telemetry: Telemetry = options.telemetry ?? createTelemetry();
  const integrationPoint = options.integrationPoint ?? syncId;
  const connector = options.connector;
  const trigger = options.trigger ?? 'manual';
  const audit = options.audit !== false;
  const keyOf = options.keyOf ?? defaultKeyOf;
  if (!isSource(options.source))
    throw new ConfigError('runSync source must be a stream handle, a read function or an async iterable');
  const destination = options.destination as unknown;
  if (typeof destination !== 'function' && !isBatchWriter(destination)) {
    throw new ConfigError('runSync destination must be a function or an object with writeBatch');
  }
  const runId = randomUUID();
  const ctx = { syncId, runId, integrationPoint, connector };
  const started = performance.now();

  const stats = { pages: 0, records: 0, written: 0, skipped: 0 };
  const saved = await state.getCheckpoint(syncId);
  let committed = saved?.checkpoint as C | undefined;
  telemetry.emit('sync:start', { ...ctx, resumed: saved !== undefined, trigger });

  const giveUp = (stage: SyncStage, error: unknown, attempts: number): SyncError => {
    // A foreign error's message may quote a record: keep only its class name.
    const cause = isHmiError(error)
      ? error
      : new HmiError(`${stage} ${toSafeErrorJson(error).message}`, { code: 'internal_error', retryable: true });
    return new SyncError(`sync "${syncId}" failed at ${stage} after ${attempts} attempt(s): ${cause.code}`, {
      syncId,
      stage,
      pagesCommitted: stats.pages,
      recordsWritten: stats.written,
      connector: cause.connector ?? connector,
      status: cause.status,
      cause,
    });
  };

  const checkAbort = () => {
    if (signal?.aborted) throw new AbortedError(`sync "${syncId}" aborted`, { connector });
  };

  /** Runs `step` with bounded retries and backoff; throws GaveUp when they run out. */
  const withRetries = async <T>(stage: SyncStage, step: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      checkAbort();
      try {
        return await step();
      } catch (error) {
        if (AbortedError.isInstance(error) || signal?.aborted) throw error;
        if (!isRetryable(error) || attempt > retries) throw new GaveUp(giveUp(stage, error, attempt));
        const waitMs = retryWait(error, attempt, minDelayMs, maxDelayMs);
        telemetry.emit('sync:retry', { ...ctx, stage, attempt, waitMs, errorCode: toSafeErrorJson(error).code });
        await clock.sleep(waitMs, signal);
      }
    }
  };

  const writePage = async (page: SyncPage<R, C>, pageStarted: number) => {
    // Later records of a page supersede earlier ones with the same key; the mapper runs once each.
    const latest = new Map<string, R>();
    for (const record of page.records) {
      let key: string;
      try {
        key = keyOf(record);
      } catch (error) {
        throw new GaveUp(giveUp('map', error, 1));
      }
      if (typeof key !== 'string' || key.length === 0) {
        throw new GaveUp(giveUp('map', new ValidationError('a record has no usable source id; pass keyOf'), 1));
      }
      latest.delete(key);
      latest.set(key, record);
    }
    const mapped: Array<{ key: string; record: W }> = [];
    for (const [key, record] of latest) {
      let out: W | undefined;
      try {
        out = options.map ? await options.map(record, { syncId, key }) : (record as unknown as W);
      } catch (error) {
        throw new GaveUp(giveUp('map', error, 1));
      }
      if (out === undefined) stats.skipped++;
      else mapped.push({ key, record: out });
    }
    const destination = options.destination;
    if (isBatchWriter(destination)) {
      const batches = chunk(mapped, batchSize);
      await pool(batches, concurrency, (batch) => withRetries('write', () => destination.writeBatch(batch, { signal })));
    } else {
      await pool(mapped, concurrency, ({ key, record }) =>
        withRetries('write', () => destination(record, { key, idempotencyKey: idempotencyKey(syncId, key, record), signal })),
      );
    }
    const entries: AuditEntry[] = audit
      ? [
          {
            integrationPoint,
            connector,
            operation: 'sync.write',
            recordIds: mapped.map((m) => m.key),
            outcome: 'success',
            trigger,
            durationMs: Math.round(performance.now() - pageStarted),
            correlationId: runId,
          },
        ]
      : [];
    await withRetries('checkpoint', () => state.setCheckpoint(syncId, page.checkpoint, entries));
    committed = page.checkpoint;
    stats.pages++;
    stats.records += page.records.length;
    stats.written += mapped.length;
    telemetry.emit('sync:page', {
      ...ctx,
      page: stats.pages,
      records: page.records.length,
      written: mapped.length,
      skipped: page.records.length - mapped.length,
      totalRecords: stats.records,
      durationMs: performance.now() - pageStarted,
    });
  };

  const resumable = !isAsyncIterable(options.source);
  let readFailures = 0;
  try {
    for (;;) {
      const iterator = open(options.source, committed, signal)[Symbol.asyncIterator]();
      let finished = false;
      try {
        for (;;) {
          checkAbort();
          const pageStarted = performance.now();
          let next: IteratorResult<SyncPage<R, C>>;
          try {
            next = await iterator.next();
          } catch (error) {
            throw new ReadFailure(error);
          }
          if (next.done) {
            finished = true;
            break;
          }
          if (!next.value || !Array.isArray(next.value.records)) {
            throw new GaveUp(giveUp('read', new ValidationError('the source yielded a page without a records array'), 1));
          }
          await writePage(next.value, pageStarted);
          readFailures = 0;
        }
      } catch (error) {
        if (!(error instanceof ReadFailure)) {
          await iterator.return?.().catch(() => {});
          throw error;
        }
        const cause = error.error;
        if (AbortedError.isInstance(cause) || signal?.aborted) throw cause;
        readFailures++;
        if (!resumable || !isRetryable(cause) || readFailures > retries) throw new GaveUp(giveUp('read', cause, readFailures));
        const waitMs = retryWait(cause, readFailures, minDelayMs, maxDelayMs);
        telemetry.emit('sync:retry', {
          ...ctx,
          stage: 'read',
          attempt: readFailures,
          waitMs,
          errorCode: toSafeErrorJson(cause).code,
        });
        await clock.sleep(waitMs, signal);
      }
      if (finished) break;
    }
  } catch (error) {
    const failure = error instanceof GaveUp ? error.error : isHmiError(error) ? error : giveUp('read', error, 1);
    const final = signal?.aborted && !AbortedError.isInstance(failure) ? new AbortedError(`sync "${syncId}" aborted`) : failure;
    telemetry.emit('sync:end', {
      ...ctx,
      ok: false,
      ...pick(stats),
      durationMs: performance.now() - started,
      errorCode: final.code,
    });
    if (audit) {
      await state
        .appendAudit({
          integrationPoint,
          connector,
          operation: 'sync.run',
          outcome: 'failure',
          trigger,
          errorCode: final.code,
          durationMs: Math.round(performance.now() - started),
          correlationId: runId,
        })
        .catch(() => {});
    }
    throw final;
  }
  const durationMs = performance.now() - started;
  telemetry.emit('sync:end', { ...ctx, ok: true, ...pick(stats), durationMs });
  return { syncId, runId, resumed: saved !== undefined, ...stats, checkpoint: committed, durationMs };
}

function pick(stats: { pages: number; records: number }) {
  return { pages: stats.pages, records: stats.records };
}

function retryWait(error: unknown, attempt: number, minDelayMs: number, maxDelayMs: number): number {
  const backoff = backoffDelay(attempt, { minDelayMs, maxDelayMs });
  const asked = RateLimitError.isInstance(error) ? error.retryAfterMs : undefined;
  return asked === undefined ? backoff : Math.min(maxDelayMs, Math.max(asked, backoff));
}

function open<R, C>(source: SyncSource<R, C>, checkpoint: C | undefined, signal: AbortSignal | undefined) {
  const options = checkpoint === undefined ? { signal } : { checkpoint, signal };
  if (typeof source === 'function') return source(options);
  if (isAsyncIterable(source)) return source;
  return (source as SyncSourceHandle<R, C>).read(options);
}

function isSource(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as { read?: unknown }).read === 'function' || Symbol.asyncIterator in value;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && !('read' in value);
}

function isBatchWriter<W>(value: unknown): value is BatchWriter<W> {
  return typeof value === 'object' && value !== null && typeof (value as BatchWriter<W>).writeBatch === 'function';
}

function defaultKeyOf(record: unknown): string {
  const id = (record as { id?: unknown } | null)?.id;
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  throw new ValidationError('a record has no string or number id; pass keyOf');
}

/** `hmi-sync:<sync>:<key>:<content hash>`: same record, same key; changed record, new key. */
function idempotencyKey(syncId: string, key: string, record: unknown): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(record) ?? '')
    .digest('base64url')
    .slice(0, 16);
  return `hmi-sync:${syncId}:${key}:${hash}`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `fn` over `items` with at most `limit` at once; the first failure wins after all settle. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${what} must be a positive integer`);
  return value;
}
