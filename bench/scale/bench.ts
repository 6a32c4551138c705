import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createOutboxWorker, type OutboxEnqueue, type StateStore } from '../../packages/flow/src/index.js';
import { createBullmqProducer, createBullmqWorker } from '../../packages/queue-bullmq/src/index.js';
import { createSqliteStateStore } from '../../packages/store-sqlite/src/index.js';
import { createPostgresStateStore } from '../../packages/store-postgres/src/index.js';
import { bundleWorkerChild } from '../../packages/queue-bullmq/test/fixtures/bundle-child.js';
import { cleanUp, DATABASE_URL, REDIS_URL, servicesUnavailable, uniqueName } from '../../packages/queue-bullmq/test/services.js';

const { values } = parseArgs({
  options: {
    'per-run': { type: 'string', default: '400' },
    deliveries: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '8' },
    latency: { type: 'string', default: '50' },
  },
});
const PER_RUN = Number(values['per-run']);
const DELIVERIES = Number(values.deliveries);
const CONCURRENCY = Number(values.concurrency);
const LATENCY = Number(values.latency);

/** A loopback vendor: records each delivery once (Idempotency-Key), answers after `latency` ms. */
async function startVendor(latency: number) {
  let effects = 0;
  let last = 0;
  const seen = new Set<string>();
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!seen.has(key)) {
      seen.add(key);
      effects++;
      last = performance.now();
    }
    const reply = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (latency > 0) setTimeout(reply, latency);
    else reply();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    effects: () => effects,
    last: () => last,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const items = (n: number, tag: string): OutboxEnqueue[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${tag}-${i}`, topic: 'deliver:payment', payload: { amount: i, currency: 'SAR' } }));

const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** N worker processes (the acceptance test's worker) deliver PER_RUN items; deliveries per second. */
async function processes(workers: number, child: string): Promise<number> {
  const vendor = await startVendor(LATENCY);
  const schema = uniqueName('bench');
  const prefix = uniqueName('bench');
  const store = createPostgresStateStore({ connectionString: DATABASE_URL, schema });
  await store.ready();
  const settings = {
    databaseUrl: DATABASE_URL,
    schema,
    redisUrl: REDIS_URL,
    prefix,
    vendor: vendor.url,
    concurrency: CONCURRENCY,
    lease: '2m',
    lockDuration: '30s',
    sweepInterval: '1m',
    schedule: ['1s'],
  };
  const children: ChildProcess[] = [];
  try {
    await Promise.all(
      Array.from({ length: workers }, () => {
        const proc = fork(child, [], {
          env: { ...process.env, HMI_CHILD: JSON.stringify(settings) },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        children.push(proc);
        return new Promise((resolve) => proc.once('message', resolve));
      }),
    );
    const producer = createBullmqProducer({ connection: REDIS_URL, store, prefix });
    const start = performance.now();
    await producer.enqueue(items(PER_RUN, `w${workers}`));
    await until(() => vendor.effects() >= PER_RUN, 300_000);
    const rate = PER_RUN / ((vendor.last() - start) / 1000);
    await producer.close();
    return rate;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('exit', r)))));
    await store.close();
    await vendor.close();
    await cleanUp(schema, prefix);
  }
}

/** One worker in this process delivers DELIVERIES items to an instant vendor: wall and CPU per delivery. */
async function costPerDelivery(kind: 'sqlite' | 'bullmq'): Promise<{ rate: number; wallMs: number; cpuUs: number }> {
  const vendor = await startVendor(0);
  const deliver = async (item: { id: string }, ctx: { idempotencyKey: string; signal: AbortSignal }) => {
    const r = await fetch(`${vendor.url}/send`, {
      method: 'POST',
      headers: { 'idempotency-key': ctx.idempotencyKey, 'content-type': 'application/json' },
      body: JSON.stringify({ id: item.id }),
      signal: ctx.signal,
    });
    await r.arrayBuffer();
  };
  const dir = mkdtempSync(join(tmpdir(), 'hmi-bench-scale-'));
  const schema = uniqueName('cost');
  const prefix = uniqueName('cost');
  let store: StateStore;
  let stop: () => Promise<void>;
  let enqueue: (list: OutboxEnqueue[]) => Promise<unknown>;
  if (kind === 'sqlite') {
    store = createSqliteStateStore({ path: join(dir, 'state.db') });
    const worker = createOutboxWorker({ store, deliver, concurrency: CONCURRENCY, pollInterval: '50ms' });
    enqueue = async (list) => {
      await store.enqueue(list);
      worker.notify();
    };
    worker.start();
    stop = () => worker.stop();
  } else {
    store = createPostgresStateStore({ connectionString: DATABASE_URL, schema });
    await (store as ReturnType<typeof createPostgresStateStore>).ready();
    const worker = createBullmqWorker({
      connection: REDIS_URL,
      store,
      prefix,
      concurrency: CONCURRENCY,
      handlers: { 'deliver:payment': deliver },
    });
    enqueue = (list) => worker.enqueue(list);
    stop = () => worker.close();
  }
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < DELIVERIES; i += 1000) await enqueue(items(Math.min(1000, DELIVERIES - i), `${kind}-${i}`));
    await until(() => vendor.effects() >= DELIVERIES, 600_000);
    const wallMs = vendor.last() - start;
    const used = process.cpuUsage(cpu);
    return { rate: DELIVERIES / (wallMs / 1000), wallMs: wallMs / DELIVERIES, cpuUs: (used.user + used.system) / DELIVERIES };
  } finally {
    await stop();
    await store.close();
    await vendor.close();
    rmSync(dir, { recursive: true, force: true });
    if (kind === 'bullmq') await cleanUp(schema, prefix);
  }
}

const reason = await servicesUnavailable();
if (reason) {
  console.log(`bench/scale needs PostgreSQL and Redis: ${reason}`);
  process.exit(process.env.HMI_REQUIRE_SERVICES === '1' ? 1 : 0);
}
const child = await bundleWorkerChild();
console.log(
  `worker processes, each concurrency ${CONCURRENCY}, vendor answering in ${LATENCY} ms, ${PER_RUN} deliveries per run`,
);
const rates: Record<number, number> = {};
for (const workers of [1, 2, 4]) {
  rates[workers] = await processes(workers, child);
  const ratio = workers === 1 ? '' : `  (${(rates[workers]! / rates[1]!).toFixed(2)}x one worker)`;
  console.log(`  ${workers} worker process${workers > 1 ? 'es' : ''}: ${rates[workers]!.toFixed(0)} deliveries/s${ratio}`);
}
console.log(
  `\n${DELIVERIES} deliveries, one worker, concurrency ${CONCURRENCY}, vendor answering at once (the cost of the machinery)`,
);
const sqlite = await costPerDelivery('sqlite');
const bullmq = await costPerDelivery('bullmq');
const line = (name: string, r: typeof sqlite) =>
  console.log(
    `  ${name}: ${r.rate.toFixed(0)} deliveries/s, ${r.wallMs.toFixed(2)} ms wall and ${r.cpuUs.toFixed(0)} µs worker CPU per delivery`,
  );
line('SQLite + in-process (peer: the embedded default)', sqlite);
line('Postgres + BullMQ          ', bullmq);
console.log(
  `  ratio: Postgres + BullMQ costs ${(bullmq.wallMs / sqlite.wallMs).toFixed(2)}x the wall time per delivery (${(bullmq.wallMs - sqlite.wallMs).toFixed(2)} ms more)`,
);
console.log(
  `  (server CPU of PostgreSQL and Redis is not in the worker CPU figure; the machine's load average was ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
);
