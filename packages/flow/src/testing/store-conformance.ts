import assert from 'node:assert/strict';
import type { SerializedHmiError } from '@hmi/core';
import type { StateStore } from '../store/types.js';

/** Options of {@link runStateStoreConformance}. */
export interface StateStoreConformanceOptions<S extends StateStore = StateStore> {
  /** Makes a fresh, empty store whose clock is `now`. */
  create(now: () => number): Promise<S> | S;
  /** Reopens the same storage after `close()` (persistent stores). Omit for in-memory stores. */
  reopen?(closed: S, now: () => number): Promise<S> | S;
  /** The test function of your runner: vitest's `it`, `node:test`'s `test`. */
  test(name: string, fn: () => Promise<void>): void;
  /** The grouping function of your runner (`describe`); tests are flat without it. */
  describe?(name: string, fn: () => void): void;
}

const ERROR: SerializedHmiError = {
  name: 'ApiError',
  code: 'api_error',
  message: 'request failed with status 503',
  retryable: true,
};
const T0 = Date.UTC(2025, 0, 1);

/**
 * The behaviour every {@link StateStore} must have, as a test suite any runner can run (assertions
 * use `node:assert`). `@hmi/flow` runs it on the memory store, `@hmi/store-sqlite` on SQLite; a new
 * store (Postgres, Redis) proves itself by passing it:
 *
 * ```ts
 * import { describe, it } from 'vitest';
 * import { runStateStoreConformance } from '@hmi/flow/testing';
 * runStateStoreConformance('my store', { create: (now) => createMyStore({ now }), test: it, describe });
 * ```
 */
export function runStateStoreConformance<S extends StateStore>(name: string, options: StateStoreConformanceOptions<S>): void {
  const group = options.describe ?? ((_: string, fn: () => void) => fn());
  const t = (title: string, fn: (store: S, clock: { now: () => number; set(v: number): void }) => Promise<void>) =>
    options.test(title, async () => {
      let time = T0;
      const clock = { now: () => time, set: (v: number) => void (time = v) };
      const store = await options.create(clock.now);
      try {
        await fn(store, clock);
      } finally {
        await store.close().catch(() => {});
      }
    });

  group(`StateStore conformance: ${name}`, () => {
    t('checkpoints: missing, round trip, overwrite, isolation, delete', async (store) => {
      assert.equal(await store.getCheckpoint('s1'), undefined);
      const value = { cursor: 'abc', n: 3, nested: { list: [1, 'عائشة'], ok: true, none: null } };
      await store.setCheckpoint('s1', value);
      const got = await store.getCheckpoint('s1');
      assert.deepEqual(got, { syncId: 's1', checkpoint: value, updatedAt: T0 });
      await store.setCheckpoint('s1', 'page-2');
      await store.setCheckpoint('s2', 7);
      assert.equal((await store.getCheckpoint('s1'))?.checkpoint, 'page-2');
      assert.equal((await store.getCheckpoint('s2'))?.checkpoint, 7);
      await store.deleteCheckpoint('s1');
      assert.equal(await store.getCheckpoint('s1'), undefined);
      assert.equal((await store.getCheckpoint('s2'))?.checkpoint, 7);
    });

    t('setCheckpoint appends its audit records atomically; a bad checkpoint changes nothing', async (store) => {
      const entry = { integrationPoint: 'ip', operation: 'sync.write', outcome: 'success', trigger: 'manual' } as const;
      await store.setCheckpoint('s', { page: 1 }, [{ ...entry, recordIds: ['a', 'b'] }]);
      await assert.rejects(store.setCheckpoint('s', { big: 1n }, [entry]));
      assert.deepEqual((await store.getCheckpoint('s'))?.checkpoint, { page: 1 });
      const audit = await store.queryAudit();
      assert.equal(audit.length, 1);
      assert.deepEqual(audit[0]?.recordIds, ['a', 'b']);
    });

    t('markSeen is true once per key and namespace, and honours TTL', async (store, clock) => {
      assert.equal(await store.markSeen('ns', 'k'), true);
      assert.equal(await store.markSeen('ns', 'k'), false);
      assert.equal(await store.markSeen('other', 'k'), true);
      assert.equal(await store.markSeen('ns', 'ttl', 1000), true);
      clock.set(T0 + 999);
      assert.equal(await store.markSeen('ns', 'ttl', 1000), false);
      clock.set(T0 + 1000);
      assert.equal(await store.markSeen('ns', 'ttl', 1000), true);
      clock.set(T0 + 5000);
      assert.equal(await store.pruneSeen(), 1);
      assert.equal(await store.markSeen('ns', 'k'), false, 'keys without TTL are kept');
    });

    t('markSeen is atomic under concurrent calls', async (store) => {
      const results = await Promise.all(Array.from({ length: 25 }, () => store.markSeen('ns', 'race')));
      assert.equal(results.filter(Boolean).length, 1);
    });

    t('enqueue dedupes by id, also after completion and death, and is atomic', async (store) => {
      const r1 = await store.enqueue([
        { id: 'a', topic: 't', payload: { x: 1 } },
        { id: 'a', topic: 't', payload: { x: 2 } },
        { id: 'b', topic: 't', payload: null },
      ]);
      assert.deepEqual(r1, [
        { id: 'a', created: true },
        { id: 'a', created: false },
        { id: 'b', created: true },
      ]);
      assert.deepEqual((await store.getItem('a'))?.payload, { x: 1 });
      const [a, b] = await store.claim({ limit: 10, leaseMs: 1000 });
      assert.ok(a && b);
      assert.equal(await store.complete(a.id, a.leaseToken), true);
      assert.equal(await store.moveToDlq(b.id, b.leaseToken, ERROR), true);
      assert.deepEqual(await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]), [{ id: 'a', created: false }]);
      assert.deepEqual(await store.enqueue([{ id: 'b', topic: 't', payload: 1 }]), [{ id: 'b', created: false }]);
      await assert.rejects(
        store.enqueue([
          { id: 'c', topic: 't', payload: 1 },
          { id: 'd', topic: 't', payload: { bad: 1n } },
        ]),
      );
      assert.equal(await store.getItem('c'), undefined, 'a failed batch leaves nothing behind');
    });

    t('enqueue appends its audit records in the same transaction', async (store) => {
      await store.enqueue(
        [{ id: 'a', topic: 't', payload: 1 }],
        [{ integrationPoint: 'ip', operation: 'outbox.enqueue', outcome: 'success', trigger: 'manual', recordIds: ['a'] }],
      );
      assert.deepEqual(
        (await store.queryAudit()).map((r) => r.recordIds),
        [['a']],
      );
    });

    t('enqueue takes its audit records as a function of the results', async (store) => {
      await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]);
      await store.enqueue(
        [
          { id: 'a', topic: 't', payload: 1 },
          { id: 'b', topic: 't', payload: 2 },
        ],
        (results) => [
          {
            integrationPoint: 'ip',
            operation: 'webhook.received',
            trigger: 'webhook',
            outcome: 'duplicate',
            recordIds: results.filter((r) => !r.created).map((r) => r.id),
          },
        ],
      );
      assert.deepEqual(
        (await store.queryAudit()).map((r) => [r.outcome, r.recordIds]),
        [['duplicate', ['a']]],
      );
    });

    t('complete, fail and moveToDlq write their audit records only when they take', async (store, clock) => {
      const entry = (outcome: 'success' | 'retry' | 'dead') =>
        [{ integrationPoint: 'ip', operation: 'outbox.delivery', outcome, trigger: 'outbox' }] as const;
      await store.enqueue([
        { id: 'a', topic: 't', payload: 1 },
        { id: 'b', topic: 't', payload: 1 },
        { id: 'c', topic: 't', payload: 1 },
      ]);
      const [a, b, c] = await store.claim({ limit: 3, leaseMs: 1000 });
      assert.equal(await store.complete('a', 'wrong-token', entry('success')), false);
      assert.equal(await store.complete('a', a!.leaseToken, entry('success')), true);
      assert.equal(await store.fail('b', b!.leaseToken, { error: ERROR, nextAttemptAt: T0 + 1 }, entry('retry')), true);
      clock.set(T0 + 5000);
      assert.equal(await store.moveToDlq('c', c!.leaseToken, ERROR, entry('dead')), false, 'lease ran out');
      assert.deepEqual(
        (await store.queryAudit()).map((r) => r.outcome),
        ['success', 'retry'],
      );
    });

    t('concurrent writes are isolated: one failing write does not undo the others', async (store) => {
      const results = await Promise.allSettled([
        store.enqueue([{ id: 'ok1', topic: 't', payload: 1 }]),
        store.enqueue([{ id: 'bad', topic: 't', payload: { n: 1n } }]),
        store.setCheckpoint('s', 1),
        store.markSeen('ns', 'k'),
        store.setCheckpoint('s2', { bad: 1n }),
        store.enqueue([{ id: 'ok2', topic: 't', payload: 2 }]),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      const rejected = results[1] as PromiseRejectedResult;
      assert.equal(rejected.reason?.name, 'ValidationError');
      assert.equal((await store.getItem('ok1'))?.status, 'pending');
      assert.equal((await store.getItem('ok2'))?.status, 'pending');
      assert.equal(await store.getItem('bad'), undefined);
      assert.equal((await store.getCheckpoint('s'))?.checkpoint, 1);
      assert.equal(await store.getCheckpoint('s2'), undefined);
    });

    t('claim honours availableAt, limit, topics and leases', async (store, clock) => {
      await store.enqueue([
        { id: 'later', topic: 'webhook:stripe', payload: 1, availableAt: T0 + 5000 },
        { id: 'w1', topic: 'webhook:stripe', payload: 1 },
        { id: 'w2', topic: 'webhook:twilio', payload: 1 },
        { id: 'd1', topic: 'deliver:fhir', payload: 1 },
      ]);
      assert.deepEqual(
        (await store.claim({ limit: 10, leaseMs: 1000, topics: ['webhook:*'] })).map((i) => i.id),
        ['w1', 'w2'],
      );
      assert.deepEqual(
        (await store.claim({ limit: 10, leaseMs: 1000 })).map((i) => i.id),
        ['d1'],
        'leased items are not claimed twice',
      );
      clock.set(T0 + 1000);
      const again = await store.claim({ limit: 1, leaseMs: 1000 });
      assert.deepEqual(
        again.map((i) => i.id),
        ['w1'],
        'an expired lease is claimable, limit holds',
      );
      clock.set(T0 + 5000);
      const all = await store.claim({ limit: 10, leaseMs: 1000, topics: ['webhook:stripe'] });
      assert.deepEqual(
        all.map((i) => i.id),
        ['later', 'w1'],
      );
      assert.equal(all[0]?.leaseUntil, T0 + 6000);
    });

    t('a lost lease cannot complete, fail or kill the item', async (store, clock) => {
      await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]);
      const [first] = await store.claim({ limit: 1, leaseMs: 1000 });
      clock.set(T0 + 1500);
      const [second] = await store.claim({ limit: 1, leaseMs: 1000 });
      assert.ok(first && second && first.leaseToken !== second.leaseToken);
      assert.equal(await store.complete('a', first.leaseToken), false);
      assert.equal(await store.fail('a', first.leaseToken, { error: ERROR, nextAttemptAt: T0 }), false);
      assert.equal(await store.moveToDlq('a', first.leaseToken, ERROR), false);
      assert.equal(await store.complete('a', second.leaseToken), true);
      assert.equal(await store.complete('a', second.leaseToken), false, 'completing twice is refused');
      assert.equal(await store.complete('missing', 'x'), false);
    });

    t('complete drops the payload; fail records the error and the next attempt', async (store) => {
      await store.enqueue([
        { id: 'a', topic: 't', payload: { name: 'عائشة' }, integrationPoint: 'ip', connector: 'c', orderingKey: 'p1' },
        { id: 'b', topic: 't', payload: 2 },
      ]);
      const [a, b] = await store.claim({ limit: 2, leaseMs: 1000 });
      assert.ok(a && b);
      assert.equal(a.attempts, 0);
      assert.equal(a.integrationPoint, 'ip');
      assert.equal(a.connector, 'c');
      assert.equal(a.orderingKey, 'p1');
      assert.equal(await store.complete('a', a.leaseToken), true);
      const done = await store.getItem('a');
      assert.equal(done?.status, 'done');
      assert.equal(done?.payload, undefined);
      assert.equal(await store.fail('b', b.leaseToken, { error: ERROR, nextAttemptAt: T0 + 30_000 }), true);
      const failed = await store.getItem('b');
      assert.equal(failed?.status, 'pending');
      assert.equal(failed?.attempts, 1);
      assert.equal(failed?.availableAt, T0 + 30_000);
      assert.deepEqual(failed?.lastError, ERROR);
      assert.deepEqual(await store.outboxStats(), { pending: 1, leased: 0, done: 1, dead: 0 });
    });

    t('per-key ordering: one item of a key at a time, a failing key holds up only itself', async (store, clock) => {
      await store.enqueue([
        { id: 'a1', topic: 't', payload: 1, orderingKey: 'A' },
        { id: 'a2', topic: 't', payload: 2, orderingKey: 'A' },
        { id: 'b1', topic: 't', payload: 3, orderingKey: 'B' },
        { id: 'b2', topic: 't', payload: 4, orderingKey: 'B' },
        { id: 'n1', topic: 't', payload: 5 },
      ]);
      const first = await store.claim({ limit: 10, leaseMs: 60_000 });
      assert.deepEqual(
        first.map((i) => i.id),
        ['a1', 'b1', 'n1'],
      );
      const byId = Object.fromEntries(first.map((i) => [i.id, i]));
      await store.fail('a1', byId.a1!.leaseToken, { error: ERROR, nextAttemptAt: T0 + 10_000 });
      await store.complete('b1', byId.b1!.leaseToken);
      const second = await store.claim({ limit: 10, leaseMs: 60_000 });
      assert.deepEqual(
        second.map((i) => i.id),
        ['b2'],
        'a2 waits behind the failing a1; B goes on',
      );
      clock.set(T0 + 10_000);
      const retry = await store.claim({ limit: 10, leaseMs: 60_000 });
      assert.deepEqual(
        retry.map((i) => i.id),
        ['a1'],
      );
      await store.moveToDlq('a1', retry[0]!.leaseToken, ERROR);
      assert.deepEqual(
        (await store.claim({ limit: 10, leaseMs: 60_000 })).map((i) => i.id),
        ['a2'],
        'a dead item no longer blocks its key',
      );
    });

    t('claim by ids takes only those items, and only when the usual rules allow', async (store, clock) => {
      await store.enqueue([
        { id: 'k1', topic: 't', payload: 1, orderingKey: 'K' },
        { id: 'k2', topic: 't', payload: 2, orderingKey: 'K' },
        { id: 'x', topic: 't', payload: 3 },
        { id: 'y', topic: 't', payload: 4, availableAt: T0 + 1000 },
      ]);
      assert.deepEqual(await store.claim({ limit: 5, leaseMs: 1000, ids: ['k2', 'y'] }), [], 'k2 waits for k1; y is not due');
      const [x] = await store.claim({ limit: 5, leaseMs: 1000, ids: ['x'] });
      assert.equal(x?.id, 'x');
      assert.deepEqual(await store.claim({ limit: 5, leaseMs: 1000, ids: ['x'] }), [], 'a leased item is not claimed again');
      const [k1] = await store.claim({ limit: 5, leaseMs: 1000, ids: ['k1', 'k2'] });
      assert.equal(k1?.id, 'k1');
      await store.complete('k1', k1!.leaseToken);
      clock.set(T0 + 1000);
      assert.deepEqual(
        (await store.claim({ limit: 5, leaseMs: 1000, ids: ['k2', 'y'] })).map((i) => i.id),
        ['k2', 'y'],
      );
    });

    t('beginAttempt marks an attempt in flight until its outcome is recorded; a re-claim shows it', async (store, clock) => {
      await store.enqueue([
        { id: 'a', topic: 't', payload: 1 },
        { id: 'b', topic: 't', payload: 2 },
      ]);
      const [a, b] = await store.claim({ limit: 2, leaseMs: 1000 });
      assert.equal(a?.attemptStartedAt, undefined);
      assert.equal(await store.beginAttempt('a', 'wrong'), false);
      clock.set(T0 + 10);
      assert.equal(await store.beginAttempt('a', a!.leaseToken), true);
      assert.equal(await store.beginAttempt('b', b!.leaseToken), true);
      assert.equal((await store.getItem('a'))?.attemptStartedAt, T0 + 10);
      assert.equal(await store.fail('b', b!.leaseToken, { error: ERROR, nextAttemptAt: T0 }), true);
      assert.equal((await store.getItem('b'))?.attemptStartedAt, undefined, 'a recorded outcome clears the mark');
      clock.set(T0 + 2000);
      const again = await store.claim({ limit: 2, leaseMs: 1000 });
      const byId = Object.fromEntries(again.map((i) => [i.id, i]));
      assert.equal(byId.a?.attemptStartedAt, T0 + 10, 'the worker died mid-send: the item is in doubt');
      assert.equal(byId.b?.attemptStartedAt, undefined);
      assert.equal(await store.beginAttempt('a', a!.leaseToken), false, 'the old lease cannot mark');
      assert.equal(await store.complete('a', byId.a!.leaseToken), true);
      assert.equal((await store.getItem('a'))?.attemptStartedAt, undefined);
      assert.equal(await store.beginAttempt('b', byId.b!.leaseToken), true);
      assert.equal(await store.moveToDlq('b', byId.b!.leaseToken, ERROR), true);
      assert.equal((await store.getItem('b'))?.attemptStartedAt, undefined);
    });

    t('listPending pages pending items, optionally only due and unleased ones', async (store) => {
      await store.enqueue([
        { id: 'a', topic: 'deliver:x', payload: 1 },
        { id: 'b', topic: 'webhook:s', payload: 2 },
        { id: 'c', topic: 'deliver:x', payload: 3, availableAt: T0 + 500 },
        { id: 'd', topic: 'deliver:x', payload: 4 },
      ]);
      const [a] = await store.claim({ limit: 1, leaseMs: 1000 });
      await store.complete('a', a!.leaseToken);
      await store.claim({ limit: 1, leaseMs: 1000, ids: ['d'] });
      const ids = (q: Parameters<StateStore['listPending']>[0]) => store.listPending(q).then((r) => r.map((i) => i.id));
      assert.deepEqual(await ids({}), ['b', 'c', 'd']);
      assert.deepEqual(await ids({ topics: ['deliver:*'] }), ['c', 'd']);
      assert.deepEqual(await ids({ dueBy: T0 }), ['b'], 'c is not due, d is leased');
      assert.deepEqual(await ids({ dueBy: T0 + 1000 }), ['b', 'c', 'd'], "d's lease has run out by then");
      assert.deepEqual(await ids({ limit: 1, afterSeq: (await store.getItem('b'))!.seq }), ['c']);
      await store.enqueue([
        { id: 'k2', topic: 't', payload: 1, orderingKey: 'K' },
        { id: 'k1', topic: 't', payload: 1, orderingKey: 'J' },
        { id: 'k3', topic: 't', payload: 1, orderingKey: 'K' },
      ]);
      assert.deepEqual(await ids({ orderingKey: 'K' }), ['k2', 'k3'], "a key's items, its head first");
    });

    t('dead-letter queue: list, page, replay idempotently, purge', async (store, clock) => {
      await store.enqueue([
        { id: 'x', topic: 'webhook:stripe', payload: { v: 1 }, integrationPoint: 'ip1' },
        { id: 'y', topic: 'webhook:twilio', payload: { v: 2 }, integrationPoint: 'ip2' },
        { id: 'z', topic: 'webhook:twilio', payload: { v: 3 } },
        { id: 'p', topic: 'webhook:twilio', payload: { v: 4 }, availableAt: T0 + 1e9 },
      ]);
      const claimed = await store.claim({ limit: 3, leaseMs: 1000 });
      for (const item of claimed) {
        clock.set(clock.now() + 10);
        await store.moveToDlq(item.id, item.leaseToken, ERROR);
      }
      const dead = await store.listDlq();
      assert.deepEqual(
        dead.map((i) => i.id),
        ['x', 'y', 'z'],
      );
      assert.equal(dead[0]?.status, 'dead');
      assert.deepEqual(dead[0]?.payload, { v: 1 }, 'dead items keep their payload for replay');
      assert.deepEqual(dead[0]?.lastError, ERROR);
      assert.equal(dead[0]?.attempts, 1);
      assert.equal(dead[0]?.deadAt, T0 + 10);
      assert.deepEqual(
        (await store.listDlq({ topic: 'webhook:twilio' })).map((i) => i.id),
        ['y', 'z'],
      );
      assert.deepEqual(
        (await store.listDlq({ integrationPoint: 'ip1' })).map((i) => i.id),
        ['x'],
      );
      const page1 = await store.listDlq({ limit: 2 });
      const page2 = await store.listDlq({ limit: 2, afterSeq: page1.at(-1)!.seq });
      assert.deepEqual(
        [...page1, ...page2].map((i) => i.id),
        ['x', 'y', 'z'],
      );

      assert.equal(await store.replayDlq('x'), true);
      assert.equal(await store.replayDlq('x'), false, 'replay is idempotent');
      assert.equal(await store.replayDlq('p'), false, 'a pending item is not replayed');
      assert.equal(await store.replayDlq('nope'), false);
      const replayed = await store.getItem('x');
      assert.equal(replayed?.status, 'pending');
      assert.equal(replayed?.attempts, 0);
      assert.equal(replayed?.replays, 1);
      const [again] = await store.claim({ limit: 1, leaseMs: 1000 });
      assert.equal(again?.id, 'x');

      assert.equal(await store.purgeDlq({ ids: ['y', 'x'] }), 1, 'only dead items are purged');
      assert.equal(await store.purgeDlq({ deadBefore: T0 }), 0);
      assert.equal(await store.purgeDlq({ topic: 'webhook:stripe' }), 0);
      assert.equal(await store.purgeDlq(), 1);
      assert.deepEqual(await store.listDlq(), []);
      assert.equal(await store.getItem('z'), undefined);
      assert.equal((await store.getItem('p'))?.status, 'pending');
    });

    t('pruneDone removes finished items, whose ids then stop deduplicating', async (store, clock) => {
      await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]);
      const [a] = await store.claim({ limit: 1, leaseMs: 1000 });
      await store.complete('a', a!.leaseToken);
      clock.set(T0 + 100);
      assert.equal(await store.pruneDone(T0 + 50), 1);
      assert.deepEqual(await store.enqueue([{ id: 'a', topic: 't', payload: 1 }]), [{ id: 'a', created: true }]);
    });

    t('audit: append and query by time, point, connector, operation, outcome, record id', async (store, clock) => {
      const base = { operation: 'sync.write', trigger: 'schedule' } as const;
      await store.appendAudit({
        ...base,
        integrationPoint: 'ehr',
        connector: 'fhir',
        outcome: 'success',
        recordIds: ['p1', 'p2'],
      });
      clock.set(T0 + 1000);
      await store.appendAudits([
        { ...base, integrationPoint: 'ehr', connector: 'fhir', outcome: 'failure', errorCode: 'api_error', durationMs: 12 },
        {
          integrationPoint: 'webhook:stripe',
          connector: 'stripe',
          operation: 'webhook.received',
          outcome: 'rejected',
          trigger: 'webhook',
          at: T0 + 2000,
          correlationId: 'r1',
        },
      ]);
      const all = await store.queryAudit();
      assert.equal(all.length, 3);
      assert.deepEqual(all[0], {
        seq: all[0]!.seq,
        at: T0,
        integrationPoint: 'ehr',
        connector: 'fhir',
        operation: 'sync.write',
        recordIds: ['p1', 'p2'],
        outcome: 'success',
        trigger: 'schedule',
        errorCode: undefined,
        durationMs: undefined,
        correlationId: undefined,
      });
      assert.equal(all[2]?.correlationId, 'r1');
      assert.equal(all[1]?.durationMs, 12);
      const ids = (q: Parameters<StateStore['queryAudit']>[0]) =>
        store.queryAudit(q).then((rows) => rows.map((r) => `${r.integrationPoint}/${r.outcome}`));
      assert.deepEqual(await ids({ from: T0 + 1000 }), ['ehr/failure', 'webhook:stripe/rejected']);
      assert.deepEqual(await ids({ to: T0 + 1000 }), ['ehr/success']);
      assert.deepEqual(await ids({ integrationPoint: 'ehr' }), ['ehr/success', 'ehr/failure']);
      assert.deepEqual(await ids({ connector: 'stripe' }), ['webhook:stripe/rejected']);
      assert.deepEqual(await ids({ operation: 'webhook.received' }), ['webhook:stripe/rejected']);
      assert.deepEqual(await ids({ outcome: 'failure' }), ['ehr/failure']);
      assert.deepEqual(await ids({ outcome: ['failure', 'rejected'] }), ['ehr/failure', 'webhook:stripe/rejected']);
      assert.deepEqual(await ids({ recordId: 'p2' }), ['ehr/success']);
      assert.deepEqual(await ids({ descending: true, limit: 2 }), ['webhook:stripe/rejected', 'ehr/failure']);
      const first = await store.queryAudit({ limit: 1 });
      assert.deepEqual(await ids({ afterSeq: first[0]!.seq, limit: 1 }), ['ehr/failure']);
    });

    t('a closed store refuses calls', async (store) => {
      await store.close();
      await assert.rejects(store.getCheckpoint('s'));
      await assert.rejects(store.enqueue([{ id: 'a', topic: 't', payload: 1 }]));
    });

    if (options.reopen) {
      const reopen = options.reopen;
      t('everything survives a close and reopen', async (store, clock) => {
        await store.setCheckpoint('s', { cursor: 'c9' });
        await store.markSeen('ns', 'k');
        await store.enqueue([
          { id: 'p', topic: 't', payload: { v: 'عائشة' }, orderingKey: 'K' },
          { id: 'd', topic: 't', payload: 2 },
        ]);
        const [, d] = await store.claim({ limit: 2, leaseMs: 1000 });
        await store.moveToDlq('d', d!.leaseToken, ERROR);
        await store.appendAudit({ integrationPoint: 'ip', operation: 'op', outcome: 'success', trigger: 'manual' });
        await store.close();
        const again = await reopen(store, clock.now);
        try {
          assert.deepEqual((await again.getCheckpoint('s'))?.checkpoint, { cursor: 'c9' });
          assert.equal(await again.markSeen('ns', 'k'), false);
          assert.deepEqual(
            (await again.listDlq()).map((i) => i.id),
            ['d'],
          );
          assert.equal((await again.queryAudit()).length, 1);
          clock.set(T0 + 2000);
          const [p] = await again.claim({ limit: 5, leaseMs: 1000 });
          assert.deepEqual(p?.payload, { v: 'عائشة' });
          assert.deepEqual(await again.enqueue([{ id: 'p', topic: 't', payload: 1 }]), [{ id: 'p', created: false }]);
        } finally {
          await again.close();
        }
      });
    }
  });
}
