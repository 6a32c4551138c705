import {
  ConfigError,
  type HmiMetricId,
  HMI_METRICS,
  type MetricSpec,
  metricPoints,
  prometheusName,
  type Telemetry,
} from '@hmi/core';
import type { StateStore } from '@hmi/flow';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** The bus to count: share it with the connectors, syncs, webhook handler and outbox worker. */
  telemetry: Telemetry;
  /** Where the metrics are registered; a fresh `Registry` by default (never prom-client's global one). */
  registry?: Registry;
  /** Metric name prefix. Default `hmi_`. */
  prefix?: string;
  /** Latency buckets in seconds. Default 5 ms … 60 s. */
  buckets?: readonly number[];
  /** When given, outbox and dead-letter gauges are read from the store at every scrape. */
  store?: StateStore;
}

/** Prometheus metrics fed from a telemetry bus. */
export interface Metrics {
  readonly registry: Registry;
  /** The Prometheus text exposition of the registry. */
  metrics(): Promise<string>;
  /** The exposition's content type (`text/plain; version=0.0.4; charset=utf-8`). */
  readonly contentType: string;
  /** A Fetch-API handler serving the exposition (mount it at `/metrics`). */
  handler(request: Request): Promise<Response>;
  /** Stops listening to the bus (the metrics stay registered). */
  stop(): void;
}

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type Instrument = Counter<string> | Histogram<string> | Gauge<string>;

/**
 * Counts and times what the telemetry bus reports, per integration point and connector: HTTP
 * attempts (`request:end`), retries, circuit transitions, connector actions, sync runs and
 * records, webhooks received and refused, outbox deliveries, retries and dead letters, HL7
 * acknowledgements. The metrics, their labels and which event feeds them are core's
 * `HMI_METRICS` and `metricPoints`, shared with `@hmi/otel`. Labels hold names and codes only,
 * never URLs or record ids.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const { telemetry } = options;
  if (!telemetry || typeof telemetry.onAny !== 'function') throw new ConfigError('createMetrics needs a telemetry bus');
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'hmi_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new ConfigError('metrics prefix must be a valid Prometheus name prefix');
  const buckets = [...(options.buckets ?? DEFAULT_BUCKETS)];
  const registers = [registry];

  const instruments = new Map<HmiMetricId, { spec: MetricSpec; instrument: Instrument }>();
  for (const [id, spec] of Object.entries(HMI_METRICS) as Array<[HmiMetricId, MetricSpec]>) {
    const config = { name: prometheusName(spec, prefix), help: spec.description, labelNames: [...spec.labels], registers };
    const instrument =
      spec.kind === 'counter'
        ? new Counter(config)
        : spec.kind === 'histogram'
          ? new Histogram({ ...config, buckets })
          : new Gauge(config);
    instruments.set(id, { spec, instrument });
  }

  if (options.store) {
    const store = options.store;
    new Gauge({
      name: `${prefix}outbox_items`,
      help: 'Outbox items by status (read from the state store at scrape time)',
      labelNames: ['status'],
      registers,
      async collect() {
        const stats = await store.outboxStats();
        this.set({ status: 'pending' }, stats.pending);
        this.set({ status: 'leased' }, stats.leased);
        this.set({ status: 'done' }, stats.done);
        this.set({ status: 'dead' }, stats.dead);
      },
    });
  }

  const handle = (name: string, payload: unknown) => {
    for (const point of metricPoints(name, payload)) {
      const entry = instruments.get(point.metric);
      if (!entry) continue;
      // Prometheus series need every declared label: an absent one is the empty string.
      const labels: Record<string, string> = {};
      for (const label of entry.spec.labels) labels[label] = point.labels[label] ?? '';
      const { instrument } = entry;
      if (instrument instanceof Counter) instrument.inc(labels, point.value);
      else if (instrument instanceof Histogram) instrument.observe(labels, point.value);
      else instrument.set(labels, point.value);
    }
  };

  const unsubscribe = telemetry.onAny(handle);
  const metrics = () => registry.metrics();
  return {
    registry,
    metrics,
    get contentType() {
      return registry.contentType as string;
    },
    async handler(request) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return new Response('method not allowed\n', { status: 405, headers: { allow: 'GET, HEAD' } });
      }
      try {
        const body = await metrics();
        return new Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: { 'content-type': registry.contentType as string },
        });
      } catch {
        // A collector (the store gauge) failed; the reason stays out of the answer.
        return new Response('metrics unavailable\n', { status: 503 });
      }
    },
    stop: unsubscribe,
  };
}
