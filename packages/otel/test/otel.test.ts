import { inspect } from 'node:util';
import { createHttpClient, createTelemetry, defineConnector, action, ValidationError } from '@hmi/core';
import { createMemoryStateStore, runSync } from '@hmi/flow';
import { HMI_ATTR, instrumentTelemetry } from '@hmi/otel';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expectNoLeaks, startLoopbackServer } from '@hmi/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const PHI_NAME = 'ليلى عبد الله';
const PHI_PHONE = '+971501112233';

function setup() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = createTelemetry();
  const stop = instrumentTelemetry(telemetry, {
    tracer: tracerProvider.getTracer('test'),
    meter: meterProvider.getMeter('test'),
  });
  cleanups.push(stop);
  const points = async () => {
    const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
    return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  };
  return { exporter, telemetry, points, stop };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function loopback(statuses: number[]) {
  const server = await startLoopbackServer(statuses.map((status) => ({ status, body: '{"ok":true}' })));
  cleanups.push(() => server.close());
  return server.url;
}

describe('instrumentTelemetry', () => {
  it('makes a client span per HTTP attempt with status codes and the host, never the path or query', async () => {
    const { exporter, telemetry, points } = setup();
    const url = await loopback([503, 200]);
    const client = createHttpClient({
      baseUrl: url,
      allowInsecureHttp: true,
      connector: 'fhir',
      telemetry,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
    });
    await client.request({ path: `/Patient/123456789?phone=${encodeURIComponent(PHI_PHONE)}`, operation: 'readPatient' });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['GET fhir readPatient', 'GET fhir readPatient']);
    const [first, second] = spans;
    expect(first!.attributes).toMatchObject({
      [HMI_ATTR.connector]: 'fhir',
      [HMI_ATTR.operation]: 'readPatient',
      [HMI_ATTR.httpMethod]: 'GET',
      [HMI_ATTR.httpStatus]: 503,
      [HMI_ATTR.attempt]: 1,
      [HMI_ATTR.serverAddress]: '127.0.0.1',
    });
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(second!.attributes[HMI_ATTR.httpStatus]).toBe(200);
    expect(second!.attributes[HMI_ATTR.attempt]).toBe(2);
    expect(second!.status.code).toBe(SpanStatusCode.UNSET);
    expect(first!.kind).toBe(SpanKind.CLIENT);
    expectNoLeaks(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
      ['/Patient', '123456789', '501112233'],
    );

    const metrics = await points();
    const http = metrics.find((m) => m.descriptor.name === 'http.client.request.duration')!;
    expect(http.dataPointType).toBe(DataPointType.HISTOGRAM);
    const counts = http.dataPoints.map((p) => [p.attributes[HMI_ATTR.httpStatus], (p.value as { count: number }).count]);
    expect(counts.sort()).toEqual([
      [200, 1],
      [503, 1],
    ]);
    const retries = metrics.find((m) => m.descriptor.name === 'hmi.http.retries')!;
    expect(retries.dataPoints[0]!.value).toBe(1);
  });

  it('makes a span per sync run with page events, and counts records and runs', async () => {
    const { exporter, telemetry, points } = setup();
    const state = createMemoryStateStore();
    const records = Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, name: PHI_NAME, phone: PHI_PHONE }));
    await runSync({
      id: 'patients',
      integrationPoint: 'ehr-to-crm',
      connector: 'crm',
      source: async function* () {
        yield { records: records.slice(0, 5), checkpoint: 5 };
        yield { records: records.slice(5), checkpoint: 12 };
      },
      destination: async () => {},
      state,
      telemetry,
    });
    await expect(
      runSync({
        id: 'broken',
        integrationPoint: 'erp-invoices',
        source: async function* () {
          yield { records: records.slice(0, 1), checkpoint: 1 };
        },
        destination: async (r: { name: string }) => {
          throw new ValidationError(`refused ${r.name}`);
        },
        state,
        telemetry,
      }),
    ).rejects.toThrow();
    const spans = exporter.getFinishedSpans();
    const ok = spans.find((s) => s.name === 'sync patients')!;
    expect(ok.attributes).toMatchObject({
      [HMI_ATTR.syncId]: 'patients',
      [HMI_ATTR.integrationPoint]: 'ehr-to-crm',
      [HMI_ATTR.connector]: 'crm',
      'hmi.sync.pages': 2,
      'hmi.sync.records': 12,
      'hmi.sync.resumed': false,
    });
    expect(ok.events.map((e) => [e.name, e.attributes?.['hmi.sync.written']])).toEqual([
      ['sync.page', 5],
      ['sync.page', 7],
    ]);
    const broken = spans.find((s) => s.name === 'sync broken')!;
    expect(broken.status).toEqual({ code: SpanStatusCode.ERROR, message: 'sync_failed' });
    expect(broken.attributes[HMI_ATTR.errorCode]).toBe('sync_failed');

    const metrics = await points();
    const written = metrics.find((m) => m.descriptor.name === 'hmi.sync.records')!;
    expect(
      written.dataPoints.find((p) => p.attributes[HMI_ATTR.syncId] === 'patients' && p.attributes['hmi.result'] === 'written')!
        .value,
    ).toBe(12);
    const runs = metrics.find((m) => m.descriptor.name === 'hmi.sync.runs')!;
    expect(runs.dataPoints.map((p) => [p.attributes[HMI_ATTR.syncId], p.attributes[HMI_ATTR.outcome], p.value]).sort()).toEqual([
      ['broken', 'error', 1],
      ['patients', 'ok', 1],
    ]);
    expect(
      inspect(
        spans.map((s) => [s.attributes, s.events, s.status]),
        { depth: 8 },
      ),
    ).not.toMatch(/ليلى|971501112233/);
  });

  it('times an action span back from its duration, with the error code and no message', async () => {
    const { exporter, telemetry } = setup();
    const crm = defineConnector({
      id: 'crm',
      name: 'CRM',
      category: 'crm',
      version: '0.0.0',
      config: z.object({}),
      setup: () => ({}),
      actions: {
        upsertContact: action({
          input: z.object({ name: z.string() }),
          output: z.object({ ok: z.boolean() }),
          idempotent: true,
          run: async (input) => {
            await new Promise((r) => setTimeout(r, 20));
            if (input.name === PHI_NAME) throw new ValidationError(`duplicate ${input.name}`);
            return { ok: true };
          },
        }),
      },
    }).create({}, { telemetry });
    await crm.actions.upsertContact({ name: 'x' });
    await expect(crm.actions.upsertContact({ name: PHI_NAME })).rejects.toThrow();
    const [good, bad] = exporter.getFinishedSpans();
    expect(good!.name).toBe('crm.upsertContact');
    const durationMs = good!.duration[0] * 1000 + good!.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(15);
    expect(bad!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'validation_error' });
    expect(JSON.stringify([bad!.attributes, bad!.status, bad!.events])).not.toContain('duplicate');
  });

  it('maps webhook, outbox and circuit events to spans and metrics', async () => {
    const { exporter, telemetry, points } = setup();
    telemetry.emit('webhook:received', { connector: 'stripe', webhook: 'events', events: 3, duplicates: 1, durationMs: 4 });
    telemetry.emit('webhook:rejected', { connector: 'stripe', status: 401, reason: 'signature' });
    telemetry.emit('outbox:delivered', { topic: 'webhook:stripe', itemId: 'i1', attempt: 1, durationMs: 8 });
    telemetry.emit('dlq:added', { topic: 'webhook:stripe', itemId: 'i2', attempts: 9, errorCode: 'validation_error' });
    telemetry.emit('circuit:open', { name: 'stripe', connector: 'stripe', failures: 5 });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => `${s.name} ${s.status.code}`)).toEqual([
      `webhook stripe ${SpanStatusCode.UNSET}`,
      `outbox deliver webhook:stripe ${SpanStatusCode.UNSET}`,
      `outbox deliver webhook:stripe ${SpanStatusCode.ERROR}`,
    ]);
    expect(spans[1]!.attributes[HMI_ATTR.outcome]).toBe('delivered');
    expect(spans[2]!.attributes).toMatchObject({ [HMI_ATTR.outcome]: 'dead', [HMI_ATTR.attempt]: 9 });
    const names = (await points()).map((m) => m.descriptor.name).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'hmi.circuit.transitions',
        'hmi.outbox.delivered',
        'hmi.dlq.added',
        'hmi.webhook.events',
        'hmi.webhook.rejected',
      ]),
    );
  });

  it('unsubscribes, ending spans left open; spans or metrics can be turned off', async () => {
    const { exporter, telemetry, stop } = setup();
    telemetry.emit('sync:start', { syncId: 's', runId: 'r1', resumed: true, trigger: 'schedule' });
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    stop();
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['hmi.incomplete']])).toEqual([['sync s', true]]);
    telemetry.emit('sync:start', { syncId: 's', runId: 'r2', resumed: true, trigger: 'schedule' });
    telemetry.emit('sync:end', { syncId: 's', runId: 'r2', ok: true, pages: 0, records: 0, durationMs: 1 });
    expect(exporter.getFinishedSpans()).toHaveLength(1);

    const exporter2 = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter2)] });
    const bus = createTelemetry();
    cleanups.push(instrumentTelemetry(bus, { tracer: provider.getTracer('t'), spans: false, maxOpenSpans: 1 }));
    bus.emit('action:end', { connector: 'c', operation: 'o', ok: true, durationMs: 1 });
    expect(exporter2.getFinishedSpans()).toHaveLength(0);
  });

  it('ends the oldest open span when more than maxOpenSpans are open', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const bus = createTelemetry();
    cleanups.push(instrumentTelemetry(bus, { tracer: provider.getTracer('t'), maxOpenSpans: 2 }));
    for (const runId of ['a', 'b', 'c']) bus.emit('sync:start', { syncId: runId, runId, resumed: false, trigger: 'manual' });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes['hmi.incomplete']])).toEqual([['sync a', true]]);
  });
});
