import { ConfigError, createHttpClient, createTelemetry, ValidationError } from '@hmi/core';
import { createDeadLetterQueue, createMemoryStateStore, createWebhookHandler, runSync } from '@hmi/flow';
import { createMetrics } from '@hmi/monitor';
import { register as globalRegistry, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { acmeConnector, signedRequest } from './acme-connector.js';
import { startLoopbackServer } from '@hmi/testing';
import { parseExposition, sample } from './helpers.js';

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('createMetrics', () => {
  it('counts HTTP attempts, retries, circuit transitions and actions from the bus', async () => {
    const server = await startLoopbackServer([{ status: 503 }, { status: 200 }, { status: 503 }, { status: 503 }]);
    closers.push(server.close);
    const telemetry = createTelemetry();
    const metrics = createMetrics({ telemetry });
    closers.push(metrics.stop);
    const client = createHttpClient({
      baseUrl: server.url,
      allowInsecureHttp: true,
      connector: 'fhir',
      telemetry,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 60_000 },
    });
    await client.request({ path: '/Patient?name=%D9%84%D9%8A%D9%84%D9%89', operation: 'searchPatients' });
    await expect(client.request({ path: '/Patient', operation: 'searchPatients' })).rejects.toThrow();
    await expect(client.request({ path: '/Patient', operation: 'searchPatients' })).rejects.toThrow(/circuit/);

    const text = await metrics.metrics();
    const { samples, types } = parseExposition(text);
    const req = { connector: 'fhir', operation: 'searchPatients' };
    expect(sample(samples, 'hmi_http_requests_total', { ...req, outcome: 'error', status: '503' })).toBe(3);
    expect(sample(samples, 'hmi_http_requests_total', { ...req, outcome: 'ok', status: '200' })).toBe(1);
    expect(sample(samples, 'hmi_http_request_duration_seconds_count', { ...req, outcome: 'error' })).toBe(3);
    expect(sample(samples, 'hmi_http_retries_total', req)).toBe(2);
    expect(sample(samples, 'hmi_circuit_transitions_total', { connector: 'fhir', state: 'open' })).toBe(1);
    expect(sample(samples, 'hmi_circuit_state', { connector: 'fhir', circuit: 'fhir' })).toBe(2);
    expect(types.get('hmi_http_request_duration_seconds')).toBe('histogram');
    expect(types.get('hmi_http_requests_total')).toBe('counter');
    // Labels carry names and codes: no URL, no query value, no Arabic name.
    expect(text).not.toContain('Patient?');
    expect(text).not.toContain('ليلى');
    expect(text).not.toContain('127.0.0.1');
  });

  it('counts sync runs, pages and records, per integration point', async () => {
    const telemetry = createTelemetry();
    const metrics = createMetrics({ telemetry });
    closers.push(metrics.stop);
    const state = createMemoryStateStore();
    const records = Array.from({ length: 25 }, (_, i) => ({ id: `r${i}`, skip: i % 5 === 0 }));
    const source = async function* ({ checkpoint }: { checkpoint?: number }) {
      for (let i = checkpoint ?? 0; i < records.length; i += 10) yield { records: records.slice(i, i + 10), checkpoint: i + 10 };
    };
    await runSync({
      id: 'patients',
      integrationPoint: 'ehr-to-crm',
      connector: 'crm',
      source,
      destination: async () => {},
      map: (r) => (r.skip ? undefined : r),
      state,
      telemetry,
    });
    await expect(
      runSync({
        id: 'broken',
        integrationPoint: 'erp-invoices',
        source,
        destination: async () => {
          throw new ValidationError('bad record');
        },
        state,
        telemetry,
      }),
    ).rejects.toThrow();
    const { samples } = parseExposition(await metrics.metrics());
    const sync = { integration_point: 'ehr-to-crm', sync: 'patients' };
    expect(sample(samples, 'hmi_sync_runs_total', { ...sync, outcome: 'ok' })).toBe(1);
    expect(sample(samples, 'hmi_sync_pages_total', sync)).toBe(3);
    expect(sample(samples, 'hmi_sync_records_total', { ...sync, result: 'read' })).toBe(25);
    expect(sample(samples, 'hmi_sync_records_total', { ...sync, result: 'written' })).toBe(20);
    expect(sample(samples, 'hmi_sync_records_total', { ...sync, result: 'skipped' })).toBe(5);
    expect(sample(samples, 'hmi_sync_run_duration_seconds_count', { ...sync, outcome: 'ok' })).toBe(1);
    expect(
      sample(samples, 'hmi_sync_runs_total', { integration_point: 'erp-invoices', outcome: 'error', error_code: 'sync_failed' }),
    ).toBe(1);
  });

  it('counts webhooks received, duplicated and refused, outbox deliveries and dead letters, and reads outbox gauges from the store', async () => {
    const telemetry = createTelemetry();
    const store = createMemoryStateStore();
    const metrics = createMetrics({ telemetry, store });
    closers.push(metrics.stop);
    const acme = acmeConnector.create({ signingSecret: 'acme-signing-secret' });
    const handler = createWebhookHandler({
      connectors: { acme },
      store,
      telemetry,
      onEvent: async (event) => {
        if (event.type === 'poison') throw new ValidationError('cannot process');
      },
      processing: { autoStart: false },
    });
    closers.push(() => handler.close());
    const url = 'https://crm.example/webhooks/acme';
    const send = (event: unknown, bad = false) => handler(signedRequest(url, 'acme-signing-secret', event, bad));
    expect((await send({ id: 'e1', type: 'ok', data: {} })).status).toBe(200);
    expect((await send({ id: 'e1', type: 'ok', data: {} })).status).toBe(200);
    expect((await send({ id: 'e2', type: 'poison', data: {} })).status).toBe(200);
    expect((await send({ id: 'e3', type: 'ok', data: {} }, true)).status).toBe(401);
    await handler.worker!.drain();
    const dlq = createDeadLetterQueue({ store, telemetry });
    expect(await dlq.purge()).toBe(1);

    const { samples } = parseExposition(await metrics.metrics());
    const route = { integration_point: 'webhook:acme', connector: 'acme' };
    expect(sample(samples, 'hmi_webhook_requests_total', route)).toBe(3); // the duplicate delivery is accepted too
    expect(sample(samples, 'hmi_webhook_events_total', { ...route, result: 'new' })).toBe(2);
    expect(sample(samples, 'hmi_webhook_events_total', { ...route, result: 'duplicate' })).toBe(1);
    expect(sample(samples, 'hmi_webhook_rejected_total', { ...route, status: '401', reason: 'signature' })).toBe(1);
    expect(sample(samples, 'hmi_outbox_enqueued_total', { topic: 'webhook:acme' })).toBe(2);
    expect(sample(samples, 'hmi_outbox_delivered_total', { topic: 'webhook:acme' })).toBe(1);
    expect(sample(samples, 'hmi_dlq_added_total', { topic: 'webhook:acme', error_code: 'validation_error' })).toBe(1);
    expect(sample(samples, 'hmi_dlq_purged_total')).toBe(1);
    expect(sample(samples, 'hmi_outbox_items', { status: 'done' })).toBe(1);
    expect(sample(samples, 'hmi_outbox_items', { status: 'dead' })).toBe(0);
  });

  it('serves the exposition over a Fetch handler, uses its own registry, and never the global one', async () => {
    const telemetry = createTelemetry();
    const registry = new Registry();
    const metrics = createMetrics({ telemetry, registry, prefix: 'crm_' });
    closers.push(metrics.stop);
    const second = createMetrics({ telemetry }); // a second instance does not clash
    closers.push(second.stop);
    telemetry.emit('action:end', { connector: 'twilio', operation: 'sendSms', ok: true, durationMs: 12 });
    const response = await metrics.handler(new Request('http://localhost/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const { samples } = parseExposition(await response.text());
    expect(sample(samples, 'crm_actions_total', { connector: 'twilio', operation: 'sendSms', outcome: 'ok' })).toBe(1);
    expect(metrics.registry).toBe(registry);
    expect(await globalRegistry.metrics()).not.toContain('hmi_');
    expect((await metrics.handler(new Request('http://localhost/metrics', { method: 'POST' }))).status).toBe(405);
    metrics.stop();
    telemetry.emit('action:end', { connector: 'twilio', operation: 'sendSms', ok: true, durationMs: 12 });
    const after = parseExposition(await metrics.metrics()).samples;
    expect(sample(after, 'crm_actions_total', { connector: 'twilio', operation: 'sendSms', outcome: 'ok' })).toBe(1);
  });

  it('answers 503 without detail when the store gauge fails, and rejects bad options', async () => {
    const store = createMemoryStateStore();
    const broken = { ...store, outboxStats: () => Promise.reject(new Error('disk gone: /var/lib/hmi')) };
    const metrics = createMetrics({ telemetry: createTelemetry(), store: broken });
    closers.push(metrics.stop);
    const response = await metrics.handler(new Request('http://localhost/metrics'));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain('disk');
    expect(() => createMetrics({ telemetry: createTelemetry(), prefix: '1bad' })).toThrow(ConfigError);
    expect(() => createMetrics({} as never)).toThrow(ConfigError);
  });
});
