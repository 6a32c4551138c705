import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { OutboxEnqueue } from '@hmi/flow';
import { createPostgresStateStore, type PostgresStateStore } from '@hmi/store-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkerChild } from './fixtures/bundle-child.js';
import { cleanUp, DATABASE_URL, deleteRedisKeys, REDIS_URL, servicesUnavailable, uniqueName } from './services.js';

const unavailable = await servicesUnavailable();
const pkgDir = fileURLToPath(new URL('..', import.meta.url));

const PAYMENTS = 240;
const SMS = 120;
const SMS_RATE = { max: 30, durationMs: 1000 };
// Refused for good by the vendor (400): each must land in the dead-letter queue after one attempt.
const PERMANENT = new Set(['pay-7', 'pay-100', 'pay-201', 'sms-13', 'sms-77']);

/**
 * A loopback vendor with both kinds of API. Payments carry an Idempotency-Key, which it
 * deduplicates like Stripe; SMS carry none, like Twilio, and it records every send, so a duplicate
 * shows. 10 % of requests fail with 503 before any effect. It answers after 20 ms, after the
 * effect, so a worker killed mid-run leaves sends whose outcome it never recorded.
 */
function startVendor() {
  const effects = new Map<string, { pid: number; at: number }>();
  const byKey = new Map<string, string[]>();
  const smsDuplicates: string[] = [];
  const smsArrivals: number[] = [];
  let keyReplays = 0;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://vendor');
    if (url.pathname === '/lookup') {
      res.setHeader('content-type', 'application/json');
      return void res.end(JSON.stringify({ found: effects.has(url.searchParams.get('id') ?? '') }));
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString()) as {
      id: string;
      topic: string;
      orderingKey: string | null;
      pid: number;
    };
    const sms = body.topic === 'deliver:sms';
    if (sms) smsArrivals.push(performance.now());
    const reply = (status: number) => setTimeout(() => res.writeHead(status).end(), 20);
    if (PERMANENT.has(body.id)) return reply(400);
    if (Math.random() < 0.1) return reply(503);
    const key = req.headers['idempotency-key'];
    if (!sms && key !== body.id) return reply(400);
    if (effects.has(body.id)) {
      if (sms) smsDuplicates.push(body.id);
      else keyReplays++; // the same key again: the vendor answers as before, no second effect
      return reply(200);
    }
    effects.set(body.id, { pid: body.pid, at: performance.now() });
    if (body.orderingKey) byKey.set(body.orderingKey, [...(byKey.get(body.orderingKey) ?? []), body.id]);
    reply(200);
  });
  return { server, effects, byKey, smsDuplicates, smsArrivals, replays: () => keyReplays };
}

describe.skipIf(unavailable !== undefined)('acceptance: 3 worker processes, SIGKILL, Redis flush', () => {
  const schema = uniqueName('cluster');
  const prefix = uniqueName('cluster');
  const vendor = startVendor();
  let store: PostgresStateStore;
  let server: Server;
  let child: string;
  const children: ChildProcess[] = [];
  const items: OutboxEnqueue[] = [
    ...Array.from({ length: PAYMENTS }, (_, i) => ({
      id: `pay-${i}`,
      topic: 'deliver:payment',
      payload: { amount: 100 + i, currency: 'SAR' },
      orderingKey: i % 5 === 0 ? undefined : `patient-${i % 24}`,
    })),
    ...Array.from({ length: SMS }, (_, i) => ({
      id: `sms-${i}`,
      topic: 'deliver:sms',
      payload: { to: '+966555123456', body: 'موعدكم غدًا' },
      orderingKey: i % 2 === 0 ? `patient-${i % 12}` : undefined,
    })),
  ];

  beforeAll(async () => {
    server = vendor.server;
    child = await bundleWorkerChild();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    store = createPostgresStateStore({ connectionString: DATABASE_URL, schema });
    await store.ready();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await store?.close();
    await new Promise((resolve) => server.close(resolve));
    await cleanUp(schema, prefix);
  });

  const spawnWorker = () => {
    const settings = {
      databaseUrl: DATABASE_URL,
      schema,
      redisUrl: REDIS_URL,
      prefix,
      vendor: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      concurrency: 6,
      smsRate: SMS_RATE,
      lease: '8s',
      lockDuration: '2s',
      sweepInterval: '5s',
      schedule: ['100ms', '200ms', '400ms', '800ms', '1s', '1s', '1s', '1s'],
    };
    const proc = fork(child, [], {
      cwd: pkgDir,
      execArgv: [],
      env: { ...process.env, HMI_CHILD: JSON.stringify(settings) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(proc);
    return new Promise<ChildProcess>((resolve, reject) => {
      proc.once('message', () => resolve(proc));
      proc.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
  };
  const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms: number) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await store.outboxStats())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('delivers every item once, keeps each key in order, never exceeds the SMS rate, dead-letters exactly the refused', async () => {
    // Half is enqueued before any worker runs, half while they run: the sweeper finds all of it.
    const t0 = Date.now();
    const marks: string[] = [];
    const mark = (what: string) => marks.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    await store.enqueue(items.slice(0, 180));
    const [victim] = await Promise.all([spawnWorker(), spawnWorker(), spawnWorker()]);
    mark('workers ready');
    await store.enqueue(items.slice(180));

    await waitFor(
      () => [...vendor.effects.values()].filter((e) => e.pid === victim!.pid).length >= 10,
      'the victim to deliver',
      30_000,
    );
    victim!.kill('SIGKILL');
    mark('SIGKILL');
    const killedAt = vendor.effects.size;

    await waitFor(() => vendor.effects.size >= killedAt + 60, 'more deliveries', 30_000);
    const flushed = await deleteRedisKeys(prefix);
    const pendingAtFlush = (await store.outboxStats()).pending;
    mark('flush');

    await waitFor(async () => (await store.outboxStats()).pending === 0, 'the outbox to drain', 45_000);
    const stats = await store.outboxStats();
    mark('drained');

    const survivors = children.filter((c) => c !== victim);
    const exits = survivors.map((c) => new Promise((resolve) => c.once('exit', (code, signal) => resolve(code ?? signal))));
    for (const c of survivors) c.kill('SIGTERM');
    expect(await Promise.all(exits), 'graceful exit on SIGTERM').toEqual([0, 0]);

    const expected = items.filter((i) => !PERMANENT.has(i.id));
    expect(stats).toEqual({ pending: 0, leased: 0, done: expected.length, dead: PERMANENT.size });
    expect(flushed, 'Redis held jobs when it was flushed').toBeGreaterThan(0);
    expect(pendingAtFlush, 'work was pending when Redis was flushed').toBeGreaterThan(0);

    // Every item's effect happened exactly once at the vendor.
    expect(vendor.effects.size).toBe(expected.length);
    for (const item of expected) expect(vendor.effects.has(item.id), item.id).toBe(true);
    expect(vendor.smsDuplicates, 'no keyless SMS sent twice').toEqual([]);

    // The dead-letter queue holds exactly the refused items, each after one attempt.
    const dead = await store.listDlq({ limit: 100 });
    expect(dead.map((d) => d.id).sort()).toEqual([...PERMANENT].sort());
    for (const d of dead) expect(d.attempts).toBe(1);

    // Per ordering key, effects in enqueue order.
    for (const [key, ids] of vendor.byKey) {
      const order = expected.filter((i) => i.orderingKey === key).map((i) => i.id);
      expect(ids, key).toEqual(order);
    }

    // The cluster-wide SMS limit: never more than `max` arrivals in any window of `durationMs`.
    const times = [...vendor.smsArrivals].sort((a, b) => a - b);
    let busiest = 0;
    for (let j = 0, i = 0; j < times.length; j++) {
      while (times[j]! - times[i]! >= SMS_RATE.durationMs) i++;
      busiest = Math.max(busiest, j - i + 1);
    }
    expect(busiest).toBeLessThanOrEqual(SMS_RATE.max);
    expect(busiest, 'the limit was actually reached (the test can fail)').toBeGreaterThan(SMS_RATE.max / 2);
    console.log(
      `cluster: ${expected.length} delivered, ${dead.length} dead, ${vendor.replays()} keyed resends deduplicated, ` +
        `busiest SMS second ${busiest}/${SMS_RATE.max}, ${flushed} Redis keys flushed with ${pendingAtFlush} pending; ${marks.join(', ')}`,
    );
  }, 120_000);
});
