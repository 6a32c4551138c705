import { ApiError, createTelemetry, ValidationError } from '@hmi/core';
import {
  type ClaimedItem,
  createDeadLetterQueue,
  createMemoryStateStore,
  createOutboxWorker,
  DEFAULT_RETRY_DELAYS,
  nextRetryDelay,
  parseDuration,
} from '@hmi/flow';
import { createManualClock } from '@hmi/flow/testing';
import { describe, expect, it } from 'vitest';

const midpoint = () => 0.5; // no jitter: waits are exactly the schedule's

describe('retry schedule', () => {
  it('is capped exponential over about three days, 15 attempts in all', () => {
    const delays = DEFAULT_RETRY_DELAYS.map((d) => parseDuration(d));
    expect(delays).toHaveLength(14);
    expect(Math.max(...delays)).toBe(12 * 3_600_000);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBe(((75 * 60 + 42) * 60 + 35) * 1000);
    const resolved = { delaysMs: delays, jitter: 0.1 };
    expect(nextRetryDelay(1, resolved, () => 0)).toBe(4500);
    expect(nextRetryDelay(1, resolved, () => 1)).toBe(5500);
    expect(nextRetryDelay(15, resolved)).toBeUndefined();
  });
});

describe('createOutboxWorker', () => {
  it('delivers due items, records audit and telemetry, and drops the payload', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((n) => events.push(n));
    const seen: Array<[string, number, string]> = [];
    const worker = createOutboxWorker({
      store,
      clock,
      telemetry,
      deliver: async (item, ctx) => void seen.push([item.id, ctx.attempt, ctx.idempotencyKey]),
    });
    await store.enqueue([{ id: 'a', topic: 'deliver:crm', payload: { x: 1 }, integrationPoint: 'crm', connector: 'crm' }]);
    await worker.drain();
    expect(seen).toEqual([['a', 1, 'a']]);
    expect((await store.getItem('a'))?.status).toBe('done');
    expect(events).toEqual(['outbox:delivered']);
    const audit = await store.queryAudit();
    expect(audit).toMatchObject([
      { operation: 'outbox.delivery', outcome: 'success', recordIds: ['a'], integrationPoint: 'crm' },
    ]);
  });

  it('retries on the schedule, then moves the item to the dead-letter queue with its error', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    const telemetry = createTelemetry();
    const dead: unknown[] = [];
    telemetry.on('dlq:added', (e) => dead.push(e));
    let attempts = 0;
    const worker = createOutboxWorker({
      store,
      clock,
      telemetry,
      random: midpoint,
      schedule: ['1s', '10s'],
      pollInterval: '100ms',
      deliver: async () => {
        attempts++;
        throw new ApiError('request failed with status 503', { status: 503, retryable: true });
      },
    });
    await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]);
    worker.start();
    await clock.advance(0);
    expect(attempts).toBe(1);
    expect((await store.getItem('a'))?.availableAt).toBe(clock.now() + 1000);
    await clock.advance(999);
    expect(attempts).toBe(1);
    await clock.advance(101);
    expect(attempts).toBe(2);
    await clock.advance(10_000);
    expect(attempts).toBe(3);
    await worker.stop();
    const item = await store.getItem('a');
    expect(item).toMatchObject({ status: 'dead', attempts: 3 });
    expect(item?.lastError).toEqual({
      name: 'ApiError',
      code: 'api_error',
      message: 'request failed with status 503',
      status: 503,
      retryable: true,
    });
    expect(dead).toEqual([{ topic: 't', itemId: 'a', attempts: 3, errorCode: 'api_error' }]);
    expect((await store.queryAudit()).map((r) => r.outcome)).toEqual(['retry', 'retry', 'dead']);
  });

  it('sends a non-retryable failure straight to the dead-letter queue', async () => {
    const store = createMemoryStateStore();
    const worker = createOutboxWorker({
      store,
      deliver: async () => {
        throw new ValidationError('payload does not fit the destination');
      },
    });
    await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]);
    await worker.drain();
    expect(await store.getItem('a')).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('keeps per-key order under concurrency, and a poison item blocks only its own key', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      clock,
      random: midpoint,
      concurrency: 4,
      schedule: ['1m', '1m'],
      deliver: async (item: ClaimedItem) => {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        if (item.id === 'B1') throw new Error('poison');
        delivered.push(item.id);
      },
    });
    const items = [];
    for (let i = 1; i <= 5; i++)
      for (const k of ['A', 'B', 'C']) items.push({ id: `${k}${i}`, topic: 't', payload: i, orderingKey: k });
    await store.enqueue(items);
    await worker.drain();
    const order = (k: string) => delivered.filter((id) => id.startsWith(k));
    expect(order('A')).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(order('C')).toEqual(['C1', 'C2', 'C3', 'C4', 'C5']);
    expect(order('B')).toEqual([]);
    await clock.advance(60_000);
    await worker.drain();
    await clock.advance(60_000);
    await worker.drain();
    expect((await store.getItem('B1'))?.status).toBe('dead');
    expect(order('B')).toEqual(['B2', 'B3', 'B4', 'B5']);
  });

  it('replays dead items idempotently and purges them', async () => {
    const store = createMemoryStateStore();
    const telemetry = createTelemetry();
    const replayed: unknown[] = [];
    telemetry.on('dlq:replayed', (e) => replayed.push(e));
    let fail = true;
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      schedule: [],
      deliver: async (item) => {
        if (fail) throw new Error('down');
        delivered.push(item.id);
      },
    });
    const dlq = createDeadLetterQueue({ store, telemetry, onReplay: worker.notify });
    await store.enqueue([
      { id: 'a', topic: 't', payload: 1 },
      { id: 'b', topic: 't', payload: 2 },
      { id: 'c', topic: 'u', payload: 3 },
    ]);
    await worker.drain();
    expect((await dlq.list()).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect((await dlq.get('a'))?.lastError).toEqual({
      name: 'HmiError',
      code: 'delivery_failed',
      message: 'failed with Error',
      retryable: true,
    });
    fail = false;
    expect(await dlq.replay('a')).toBe(true);
    expect(await dlq.replay('a')).toBe(false);
    await worker.drain();
    expect(delivered).toEqual(['a']);
    expect(await dlq.get('a')).toBeUndefined();
    expect(replayed).toEqual([{ itemId: 'a' }]);
    expect(await dlq.replayAll({ topic: 'u' })).toBe(1);
    await worker.drain();
    expect(delivered).toEqual(['a', 'c']);
    expect(await dlq.purge()).toBe(1);
    expect(await dlq.list()).toEqual([]);
    expect(await store.getItem('b')).toBeUndefined();
  });

  it('stop waits for deliveries in flight and leaves the rest in the store', async () => {
    const store = createMemoryStateStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const delivered: string[] = [];
    const worker = createOutboxWorker({
      store,
      concurrency: 1,
      pollInterval: '10ms',
      deliver: async (item) => {
        await gate;
        delivered.push(item.id);
      },
    });
    await store.enqueue([
      { id: 'a', topic: 't', payload: 1 },
      { id: 'b', topic: 't', payload: 2 },
    ]);
    worker.start();
    await new Promise((r) => setTimeout(r, 20));
    const stopping = worker.stop();
    release();
    await stopping;
    expect(worker.running).toBe(false);
    expect(delivered).toEqual(['a']);
    expect((await store.getItem('b'))?.status).toBe('pending');
  });

  it('filters topics with a prefix', async () => {
    const store = createMemoryStateStore();
    const seen: string[] = [];
    const worker = createOutboxWorker({ store, topics: ['webhook:*'], deliver: async (i) => void seen.push(i.id) });
    await store.enqueue([
      { id: 'w', topic: 'webhook:stripe', payload: 1 },
      { id: 'd', topic: 'deliver:fhir', payload: 1 },
    ]);
    await worker.drain();
    expect(seen).toEqual(['w']);
  });

  it('aborts a delivery shortly before its lease runs out', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    let aborted = false;
    const worker = createOutboxWorker({
      store,
      clock,
      lease: '10s',
      schedule: ['1h'],
      deliver: (_item, ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    });
    await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]);
    const once = worker.runOnce();
    await clock.advance(8_999);
    expect(aborted).toBe(false);
    await clock.advance(1);
    await once;
    expect(aborted).toBe(true);
    expect(await store.getItem('a')).toMatchObject({ status: 'pending', attempts: 1 });
  });
});
