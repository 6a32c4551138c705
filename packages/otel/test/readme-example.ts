// The README's runnable example: `node --conditions=@hmi/source --import tsx packages/otel/test/readme-example.ts`.
// A sync run becomes a span with page events, and its records a counter, in an in-memory exporter.
import { createTelemetry } from '@hmi/core';
import { createMemoryStateStore, runSync } from '@hmi/flow';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { instrumentTelemetry } from '../src/index.js';

export async function main(log: (line: string) => void = console.log): Promise<void> {
  const exporter = new InMemorySpanExporter(); // an OTLP exporter in production
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  const telemetry = createTelemetry(); // the bus your connectors and syncs share
  const stop = instrumentTelemetry(telemetry, { tracer: provider.getTracer('hospital-crm') });

  await runSync({
    id: 'patients',
    integrationPoint: 'ehr-to-crm',
    source: async function* () {
      yield { records: [{ id: 'p1' }, { id: 'p2' }], checkpoint: 2 };
    },
    destination: async () => {},
    state: createMemoryStateStore(),
    telemetry,
  });
  stop();

  for (const span of exporter.getFinishedSpans()) {
    log(`${span.name} ${JSON.stringify(span.attributes)} events=${span.events.map((e) => e.name).join(',')}`);
  }
}

if (process.argv[1]?.endsWith('readme-example.ts')) await main();
