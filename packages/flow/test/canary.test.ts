import { createTelemetry, NetworkError } from '@hmi/core';
import { createMemoryStateStore, createOutboxWorker, createWebhookHandler, runSync, SyncError } from '@hmi/flow';
import { expectNoLeaks } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { hmacConnector, signedRequest } from './fixtures/hmac-connector.js';

// PHI canaries: an Arabic name, a Saudi mobile, an email, a national id; and a secret canary.
const NAME = 'عائشة الكناري';
const PHONE = '+966555000111';
const EMAIL = 'aisha.canary@example.sa';
const NATIONAL_ID = '1098765432';
const SECRET = 'whsec_CANARY_5f2b9c7d1e';
const CANARIES = [NAME, PHONE, EMAIL, NATIONAL_ID, SECRET];
const patient = { id: 'p1', name: NAME, phone: PHONE, email: EMAIL, nationalId: NATIONAL_ID };
const leak = `failed for ${NAME} ${PHONE} ${EMAIL} ${NATIONAL_ID}`;

describe('canary: PHI and secrets never reach audit rows, telemetry or error text', () => {
  it('webhook ingestion and processing, including failures that quote the payload', async () => {
    const store = createMemoryStateStore();
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push({ name, payload }));
    const acme = hmacConnector.create({ signingSecret: SECRET }, { telemetry });
    const handler = createWebhookHandler({
      connectors: { acme },
      store,
      telemetry,
      onEvent: () => {
        throw new Error(leak);
      },
      processing: { autoStart: false, schedule: ['1ms'] },
    });
    const url = 'https://crm.example/webhooks/acme';
    expect((await handler(signedRequest(url, SECRET, { id: 'evt_1', type: 'patient.updated', data: patient }))).status).toBe(200);
    const bad = await handler(signedRequest(url, SECRET, { id: 'evt_2', type: 'x', data: patient }, { badSignature: true }));
    expect(bad.status).toBe(401);
    expectNoLeaks([await bad.text()], CANARIES);
    await handler.worker!.drain();
    await new Promise((r) => setTimeout(r, 5));
    await handler.worker!.drain();
    const dead = await store.listDlq();
    expect(dead).toHaveLength(1);
    expectNoLeaks([dead[0]!.lastError], CANARIES);
    expect(JSON.stringify(dead[0]!.payload)).toContain(NAME); // the payload itself is kept for replay
    expectNoLeaks([await store.queryAudit()], CANARIES);
    expectNoLeaks([seen], CANARIES);
    expect(seen.length).toBeGreaterThan(3);
  });

  it('sync failures in the source, the mapper and the destination', async () => {
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push({ name, payload }));
    const state = createMemoryStateStore();
    const source = async function* () {
      yield { records: [patient], checkpoint: { after: 'p1' } };
      yield { records: [{ ...patient, id: 'p2' }], checkpoint: { after: 'p2' } };
    };
    const failures = [
      runSync({
        id: 'map',
        source: source(),
        destination: async () => {},
        map: () => Promise.reject(new TypeError(leak)),
        state,
        telemetry,
      }),
      runSync({
        id: 'write',
        source: source(),
        destination: async () => Promise.reject(new Error(leak)),
        state,
        telemetry,
        retry: { retries: 1, minDelay: 1 },
      }),
      runSync({
        id: 'write-hmi',
        source: source(),
        destination: async () => Promise.reject(new NetworkError('socket hang up', { cause: new Error(leak) })),
        state,
        telemetry,
        retry: { retries: 1, minDelay: 1 },
      }),
      runSync({
        id: 'read',
        source: async function* () {
          yield* [];
          throw new RangeError(leak);
        },
        destination: async () => {},
        state,
        telemetry,
        retry: { retries: 1, minDelay: 1 },
      }),
    ];
    // Settle all at once: a run that fails before its turn must not become an unhandled rejection.
    for (const error of await Promise.all(failures.map((f) => f.catch((e) => e)))) {
      expect(SyncError.isInstance(error)).toBe(true);
      expectNoLeaks([error], CANARIES);
    }
    // A successful page: its audit row names record ids, never the records.
    await runSync({ id: 'ok', source: source(), destination: async () => {}, state, telemetry });
    const audit = await state.queryAudit();
    expect(audit.some((a) => a.recordIds.includes('p1'))).toBe(true);
    expectNoLeaks([audit], CANARIES);
    expectNoLeaks([seen], CANARIES);
  });

  it('outbox deliveries that fail with the payload in the message', async () => {
    const store = createMemoryStateStore();
    const telemetry = createTelemetry();
    const seen: unknown[] = [];
    telemetry.onAny((name, payload) => seen.push({ name, payload }));
    const worker = createOutboxWorker({
      store,
      telemetry,
      schedule: [],
      deliver: async (item) => {
        throw new Error(`cannot deliver ${JSON.stringify(item.payload)}`);
      },
    });
    await store.enqueue([{ id: 'msg-1', topic: 'deliver:sms', payload: patient, orderingKey: 'p1' }]);
    await worker.drain();
    const [dead] = await store.listDlq();
    expect(dead?.lastError?.code).toBe('delivery_failed');
    expectNoLeaks([dead?.lastError], CANARIES);
    expectNoLeaks([await store.queryAudit()], CANARIES);
    expectNoLeaks([seen], CANARIES);
  });
});
