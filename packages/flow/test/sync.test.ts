import { AbortedError, createTelemetry, NetworkError, RateLimitError, ValidationError } from '@hmi/core';
import { createMemoryStateStore, runSync, SyncError } from '@hmi/flow';
import { describe, expect, it } from 'vitest';
import { pagedSource, type Rec, records, upsertDestination } from './fixtures/sources.js';

const fast = { retries: 3, minDelay: '1ms', maxDelay: '5ms' };

describe('runSync', () => {
  it('reads, writes and checkpoints every page, with audit and telemetry', async () => {
    const state = createMemoryStateStore();
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((name) => events.push(name));
    const dest = upsertDestination();
    const result = await runSync({
      id: 'patients',
      source: pagedSource(records(25), 10),
      destination: dest.write,
      state,
      telemetry,
      connector: 'fhir',
    });
    expect(result).toMatchObject({ syncId: 'patients', resumed: false, pages: 3, records: 25, written: 25, skipped: 0 });
    expect(result.checkpoint).toEqual({ offset: 25 });
    expect(dest.rows.size).toBe(25);
    expect((await state.getCheckpoint('patients'))?.checkpoint).toEqual({ offset: 25 });
    expect(events).toEqual(['sync:start', 'sync:page', 'sync:page', 'sync:page', 'sync:end']);
    const audit = await state.queryAudit({ integrationPoint: 'patients' });
    expect(audit.map((a) => [a.operation, a.outcome, a.recordIds.length, a.connector])).toEqual([
      ['sync.write', 'success', 10, 'fhir'],
      ['sync.write', 'success', 10, 'fhir'],
      ['sync.write', 'success', 5, 'fhir'],
    ]);
    expect(audit[0]?.recordIds.slice(0, 2)).toEqual(['r1', 'r2']);
    expect(new Set(audit.map((a) => a.correlationId))).toEqual(new Set([result.runId]));
  });

  it('resumes after the saved checkpoint', async () => {
    const state = createMemoryStateStore();
    await state.setCheckpoint('s', { offset: 20 });
    const source = pagedSource(records(25), 10);
    const dest = upsertDestination();
    const result = await runSync({ id: 's', source, destination: dest.write, state });
    expect(source.reads).toEqual([20]);
    expect(result).toMatchObject({ resumed: true, pages: 1, written: 5 });
    expect([...dest.rows.keys()]).toEqual(['r21', 'r22', 'r23', 'r24', 'r25']);
  });

  it('saves a checkpoint only after its page is written, and keeps it when a later write fails', async () => {
    const state = createMemoryStateStore();
    const dest = upsertDestination();
    const error = await runSync({
      id: 's',
      source: pagedSource(records(30), 10),
      destination: async (r: Rec, ctx) => {
        if (r.id === 'r15') throw new ValidationError('rejected by the destination');
        await dest.write(r, ctx);
      },
      state,
      retry: fast,
    }).catch((e) => e);
    expect(SyncError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ stage: 'write', pagesCommitted: 1, code: 'sync_failed', retryable: false });
    expect(error.cause.code).toBe('validation_error');
    expect((await state.getCheckpoint('s'))?.checkpoint).toEqual({ offset: 10 });
    const failures = await state.queryAudit({ outcome: 'failure' });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ operation: 'sync.run', errorCode: 'sync_failed' });
  });

  it('retries a failed read by reopening the source at the last checkpoint', async () => {
    const state = createMemoryStateStore();
    const telemetry = createTelemetry();
    const retries: unknown[] = [];
    telemetry.on('sync:retry', (e) => retries.push(e));
    let failures = 0;
    const source = pagedSource(records(30), 10, (page) => (page === 1 && failures++ < 2 ? new NetworkError('reset') : undefined));
    const dest = upsertDestination();
    const result = await runSync({ id: 's', source, destination: dest.write, state, telemetry, retry: fast });
    expect(source.reads).toEqual([undefined, 10, 10]);
    expect(result.pages).toBe(3);
    expect(dest.rows.size).toBe(30);
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatchObject({ stage: 'read', attempt: 1, errorCode: 'network_error' });
  });

  it('gives up on reads after the retries, leaving the checkpoint at the last committed page', async () => {
    const state = createMemoryStateStore();
    const source = pagedSource(records(30), 10, (page) => (page === 2 ? new NetworkError('reset') : undefined));
    const error = await runSync({ id: 's', source, destination: upsertDestination().write, state, retry: fast }).catch((e) => e);
    expect(error).toMatchObject({ name: 'SyncError', stage: 'read', pagesCommitted: 2 });
    expect(error.message).toContain('after 4 attempt(s)');
    expect(source.reads).toEqual([undefined, 20, 20, 20]);
    expect((await state.getCheckpoint('s'))?.checkpoint).toEqual({ offset: 20 });
  });

  it('does not retry an error that says it is not retryable', async () => {
    const state = createMemoryStateStore();
    const source = pagedSource(records(10), 10, () => new ValidationError('bad record'));
    const error = await runSync({ id: 's', source, destination: upsertDestination().write, state, retry: fast }).catch((e) => e);
    expect(error).toMatchObject({ stage: 'read' });
    expect(source.reads).toHaveLength(1);
  });

  it("waits at least a rate limit's Retry-After (capped by maxDelay)", async () => {
    const telemetry = createTelemetry();
    const waits: number[] = [];
    telemetry.on('sync:retry', (e) => waits.push(e.waitMs));
    let n = 0;
    await runSync({
      id: 's',
      source: pagedSource(records(5), 5),
      destination: async () => {
        if (n++ === 0) throw new RateLimitError('slow down', { retryAfterMs: 40 });
      },
      state: createMemoryStateStore(),
      telemetry,
      retry: { retries: 2, minDelay: '1ms', maxDelay: '1s' },
      concurrency: 1,
    });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(40);
  });

  it('writes batches of batchSize to a batch destination', async () => {
    const batches: string[][] = [];
    await runSync({
      id: 's',
      source: pagedSource(records(25), 25),
      destination: { writeBatch: async (batch) => void batches.push(batch.map((b) => b.key)) },
      state: createMemoryStateStore(),
      batchSize: 10,
      concurrency: 1,
    });
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches[2]).toEqual(['r21', 'r22', 'r23', 'r24', 'r25']);
  });

  it('maps records, skips undefined, and keeps the last record of a key within a page', async () => {
    const dest = new Map<string, { id: string; upper: number }>();
    const page = [
      { id: 'a', name: 'x', v: 1 },
      { id: 'b', name: 'y', v: 2 },
      { id: 'a', name: 'z', v: 3 },
    ];
    // A sync iterator is not a source: a typed error, not a crash.
    await expect(
      runSync({
        id: 's',
        source: [{ records: page, checkpoint: 1 }].values() as unknown as AsyncIterable<{ records: Rec[]; checkpoint: number }>,
        destination: async () => {},
        state: createMemoryStateStore(),
      }),
    ).rejects.toMatchObject({ name: 'ConfigError' });

    async function* source() {
      yield { records: page, checkpoint: 1 };
    }
    const ok = await runSync({
      id: 's2',
      source: source(),
      destination: async (r: { id: string; upper: number }, ctx) => void dest.set(ctx.key, r),
      map: (r: Rec) => (r.id === 'b' ? undefined : { id: r.id, upper: r.v * 10 }),
      state: createMemoryStateStore(),
    });
    expect(ok).toMatchObject({ records: 3, written: 1, skipped: 1 });
    expect([...dest.entries()]).toEqual([['a', { id: 'a', upper: 30 }]]);
  });

  it('gives each write an idempotency key that is stable for the same content and changes with it', async () => {
    const state = createMemoryStateStore();
    const first = upsertDestination();
    await runSync({ id: 's', source: pagedSource(records(3), 3), destination: first.write, state });
    await state.deleteCheckpoint('s');
    const again = upsertDestination();
    await runSync({ id: 's', source: pagedSource(records(3), 3), destination: again.write, state });
    const changed = upsertDestination();
    await state.deleteCheckpoint('s');
    await runSync({ id: 's', source: pagedSource(records(3, 2), 3), destination: changed.write, state });
    expect(again.calls.map((c) => c.idempotencyKey)).toEqual(first.calls.map((c) => c.idempotencyKey));
    expect(changed.calls[0]?.idempotencyKey).not.toBe(first.calls[0]?.idempotencyKey);
    expect(first.calls[0]?.idempotencyKey).toMatch(/^hmi-sync:s:r1:/);
  });

  it('stops with AbortedError when aborted, keeping the committed checkpoint', async () => {
    const state = createMemoryStateStore();
    const controller = new AbortController();
    const error = await runSync({
      id: 's',
      source: pagedSource(records(50), 10),
      destination: async (r: Rec) => {
        if (r.id === 'r25') controller.abort();
      },
      state,
      signal: controller.signal,
    }).catch((e) => e);
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((await state.getCheckpoint('s'))?.checkpoint).toEqual({ offset: 20 });
  });

  it('fails a plain iterable source without retrying (an iterator cannot restart)', async () => {
    async function* source() {
      yield { records: records(2), checkpoint: 1 };
      throw new NetworkError('reset');
    }
    const state = createMemoryStateStore();
    const error = await runSync({ id: 's', source: source(), destination: upsertDestination().write, state, retry: fast }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ name: 'SyncError', stage: 'read', pagesCommitted: 1 });
    expect((await state.getCheckpoint('s'))?.checkpoint).toBe(1);
  });

  it('refuses records without a usable id unless keyOf is given', async () => {
    const source = async function* () {
      yield { records: [{ mrn: 'm1' }], checkpoint: 1 };
    };
    const state = createMemoryStateStore();
    const error = await runSync({ id: 's', source: source(), destination: async () => {}, state }).catch((e) => e);
    expect(error).toMatchObject({ name: 'SyncError', stage: 'map' });
    expect(error.cause.code).toBe('validation_error');
    const ok = await runSync({ id: 's2', source: source(), destination: async () => {}, state, keyOf: (r) => r.mrn });
    expect(ok.written).toBe(1);
  });

  it('keeps at most `concurrency` writes in flight', async () => {
    let inFlight = 0;
    let max = 0;
    await runSync({
      id: 's',
      source: pagedSource(records(40), 40),
      destination: async () => {
        max = Math.max(max, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
      },
      state: createMemoryStateStore(),
      concurrency: 3,
    });
    expect(max).toBe(3);
  });

  it('rejects bad options with a ConfigError', async () => {
    const base = { source: pagedSource([], 1), destination: async () => {}, state: createMemoryStateStore() };
    await expect(runSync({ ...base, id: '' })).rejects.toMatchObject({ name: 'ConfigError' });
    await expect(runSync({ ...base, id: 's', concurrency: 0 })).rejects.toMatchObject({ name: 'ConfigError' });
    await expect(runSync({ ...base, id: 's', retry: { minDelay: 'soon' } })).rejects.toMatchObject({ name: 'ConfigError' });
  });
});
