// The README's runnable example: `node --conditions=@hmi/source --import tsx packages/monitor/test/readme-example.ts`.
// A sync that fails twice fires an alert to the log; the metrics show the runs.
import { createTelemetry } from '@hmi/core';
import { createMemoryStateStore, runSync } from '@hmi/flow';
import { createAlertManager, createMetrics, logSink } from '../src/index.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const telemetry = createTelemetry(); // share it with connectors, syncs, webhook handler, outbox worker
  const store = createMemoryStateStore(); // createSqliteStateStore({ path }) in production

  const alerts = createAlertManager({
    telemetry,
    store,
    rules: [
      { type: 'consecutive-failures', threshold: 2 },
      { type: 'error-rate', threshold: 0.2, window: '15m', minSamples: 20 },
      { type: 'dlq-depth', threshold: 100, pollEvery: '1m' },
      { type: 'circuit-open' },
      { type: 'hl7-ack' },
      { type: 'webhook-signature-spike', threshold: 10, window: '5m' },
    ],
    sinks: [logSink((line) => log(line.slice(25)))], // + webhookSink({ url }), emailSink({ sendgrid, to })
    throttle: '15m',
  });
  alerts.start();
  const metrics = createMetrics({ telemetry, store }); // mount metrics.handler at GET /metrics

  const failingSync = () =>
    runSync({
      id: 'patients',
      integrationPoint: 'ehr-to-crm',
      source: async function* () {
        yield { records: [{ id: 'p1' }], checkpoint: 1 };
      },
      destination: async () => {
        throw new Error('CRM down');
      },
      state: store,
      telemetry,
      retry: { retries: 0 },
    }).catch(() => {});
  await failingSync();
  await failingSync();
  alerts.reportAck('adt-feed', 'AE'); // or share the bus with @hmi/connector-hl7v2's MLLP client

  await alerts.stop();
  metrics.stop();
  const text = await metrics.metrics();
  for (const line of text.split('\n')) if (line.startsWith('hmi_sync_runs_total')) log(line);
}

if (process.argv[1]?.endsWith('readme-example.ts')) await main();
