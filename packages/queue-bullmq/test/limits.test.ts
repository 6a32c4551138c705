import { createTelemetry, RateLimitError } from '@hmi/core';
import '@hmi/flow';
import { createBullmqWorker } from '@hmi/queue-bullmq';
import { createPostgresStateStore } from '@hmi/store-postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanUp, DATABASE_URL, REDIS_URL, servicesUnavailable, uniqueName } from './services.js';

const unavailable = await servicesUnavailable();
const made: Array<[string, string]> = [];
afterAll(async () => {
  if (!unavailable) for (const [schema, prefix] of made) await cleanUp(schema, prefix);
});
function setup(tag: string) {
  const schema = uniqueName(tag);
  const prefix = uniqueName(tag);
  made.push([schema, prefix]);
  return { store: createPostgresStateStore({ connectionString: DATABASE_URL, schema, maxConnections: 6 }), prefix };
}
const until = async (check: () => Promise<boolean> | boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.skipIf(unavailable !== undefined)('cluster-wide limits', () => {
  it("a 429's Retry-After pauses the topic for every worker; other topics go on", async () => {
    const { store, prefix } = setup('pause');
    const sends: Array<{ id: string; at: number; by: string }> = [];
    let refused = false;
    const handlers = (by: string) => ({
      'deliver:sms': async (item: { id: string }) => {
        if (item.id === 's0' && !refused) {
          refused = true;
          throw new RateLimitError('slow down', { retryAfterMs: 1500 });
        }
        sends.push({ id: item.id, at: Date.now(), by });
      },
      'deliver:email': async (item: { id: string }) => void sends.push({ id: item.id, at: Date.now(), by }),
    });
    const options = { connection: REDIS_URL, store, prefix, concurrency: 2, schedule: ['10ms'], sweepInterval: '1m' } as const;
    const a = createBullmqWorker({ ...options, handlers: handlers('a') });
    const b = createBullmqWorker({ ...options, handlers: handlers('b') });
    await a.enqueue([{ id: 's0', topic: 'deliver:sms', payload: {} }]);
    await until(() => refused, 'the 429');
    const pausedAt = Date.now();
    await a.enqueue([
      ...Array.from({ length: 6 }, (_, i) => ({ id: `s${i + 1}`, topic: 'deliver:sms', payload: {} })),
      { id: 'e1', topic: 'deliver:email', payload: {} },
    ]);
    await until(async () => (await store.outboxStats()).done === 8, 'all deliveries');
    const sms = sends.filter((s) => s.id.startsWith('s'));
    expect(sms).toHaveLength(7);
    // No worker sent an SMS during the pause; the email was not held up by it.
    for (const s of sms) expect(s.at - pausedAt).toBeGreaterThanOrEqual(1400);
    expect(sends.find((s) => s.id === 'e1')!.at - pausedAt).toBeLessThan(1400);
    await Promise.all([a.close(), b.close()]);
    await store.close();
  });

  it('scheduled syncs run as repeatable jobs, one run at a time across workers', async () => {
    const { store, prefix } = setup('sync');
    let running = 0;
    let overlap = 0;
    let runs = 0;
    const sync = {
      every: '200ms',
      run: async () => {
        running++;
        if (running > 1) overlap++;
        await new Promise((r) => setTimeout(r, 500)); // longer than the interval
        running--;
        runs++;
      },
    };
    const telemetry = createTelemetry();
    let skipped = 0;
    telemetry.on('sync:skipped', () => void skipped++);
    const workers = [1, 2, 3].map(() =>
      createBullmqWorker({
        connection: REDIS_URL,
        store,
        prefix,
        telemetry,
        handlers: {},
        syncs: { 'ehr-patients': sync },
        sweepInterval: '1m',
      }),
    );
    await until(() => runs >= 3, 'three runs');
    await Promise.all(workers.map((w) => w.close()));
    expect(overlap).toBe(0);
    expect(skipped, 'ticks came while a run was going on elsewhere, and were skipped').toBeGreaterThan(0);
    await store.close();
  });
});
