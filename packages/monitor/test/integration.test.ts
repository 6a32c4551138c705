import { createHttpClient, createTelemetry } from '@hmi/core';
import { createMemoryStateStore, createWebhookHandler, runSync } from '@hmi/flow';
import { type Alert, createAlertManager, logSink, webhookSink } from '@hmi/monitor';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeConnector, signedRequest } from './acme-connector.js';
import { expectNoLeaks, startLoopbackServer } from '@hmi/testing';

const PHI_NAME = 'عائشة بنت محمد القرشي';
const PHI_PHONE = '+966501234567';
const SECRET = 'acme-signing-secret-canary-42';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('alerts from real flows, through real sinks, without PHI', () => {
  it('a failing sync, an opening circuit and a signature spike alert over a webhook and the log, with no canary anywhere', async () => {
    const receiver = await startLoopbackServer([{ status: 200 }]);
    closers.push(receiver.close);
    const vendor = await startLoopbackServer([{ status: 503 }]);
    closers.push(vendor.close);
    const telemetry = createTelemetry();
    const events: string[] = [];
    telemetry.onAny((name, payload) => events.push(`${name} ${JSON.stringify(payload)}`));
    const logged: string[] = [];
    const state = createMemoryStateStore();
    const manager = createAlertManager({
      rules: [
        { type: 'consecutive-failures', threshold: 2 },
        { type: 'circuit-open' },
        { type: 'webhook-signature-spike', threshold: 3, window: '1m' },
        { type: 'dlq-depth', threshold: 0 },
      ],
      sinks: [webhookSink({ url: `${receiver.url}/alerts`, allowInsecureHttp: true }), logSink((line) => logged.push(line))],
      telemetry,
      store: state,
    });
    manager.start();
    closers.push(() => manager.stop());

    // 1. A sync whose destination throws an error quoting the patient: twice.
    for (let run = 0; run < 2; run++) {
      await expect(
        runSync({
          id: 'patients',
          integrationPoint: 'ehr-to-crm',
          source: async function* () {
            yield { records: [{ id: 'p1', name: PHI_NAME, phone: PHI_PHONE }], checkpoint: 1 };
          },
          destination: async (r: { name: string; phone: string }) => {
            throw new Error(`CRM refused ${r.name} ${r.phone}`);
          },
          state,
          telemetry,
          retry: { retries: 0 },
        }),
      ).rejects.toThrow();
    }

    // 2. A vendor that keeps failing opens the circuit.
    const client = createHttpClient({
      baseUrl: vendor.url,
      allowInsecureHttp: true,
      connector: 'fhir',
      telemetry,
      retry: false,
      circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 60_000 },
    });
    for (let i = 0; i < 2; i++) {
      await expect(client.request({ path: `/Patient?phone=${encodeURIComponent(PHI_PHONE)}` })).rejects.toThrow();
    }

    // 3. Three forged webhook deliveries carrying patient data.
    const handler = createWebhookHandler({
      connectors: { acme: acmeConnector.create({ signingSecret: SECRET }) },
      store: state,
      telemetry,
    });
    closers.push(() => handler.close());
    for (let i = 0; i < 3; i++) {
      const response = await handler(
        signedRequest('https://crm.example/hooks/acme', SECRET, { id: `e${i}`, type: 'x', data: { name: PHI_NAME } }, true),
      );
      expect(response.status).toBe(401);
    }
    await manager.evaluate();

    const received = receiver.seen.map((s) => JSON.parse(s.body) as Alert);
    expect(received.map((a) => `${a.status} ${a.id}`).sort()).toEqual([
      'firing circuit-open:fhir',
      'firing consecutive-failures:ehr-to-crm',
      'firing webhook-signature-spike:acme',
    ]);
    expect(received.find((a) => a.rule === 'consecutive-failures')).toMatchObject({ value: 2, errorCode: 'sync_failed' });
    expect(logged).toHaveLength(3);

    // Every sink: what reached the receiver (bodies and headers), the log, telemetry, the firing list.
    expectNoLeaks(
      [...receiver.seen.map((s) => ({ body: s.body, headers: s.headers })), ...logged, ...events, manager.firing()],
      [PHI_NAME, PHI_PHONE, '501234567', SECRET, 'عائشة'],
    );
  });
});
