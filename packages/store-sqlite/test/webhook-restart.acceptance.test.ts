import { mkdtempSync, rmSync } from 'node:fs';
import { type LoopbackListener, listenOnLoopback } from '@hmi/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hmac, type WebhookEvent } from '@hmi/core';
import { createWebhookHandler, toNodeHandler, type WebhookHandler } from '@hmi/flow';
import { createSqliteStateStore, type SqliteStateStore } from '@hmi/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { hmacConnector } from '../../flow/test/fixtures/hmac-connector.js';

const SECRET = 'whsec_acceptance_0123456789';
const UNIQUE = 850;
const DUPLICATES = 100;
const BAD = 50;

/** A small seeded PRNG (mulberry32) so the scenario is the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Delivery = { kind: 'valid' | 'duplicate' | 'bad'; id: string };

function scenario(): Delivery[] {
  const random = prng(42);
  const list: Delivery[] = Array.from({ length: UNIQUE }, (_, i) => ({ kind: 'valid', id: `evt_${i}` }));
  for (let i = 0; i < BAD; i++) list.push({ kind: 'bad', id: `evt_bad_${i}` });
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  // Duplicates re-send an event already delivered, half of them across the restart (at 500).
  for (let d = 0; d < DUPLICATES; d++) {
    const at = d < DUPLICATES / 2 ? 500 + Math.floor(random() * 400) : 50 + Math.floor(random() * 850);
    const earlier = list.slice(0, Math.min(at, d < DUPLICATES / 2 ? 450 : at)).filter((x) => x.kind === 'valid');
    const original = earlier[Math.floor(random() * earlier.length)]!;
    list.splice(at, 0, { kind: 'duplicate', id: original.id });
  }
  return list;
}

describe('acceptance: 1,000 webhook deliveries, 10% duplicates, 5% bad signatures, restart in the middle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmi-webhook-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('processes every valid event once, refuses every bad one with 401, loses nothing', { timeout: 120_000 }, async () => {
    const deliveries = scenario();
    expect(deliveries).toHaveLength(1000);
    const processedOk = new Map<string, number>();
    const attempts = new Map<string, number>();
    const random = prng(7);
    const failFirst = new Set(Array.from({ length: UNIQUE }, (_, i) => `evt_${i}`).filter(() => random() < 0.1));

    const onEvent = async (event: WebhookEvent) => {
      const n = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, n);
      await new Promise((r) => setTimeout(r, 2));
      if (n === 1 && failFirst.has(event.id)) throw new Error('the CRM is briefly unavailable');
      processedOk.set(event.id, (processedOk.get(event.id) ?? 0) + 1);
    };

    const acme = hmacConnector.create({ signingSecret: SECRET });
    const start = async () => {
      const store = createSqliteStateStore({ path: join(dir, 'state.db') });
      const handler = createWebhookHandler({
        connectors: { acme },
        store,
        onEvent,
        processing: { concurrency: 2, pollInterval: '20ms', schedule: ['20ms', '50ms', '100ms'] },
      });
      const server = await listenOnLoopback(toNodeHandler(handler));
      return { store, handler, server, url: `${server.url}/webhooks/acme` };
    };
    const stop = async (i: { store: SqliteStateStore; handler: WebhookHandler; server: LoopbackListener }) => {
      await i.server.close();
      await i.handler.close();
      await i.store.close();
    };

    const statuses: Record<Delivery['kind'], number[]> = { valid: [], duplicate: [], bad: [] };
    const latencies: number[] = [];
    const send = async (url: string, d: Delivery) => {
      const body = JSON.stringify({
        id: d.id,
        type: 'appointment.booked',
        data: { patient: 'عائشة الكناري', phone: '+966555000111' },
      });
      const signature = hmac('sha256', d.kind === 'bad' ? 'an-attacker-guess' : SECRET, body);
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-acme-signature': signature },
        body,
      });
      latencies.push(performance.now() - started);
      await res.arrayBuffer();
      statuses[d.kind].push(res.status);
    };
    const deliverRange = async (url: string, from: number, to: number) => {
      for (let i = from; i < to; i += 20) await Promise.all(deliveries.slice(i, Math.min(to, i + 20)).map((d) => send(url, d)));
    };

    let instance = await start();
    await deliverRange(instance.url, 0, 500);
    await stop(instance);
    const carried = await (async () => {
      const s = createSqliteStateStore({ path: join(dir, 'state.db') });
      try {
        return (await s.outboxStats()).pending;
      } finally {
        await s.close();
      }
    })();
    // The restart happened with work still queued: that work must survive it.
    expect(carried).toBeGreaterThan(0);

    instance = await start();
    await deliverRange(instance.url, 500, 1000);
    for (let i = 0; i < 400; i++) {
      const stats = await instance.store.outboxStats();
      if (stats.pending === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const stats = await instance.store.outboxStats();
    const audit = await instance.store.queryAudit({ operation: 'webhook.received', limit: 10_000 });
    await stop(instance);

    expect(statuses.bad).toHaveLength(BAD);
    expect(statuses.bad.every((s) => s === 401)).toBe(true);
    expect(statuses.valid.every((s) => s === 200)).toBe(true);
    expect(statuses.duplicate).toHaveLength(DUPLICATES);
    expect(statuses.duplicate.every((s) => s === 200)).toBe(true);
    expect(stats).toEqual({ pending: 0, leased: 0, done: UNIQUE, dead: 0 });
    expect(processedOk.size).toBe(UNIQUE);
    expect([...processedOk.values()].every((n) => n === 1)).toBe(true);
    expect([...processedOk.keys()].some((id) => id.startsWith('evt_bad'))).toBe(false);
    expect([...attempts.values()].filter((n) => n > 1).length).toBe(failFirst.size);
    const count = (outcome: string) =>
      audit.filter((a) => a.outcome === outcome).reduce((n, a) => n + Math.max(1, a.recordIds.length), 0);
    expect(count('success')).toBe(UNIQUE);
    expect(count('duplicate')).toBe(DUPLICATES);
    expect(count('rejected')).toBe(BAD);
    latencies.sort((a, b) => a - b);
    console.info(
      `webhook acceptance: ${carried} events carried across the restart; answer latency p50 ${latencies[500]!.toFixed(1)} ms, p99 ${latencies[990]!.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
  });
});
