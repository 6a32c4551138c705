import { ApiError, createTelemetry } from '@hmi/core';
import { createBullmqProducer, createBullmqWorker, registerQueueMetrics } from '@hmi/queue-bullmq';
import { createPostgresStateStore } from '@hmi/store-postgres';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, DATABASE_URL, deleteRedisKeys, REDIS_URL, servicesUnavailable, uniqueName } from './services.js';

const unavailable = await servicesUnavailable();
const made: Array<[string, string]> = [];
afterAll(async () => {
  if (!unavailable) for (const [schema, prefix] of made) await cleanUp(schema, prefix);
});

function setup(tag: string) {
  const schema = uniqueName(tag);
  const prefix = uniqueName(tag);
  made.push([schema, prefix]);
  const store = createPostgresStateStore({ connectionString: DATABASE_URL, schema, maxConnections: 4 });
  return { store, prefix };
}

const until = async (check: () => Promise<boolean>, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(unavailable !== undefined)('createBullmqWorker', () => {
  it('delivers, retries transient failures, dead-letters permanent ones after one attempt, keeps key order', async () => {
    const { store, prefix } = setup('basic');
    const calls = new Map<string, number>();
    const order: string[] = [];
    const telemetry = createTelemetry();
    const worker = createBullmqWorker({
      connection: REDIS_URL,
      store,
      prefix,
      telemetry,
      concurrency: 4,
      schedule: ['50ms', '50ms', '50ms'],
      sweepInterval: '200ms',
      handlers: {
        'deliver:sms': async (item) => {
          const n = (calls.get(item.id) ?? 0) + 1;
          calls.set(item.id, n);
          const { fail } = item.payload as { fail?: number };
          if (fail === 400) throw Object.assign(new Error('bad number'), { status: 400 });
          if (fail === 503 && n < 3) throw new ApiError('unavailable', { status: 503, retryable: true });
          if (item.orderingKey) order.push(item.id);
        },
      },
    });
    await worker.enqueue([
      { id: 'ok', topic: 'deliver:sms', payload: {} },
      { id: 'bad', topic: 'deliver:sms', payload: { fail: 400 } },
      { id: 'flaky', topic: 'deliver:sms', payload: { fail: 503 } },
      ...Array.from({ length: 6 }, (_, i) => ({
        id: `k${i}`,
        topic: 'deliver:sms',
        payload: { fail: i === 1 ? 503 : 0 },
        orderingKey: 'P',
      })),
    ]);
    await until(async () => (await store.outboxStats()).pending === 0, 'the outbox to drain');
    expect(await store.outboxStats()).toMatchObject({ done: 8, dead: 1 });
    expect(calls.get('bad')).toBe(1);
    expect(calls.get('flaky')).toBe(3);
    expect(order).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(await store.getItem('bad')).toMatchObject({ status: 'dead', attempts: 1 });

    const registry = new Registry();
    registerQueueMetrics(registry, worker);
    const text = await registry.metrics();
    expect(text).toMatch(/hmi_queue_jobs\{topic="deliver:sms",queue="outbox\.deliver_sms\.[0-9a-f]{8}",state="waiting"\} 0/);
    await worker.close();
    await store.close();
  });

  it('a Redis flush loses nothing: the sweeper re-adds jobs for pending items', async () => {
    const { store, prefix } = setup('flush');
    const delivered = new Set<string>();
    await store.enqueue(Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, topic: 'deliver:email', payload: { i } })));
    await deleteRedisKeys(prefix); // nothing was ever added to Redis for these: as if flushed
    const worker = createBullmqWorker({
      connection: REDIS_URL,
      store,
      prefix,
      sweepInterval: '200ms',
      handlers: { 'deliver:email': async (item) => void delivered.add(item.id) },
    });
    await until(async () => (await store.outboxStats()).done === 30, 'all 30 deliveries');
    expect(delivered.size).toBe(30);
    await worker.close();
    await store.close();
  });

  it("a producer's store adds the job with every enqueue (a webhook receiver needs no sweep)", async () => {
    const { store, prefix } = setup('producer');
    const delivered: string[] = [];
    const worker = createBullmqWorker({
      connection: REDIS_URL,
      store,
      prefix,
      sweepInterval: '1h',
      handlers: { 'webhook:stripe': async (item) => void delivered.push(item.id) },
    });
    const producer = createBullmqProducer({ connection: REDIS_URL, store, prefix });
    await until(async () => (await worker.queueCounts()).length === 1, 'the worker');
    const results = await producer.store.enqueue([{ id: 'webhook:stripe:evt_1', topic: 'webhook:stripe', payload: {} }]);
    expect(results).toEqual([{ id: 'webhook:stripe:evt_1', created: true }]);
    await until(async () => delivered.length === 1, 'the webhook event to be processed', 10_000);
    expect(await producer.store.enqueue([{ id: 'webhook:stripe:evt_1', topic: 'webhook:stripe', payload: {} }])).toEqual([
      { id: 'webhook:stripe:evt_1', created: false },
    ]);
    await producer.close();
    await worker.close();
    await store.close();
  });

  it('jobs carry the item id only, never its payload', async () => {
    const { store, prefix } = setup('phi');
    const worker = createBullmqWorker({
      connection: REDIS_URL,
      store,
      prefix,
      sweepInterval: '1h',
      handlers: { 'deliver:sms': () => new Promise(() => {}) },
      concurrency: 1,
    });
    await worker.enqueue([
      { id: 'a', topic: 'deliver:sms', payload: { to: '+966555123456', name: 'Zarqa Canarya' } },
      { id: 'b', topic: 'deliver:sms', payload: { to: '+201001234567', body: 'نتائج تحاليلكم جاهزة' } },
    ]);
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    const dump: string[] = [];
    for await (const keys of redis.scanStream({ match: `${prefix}:*` })) {
      for (const key of keys as string[]) {
        const type = await redis.type(key);
        if (type === 'hash') dump.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'string') dump.push(String(await redis.get(key)));
        else if (type === 'list') dump.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      }
    }
    redis.disconnect();
    const all = dump.join('\n');
    expect(all).toContain('"data":"{\\"id\\":\\"a\\"}"');
    for (const canary of ['966555123456', 'Zarqa', '201001234567', 'نتائج']) expect(all).not.toContain(canary);
    await worker.close({ timeoutMs: 100 });
    await store.close();
  });
});
