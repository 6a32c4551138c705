import { runSync } from '@hmi/flow';
import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('operators: integrations, dead letters, audit', () => {
  it('reports a point from its real sync runs: last success, lag, error rate, failing', async () => {
    let failNext = false;
    const env = await setup({
      flow: {
        integrations: {
          'ehr-patients': {
            description: 'EHR → CRM',
            connector: 'fhir',
            run: ({ signal }) =>
              runSync({
                id: 'ehr-patients',
                state: env.store,
                signal,
                clock: { now: env.clock.now, sleep: async () => {} },
                retry: { retries: 0 },
                source: async function* () {
                  yield { records: [{ id: 'p1' }], checkpoint: 1 };
                },
                destination: async () => {
                  if (failNext) throw new Error('EHR down');
                },
              }),
          },
        },
      },
    });
    const { call, json, clock } = env;
    const idle = (await json(await call('GET', '/v1/integrations'))).items[0];
    expect(idle).toMatchObject({
      id: 'ehr-patients',
      status: 'idle',
      lastRunAt: null,
      errorRate: 0,
      canRun: true,
      deadLetters: 0,
    });

    expect((await call('POST', '/v1/integrations/ehr-patients/runs')).status).toBe(202);
    await expect.poll(async () => (await json(await call('GET', '/v1/integrations'))).items[0].status).toBe('ok');
    clock.advance(90_000);
    const ok = (await json(await call('GET', '/v1/integrations'))).items[0];
    expect(ok.lastSuccessAt).toBe('2026-01-05T09:00:00.000Z');
    expect(ok.lagSeconds).toBe(90);

    failNext = true;
    await env.store.deleteCheckpoint('ehr-patients');
    await call('POST', '/v1/integrations/ehr-patients/runs');
    await expect.poll(async () => (await json(await call('GET', '/v1/integrations'))).items[0].status).toBe('failing');
    const failing = (await json(await call('GET', '/v1/integrations'))).items[0];
    expect(failing.errorRate).toBeGreaterThan(0);
    expect(failing.lastFailureAt).not.toBeNull();
    expect((await call('POST', '/v1/integrations/unknown/runs')).status).toBe(404);
  });

  it('pages dead letters and the audit trail with cursors, payloads only with the PHI scope', async () => {
    const { gateway, store, call, json } = await setup();
    for (let i = 1; i <= 5; i++) {
      await store.enqueue([{ id: `d${i}`, topic: 't', payload: { phone: '+966555123456' }, integrationPoint: 'erp' }]);
      const [item] = await store.claim({ limit: 1, leaseMs: 1000 });
      await store.moveToDlq(item!.id, item!.leaseToken, {
        name: 'ApiError',
        code: 'api_error',
        message: 'refused',
        retryable: false,
      } as never);
    }
    const first = await json(await call('GET', '/v1/dead-letters?limit=2'));
    expect(first.items.map((i: { id: string }) => i.id)).toEqual(['d1', 'd2']);
    expect(first.items[0].payload).toEqual({ phone: '+966555123456' });
    expect(first.items[0].error).toEqual({ name: 'ApiError', code: 'api_error', retryable: false });
    const second = await json(await call('GET', `/v1/dead-letters?limit=2&cursor=${first.nextCursor}`));
    expect(second.items.map((i: { id: string }) => i.id)).toEqual(['d3', 'd4']);
    const reader = (await gateway.keys.create({ name: 'ops', scopes: ['dead-letters:read', 'dead-letters:purge'] })).key;
    const narrow = await json(await call('GET', '/v1/dead-letters/d5', { key: reader }));
    expect(narrow).not.toHaveProperty('payload');
    expect((await call('DELETE', '/v1/dead-letters/d5', { key: reader })).status).toBe(204);
    expect((await call('GET', '/v1/dead-letters/d5')).status).toBe(404);
    expect((await call('POST', '/v1/dead-letters/d1/replay')).status).toBe(200);
    expect((await call('POST', '/v1/dead-letters/d1/replay')).status).toBe(404);

    const page1 = await json(await call('GET', '/v1/audit?limit=3&order=asc&operation=gateway.listDeadLetters'));
    expect(page1.items).toHaveLength(2);
    const all = await json(await call('GET', '/v1/audit?limit=4'));
    const next = await json(await call('GET', `/v1/audit?limit=4&cursor=${all.nextCursor}`));
    const seqs = [...all.items, ...next.items].map((r: { seq: number }) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(new Set(seqs).size).toBe(seqs.length);
    const since = await json(await call('GET', '/v1/audit?from=2026-01-05T09:00:00Z&outcome=rejected'));
    expect(since.items.map((r: { operation: string }) => r.operation)).toEqual([
      'gateway.replayDeadLetter',
      'gateway.getDeadLetter',
    ]);
  });
});
