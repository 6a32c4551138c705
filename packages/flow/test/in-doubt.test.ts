import { ApiError, createTelemetry, HmiError, RateLimitError } from '@hmi/core';
import {
  type ClaimedItem,
  createMemoryStateStore,
  createOutboxWorker,
  isPermanentFailure,
  type OutboxWorkerOptions,
  type ReconcileResult,
} from '@hmi/flow';
import { createManualClock } from '@hmi/flow/testing';
import { describe, expect, it } from 'vitest';

const LEASE = 60_000;
const never = new Promise<never>(() => {});

/**
 * A vendor without idempotency keys (an SMS gateway) and a worker that dies mid-send: worker A's
 * delivery sends (or not) and then never returns, as if the process was SIGKILLed; its lease runs
 * out and worker B, sharing the store, takes the item over.
 */
async function crashMidSend(options: {
  sendBeforeDying: (id: string) => boolean;
  worker: Omit<OutboxWorkerOptions, 'store' | 'deliver' | 'clock'>;
  ids?: string[];
  topic?: string;
  vendor?: Array<{ id: string; key: string; by: string }>;
}) {
  const clock = createManualClock();
  const store = createMemoryStateStore({ now: clock.now });
  const telemetry = createTelemetry();
  const decisions: string[] = [];
  telemetry.on('outbox:in_doubt', (e) => decisions.push(`${e.itemId}:${e.decision}`));
  const vendor = options.vendor ?? [];
  const ids = options.ids ?? ['m1'];
  await store.enqueue(ids.map((id) => ({ id, topic: options.topic ?? 'deliver:sms', payload: { to: '+966555123456' } })));

  const a = createOutboxWorker({
    store,
    clock,
    lease: LEASE,
    concurrency: ids.length,
    deliver: async (item, ctx) => {
      if (options.sendBeforeDying(item.id)) vendor.push({ id: item.id, key: ctx.idempotencyKey, by: 'A' });
      return never;
    },
  });
  void a.runOnce();
  await clock.advance(0);
  expect(vendor.length).toBe(ids.filter(options.sendBeforeDying).length);
  for (const id of ids) expect((await store.getItem(id))?.attemptStartedAt, 'marked before the send').toBeDefined();

  await clock.advance(LEASE + 1);
  const b = createOutboxWorker({
    store,
    clock,
    lease: LEASE,
    telemetry,
    random: () => 0.5,
    deliver: async (item, ctx) => void vendor.push({ id: item.id, key: ctx.idempotencyKey, by: 'B' }),
    ...options.worker,
  });
  await b.drain();
  return { store, vendor, decisions, clock, b };
}

/** A reconciler that asks the vendor's log, as Twilio's and SendGrid's look-ups do. */
const lookup =
  (vendor: () => Array<{ id: string }>) =>
  async (item: ClaimedItem): Promise<ReconcileResult> =>
    vendor().some((m) => m.id === item.id) ? 'sent' : 'not_sent';

describe('in-doubt items (a worker died mid-send)', () => {
  it('keyless without a reconciler: held in the dead-letter queue with code in_doubt, never resent', async () => {
    const { store, vendor, decisions } = await crashMidSend({
      sendBeforeDying: () => true,
      worker: { keyless: ['deliver:sms'] },
    });
    expect(vendor.map((m) => m.by)).toEqual(['A']);
    const item = await store.getItem('m1');
    expect(item).toMatchObject({ status: 'dead', lastError: { code: 'in_doubt', retryable: false } });
    expect(decisions).toEqual(['m1:held']);
  });

  it('keyless with a reconciler: sent ones complete without a resend, unsent ones go out once', async () => {
    const log: Array<{ id: string; key: string; by: string }> = [];
    const { store, vendor, decisions } = await crashMidSend({
      ids: ['sent-before-crash', 'crashed-before-send'],
      sendBeforeDying: (id) => id === 'sent-before-crash',
      vendor: log,
      worker: { reconcile: { 'deliver:sms': lookup(() => log) } },
    });
    expect(vendor.map((m) => `${m.id}:${m.by}`).sort()).toEqual(['crashed-before-send:B', 'sent-before-crash:A']);
    expect((await store.getItem('sent-before-crash'))?.status).toBe('done');
    expect((await store.getItem('crashed-before-send'))?.status).toBe('done');
    expect(decisions.sort()).toEqual(['crashed-before-send:reconciled_not_sent', 'sent-before-crash:reconciled_sent']);
    const audit = await store.queryAudit({ recordId: 'sent-before-crash' });
    expect(audit.map((r) => [r.outcome, r.trigger])).toEqual([['success', 'reconcile']]);
  });

  it("a reconciler's 'unknown' holds the item for a human; a pattern key matches the topic", async () => {
    const { store, vendor } = await crashMidSend({
      sendBeforeDying: () => true,
      worker: { reconcile: { 'deliver:*': async () => 'unknown' } },
    });
    expect(vendor).toHaveLength(1);
    expect((await store.getItem('m1'))?.lastError?.code).toBe('in_doubt');
  });

  it('a failing reconciler is asked again after the lease, and gives up to the DLQ after maxInDoubtMs', async () => {
    let calls = 0;
    const { store, vendor, decisions, clock, b } = await crashMidSend({
      sendBeforeDying: () => true,
      worker: {
        reconcile: {
          'deliver:sms': async () => {
            calls++;
            throw new Error('lookup API down');
          },
        },
        maxInDoubtMs: 3 * LEASE,
      },
    });
    expect(calls).toBe(1);
    expect((await store.getItem('m1'))?.status).toBe('pending');
    for (let i = 0; i < 3; i++) {
      await clock.advance(LEASE + 1);
      await b.drain();
    }
    expect(calls).toBe(3);
    expect(decisions).toEqual(['m1:reconcile_failed', 'm1:reconcile_failed', 'm1:held']);
    expect((await store.getItem('m1'))?.lastError?.code).toBe('in_doubt');
    expect(vendor).toHaveLength(1);
  });

  it('a keyed topic is sent again with the same idempotency key', async () => {
    const { store, vendor, decisions } = await crashMidSend({
      topic: 'deliver:stripe',
      sendBeforeDying: () => true,
      worker: { keyless: ['deliver:sms'] },
    });
    expect(vendor.map((m) => `${m.by}:${m.key}`)).toEqual(['A:m1', 'B:m1']);
    expect((await store.getItem('m1'))?.status).toBe('done');
    expect(decisions).toEqual(['m1:retry_same_key']);
  });

  it('an outcome-unknown failure of a keyless write is reconciled, not resent blindly', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    const sent: string[] = [];
    const worker = createOutboxWorker({
      store,
      clock,
      reconcile: { 'deliver:email': async (item) => (sent.includes(item.id) ? 'sent' : 'not_sent') },
      deliver: async (item) => {
        sent.push(item.id);
        // The request went out and the connection dropped before the answer.
        throw new HmiError('connection reset after send', { code: 'network_error', outcomeUnknown: true });
      },
    });
    await store.enqueue([{ id: 'e1', topic: 'deliver:email', payload: {} }]);
    await worker.drain();
    expect(sent).toEqual(['e1']);
    expect((await store.getItem('e1'))?.status).toBe('done');

    const noReconciler = createOutboxWorker({
      store,
      clock,
      deliver: async () => {
        throw new HmiError('timeout after send', { code: 'timeout', outcomeUnknown: true, status: 504 });
      },
    });
    await store.enqueue([{ id: 'e2', topic: 'deliver:email', payload: {} }]);
    await noReconciler.drain();
    expect((await store.getItem('e2'))?.lastError).toMatchObject({ code: 'in_doubt', status: 504 });
  });
});

describe('keyless failures that do not prove nothing happened', () => {
  it('a reset, a timeout or a 5xx of a keyless send is reconciled; a 4xx or notProcessed is an ordinary failure', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    const gateway = new Map<string, number>();
    const failures: Record<string, () => Error> = {
      reset: () => new Error('socket hang up'),
      '503': () => Object.assign(new Error('unavailable'), { status: 503 }),
      '400': () => Object.assign(new Error('invalid number'), { status: 400 }),
      refused: () => new HmiError('connection refused', { code: 'network_error', retryable: true, notProcessed: true }),
    };
    const worker = createOutboxWorker({
      store,
      clock,
      random: () => 0.5,
      schedule: ['1s'],
      reconcile: { 'deliver:sms': async (item) => (gateway.has(item.id) ? 'sent' : 'not_sent') },
      deliver: async (item) => {
        const kind = (item.payload as { fail: string }).fail;
        // The reset and the 503 come after the gateway took the message; the others before.
        if (kind === 'reset' || kind === '503') gateway.set(item.id, (gateway.get(item.id) ?? 0) + 1);
        if (item.attempts === 0) throw failures[kind]!();
        gateway.set(item.id, (gateway.get(item.id) ?? 0) + 1);
      },
    });
    await store.enqueue(Object.keys(failures).map((fail) => ({ id: fail, topic: 'deliver:sms', payload: { fail } })));
    await worker.drain();
    await clock.advance(2000);
    await worker.drain();
    expect(Object.fromEntries(gateway)).toEqual({ reset: 1, '503': 1, refused: 1 });
    expect((await store.getItem('reset'))?.status).toBe('done');
    expect((await store.getItem('503'))?.status).toBe('done');
    expect((await store.getItem('refused'))?.status).toBe('done');
    expect(await store.getItem('400')).toMatchObject({ status: 'dead', attempts: 1 });
  });

  it('without a reconciler, a keyless send that may have gone is held, never resent', async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    let sends = 0;
    const worker = createOutboxWorker({
      store,
      clock,
      keyless: ['deliver:email'],
      deliver: async () => {
        sends++;
        throw new Error('aborted');
      },
    });
    await store.enqueue([{ id: 'e', topic: 'deliver:email', payload: {} }]);
    await worker.drain();
    await clock.advance(3_600_000);
    await worker.drain();
    expect(sends).toBe(1);
    expect((await store.getItem('e'))?.lastError?.code).toBe('in_doubt');
  });
});

describe('failure classes', () => {
  it('a 4xx other than 408, 409, 425 and 429 is permanent, from hmi errors and foreign ones alike', () => {
    const foreign = (status: number) => Object.assign(new Error('x'), { status });
    expect([400, 401, 403, 404, 422].map((s) => isPermanentFailure(foreign(s)))).toEqual([true, true, true, true, true]);
    expect([408, 409, 425, 429, 500, 503].map((s) => isPermanentFailure(foreign(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isPermanentFailure(Object.assign(new Error('x'), { statusCode: 404 }))).toBe(true);
    expect(isPermanentFailure(new Error('socket hang up'))).toBe(false);
    expect(isPermanentFailure(new ApiError('bad', { status: 400, retryable: false }))).toBe(true);
    expect(isPermanentFailure(new RateLimitError('slow down'))).toBe(false);
  });

  it("waits at least the vendor's Retry-After before the next attempt", async () => {
    const clock = createManualClock();
    const store = createMemoryStateStore({ now: clock.now });
    const worker = createOutboxWorker({
      store,
      clock,
      random: () => 0.5,
      deliver: async () => {
        throw new RateLimitError('slow down', { retryAfterMs: 90_000 });
      },
    });
    await store.enqueue([{ id: 'r', topic: 't', payload: 1 }]);
    await worker.runOnce();
    expect((await store.getItem('r'))?.availableAt).toBe(clock.now() + 90_000);
  });
});
