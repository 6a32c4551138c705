import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { hmac } from '../../packages/core/src/index.js';
import { createWebhookHandler, runSync, type SyncPage } from '../../packages/flow/src/index.js';
import { createSqliteStateStore } from '../../packages/store-sqlite/src/index.js';
import { hmacConnector } from '../../packages/flow/test/fixtures/hmac-connector.js';

// better-sqlite3 is a dependency of @hmi/store-sqlite, not of the workspace root.
const require = createRequire(new URL('../../packages/store-sqlite/package.json', import.meta.url));
const Database: new (path: string) => any = require('better-sqlite3');

const RECORDS = Number(process.env.FLOW_BENCH_RECORDS ?? 20_000);
const SYNC_MODES = (process.env.FLOW_BENCH_SYNC ?? 'FULL,NORMAL').split(',') as Array<'FULL' | 'NORMAL'>;
const WEBHOOKS = Number(process.env.FLOW_BENCH_WEBHOOKS ?? 1000);
const PAGE = 500;
const dir = mkdtempSync(join(tmpdir(), 'hmi-flow-bench-'));
let files = 0;
const file = () => join(dir, `f${++files}.db`);

type Rec = { id: string; name: string; phone: string };
const records: Rec[] = Array.from({ length: RECORDS }, (_, i) => ({
  id: `p${i}`,
  name: `عائشة ${i}`,
  phone: `+9665${String(i).padStart(8, '0')}`,
}));
async function* pages(): AsyncIterable<SyncPage<Rec, number>> {
  for (let i = 0; i < records.length; i += PAGE) yield { records: records.slice(i, i + PAGE), checkpoint: i + PAGE };
}

function destination(sync: 'FULL' | 'NORMAL') {
  const db = new Database(file());
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync}`);
  db.exec('CREATE TABLE patients (id TEXT PRIMARY KEY, name TEXT, phone TEXT); CREATE TABLE cp (id TEXT PRIMARY KEY, v TEXT)');
  const upsert = db.prepare(
    'INSERT INTO patients VALUES (@id, @name, @phone) ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone',
  );
  const batch = db.transaction((rows: Rec[]) => {
    for (const r of rows) upsert.run(r);
  });
  const cp = db.prepare('INSERT INTO cp VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v');
  return { db, upsert, batch, cp };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const rows: string[][] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

for (const sync of SYNC_MODES) {
  // Baseline: the same pages and batch upserts, with a checkpoint row after each page, by hand.
  const base = destination(sync);
  const baseMs = await timed(async () => {
    for await (const page of pages()) {
      base.batch(page.records as Rec[]);
      base.cp.run('s', JSON.stringify(page.checkpoint));
    }
  });
  base.db.close();
  // Baseline for record writers: one autocommitted upsert per record (what a per-record destination does).
  const base2 = destination(sync);
  const base2Ms = await timed(async () => {
    for await (const page of pages()) {
      for (const r of page.records) {
        await Promise.resolve();
        base2.upsert.run(r);
      }
      base2.cp.run('s', JSON.stringify(page.checkpoint));
    }
  });
  base2.db.close();

  const dest = destination(sync);
  const state = createSqliteStateStore({ path: file(), synchronous: sync === 'FULL' ? 'full' : 'normal' });
  const batchMs = await timed(() =>
    runSync({
      id: 'bench',
      source: pages(),
      destination: { writeBatch: async (b) => dest.batch(b.map((x) => x.record)) },
      state,
      batchSize: PAGE,
    }),
  );
  await state.close();
  const state2 = createSqliteStateStore({ path: file(), synchronous: sync === 'FULL' ? 'full' : 'normal' });
  const dest2 = destination(sync);
  const recordMs = await timed(() =>
    runSync({
      id: 'bench',
      source: pages(),
      destination: async (r: Rec) => void dest2.upsert.run(r),
      state: state2,
      concurrency: 4,
    }),
  );
  await state2.close();
  dest.db.close();
  dest2.db.close();
  const rate = (ms: number) => (RECORDS * 1000) / ms;
  rows.push([
    `sync ${RECORDS} records, store ${sync}`,
    'runSync, batch writer',
    `${fmt(rate(batchMs))} rec/s`,
    'hand-written loop',
    `${fmt(rate(baseMs))} rec/s`,
    (rate(batchMs) / rate(baseMs)).toFixed(2),
  ]);
  rows.push([
    `sync ${RECORDS} records, store ${sync}`,
    'runSync, record writer ×4',
    `${fmt(rate(recordMs))} rec/s`,
    'hand-written per-record loop',
    `${fmt(rate(base2Ms))} rec/s`,
    (rate(recordMs) / rate(base2Ms)).toFixed(2),
  ]);
}

const SECRET = 'whsec_bench_0123456789';
const acme = hmacConnector.create({ signingSecret: SECRET });
const request = (i: number) => {
  const body = JSON.stringify({ id: `evt_${i}`, type: 'appointment.booked', data: { patient: 'عائشة', phone: '+966555000111' } });
  return new Request('https://crm.example/webhooks/acme', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-acme-signature': hmac('sha256', SECRET, body) },
    body,
  });
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function latencies(handler: (r: Request) => Promise<Response>, concurrency: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < WEBHOOKS; i += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, WEBHOOKS - i) }, async (_, k) => {
        const req = request(i + k);
        const t0 = performance.now();
        const res = await handler(req);
        out.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`status ${res.status}`);
      }),
    );
  }
  return out;
}

for (const sync of SYNC_MODES.map((m) => m.toLowerCase() as 'full' | 'normal')) {
  for (const concurrency of [1, 20]) {
    // Baseline: verify the HMAC, insert the event into a table, answer 200.
    const db = new Database(file());
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${sync.toUpperCase()}`);
    db.exec('CREATE TABLE events (id TEXT PRIMARY KEY, body TEXT)');
    const insert = db.prepare('INSERT OR IGNORE INTO events VALUES (?, ?)');
    const baseline = async (req: Request) => {
      const raw = new Uint8Array(await req.arrayBuffer());
      if (hmac('sha256', SECRET, raw) !== req.headers.get('x-acme-signature')) return new Response(null, { status: 401 });
      const event = JSON.parse(new TextDecoder().decode(raw));
      insert.run(event.id, JSON.stringify(event));
      return new Response('{}', { status: 200 });
    };
    const base = await latencies(baseline, concurrency);
    db.close();

    const store = createSqliteStateStore({ path: file(), synchronous: sync });
    const handler = createWebhookHandler({
      connectors: { acme },
      store,
      onEvent: async () => {},
      processing: { concurrency: 4 },
    });
    const ours = await latencies(handler, concurrency);
    await handler.close();
    await store.close();
    for (const p of [50, 99]) {
      rows.push([
        `webhook answer p${p}, ${concurrency} at once, synchronous=${sync}`,
        'createWebhookHandler (+ processing)',
        `${pct(ours, p).toFixed(2)} ms`,
        'hand-written verify+insert',
        `${pct(base, p).toFixed(2)} ms`,
        (pct(ours, p) / pct(base, p)).toFixed(2),
      ]);
    }
  }
}

rmSync(dir, { recursive: true, force: true });
const header = ['case', 'hmi', 'value', 'peer', 'peer value', 'ratio (hmi/peer)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log('\nrec/s: higher is better (ratio > 1 is faster than the peer). ms: lower is better (ratio < 1 is faster).');
