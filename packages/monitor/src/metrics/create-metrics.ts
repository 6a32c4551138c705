import { ConfigError, type Telemetry } from '@hmi/core';
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

/** Label values are names and codes; absent ones become an empty string, long ones are cut. */
const label = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 120) : '');
const seconds = (ms: unknown): number => (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms / 1000 : 0);
const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * Counts and times what the telemetry bus reports, per integration point and connector: HTTP
 * attempts (`request:end`), retries, circuit transitions, connector actions, sync runs and
 * records, webhooks received and refused, outbox deliveries, retries and dead letters, HL7
 * acknowledgements. Labels hold names and codes only, never URLs or record ids.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const { telemetry } = options;
  if (!telemetry || typeof telemetry.onAny !== 'function') throw new ConfigError('createMetrics needs a telemetry bus');
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'hmi_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new ConfigError('metrics prefix must be a valid Prometheus name prefix');
  const buckets = [...(options.buckets ?? DEFAULT_BUCKETS)];
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[]) =>
    new Counter({ name: prefix + name, help, labelNames, registers });
  const histogram = (name: string, help: string, labelNames: string[]) =>
    new Histogram({ name: prefix + name, help, labelNames, buckets, registers });

  const ctx = ['integration_point', 'connector', 'operation'];
  const m = {
    requests: counter('http_requests_total', 'HTTP attempts by outcome and status', [...ctx, 'outcome', 'status', 'error_code']),
    requestSeconds: histogram('http_request_duration_seconds', 'HTTP attempt latency', [...ctx, 'outcome']),
    retries: counter('http_retries_total', 'HTTP retries scheduled by the core', [...ctx, 'reason']),
    rateLimits: counter('rate_limit_waits_total', 'Waits imposed by a rate limit', ['connector', 'source']),
    circuit: counter('circuit_transitions_total', 'Circuit breaker state changes', ['connector', 'circuit', 'state']),
    circuitState: new Gauge({
      name: `${prefix}circuit_state`,
      help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open',
      labelNames: ['connector', 'circuit'],
      registers,
    }),
    actions: counter('actions_total', 'Connector actions by outcome', [...ctx, 'outcome', 'error_code']),
    actionSeconds: histogram('action_duration_seconds', 'Connector action latency', [...ctx, 'outcome']),
    authRefresh: counter('auth_refresh_total', 'Token fetches', ['connector', 'strategy', 'outcome']),
    syncRuns: counter('sync_runs_total', 'Sync runs by outcome', [
      'integration_point',
      'connector',
      'sync',
      'outcome',
      'error_code',
    ]),
    syncSeconds: histogram('sync_run_duration_seconds', 'Sync run duration', [
      'integration_point',
      'connector',
      'sync',
      'outcome',
    ]),
    syncRecords: counter('sync_records_total', 'Records read, written and skipped by syncs', [
      'integration_point',
      'connector',
      'sync',
      'result',
    ]),
    syncPages: counter('sync_pages_total', 'Pages committed by syncs', ['integration_point', 'connector', 'sync']),
    syncPageSeconds: histogram('sync_page_duration_seconds', 'Time to read, write and checkpoint a page', [
      'integration_point',
      'sync',
    ]),
    syncRetries: counter('sync_retries_total', 'Sync step retries', ['integration_point', 'sync', 'stage', 'error_code']),
    syncSkipped: counter('sync_overlaps_total', 'Scheduled runs skipped because the previous one was running', [
      'integration_point',
      'sync',
    ]),
    webhookRequests: counter('webhook_requests_total', 'Webhook requests accepted', [
      'integration_point',
      'connector',
      'webhook',
    ]),
    webhookEvents: counter('webhook_events_total', 'Webhook events by result', [
      'integration_point',
      'connector',
      'webhook',
      'result',
    ]),
    webhookSeconds: histogram('webhook_request_duration_seconds', 'Time to verify and store a webhook request', [
      'integration_point',
      'connector',
    ]),
    webhookRejected: counter('webhook_rejected_total', 'Webhook requests refused', [
      'integration_point',
      'connector',
      'status',
      'reason',
    ]),
    outboxEnqueued: counter('outbox_enqueued_total', 'Items put in the outbox', ['integration_point', 'connector', 'topic']),
    outboxDelivered: counter('outbox_delivered_total', 'Outbox deliveries that succeeded', [
      'integration_point',
      'connector',
      'topic',
    ]),
    outboxSeconds: histogram('outbox_delivery_duration_seconds', 'Outbox delivery latency', [
      'integration_point',
      'connector',
      'topic',
    ]),
    outboxRetries: counter('outbox_retries_total', 'Outbox deliveries that failed and will be retried', [
      'integration_point',
      'connector',
      'topic',
      'error_code',
    ]),
    dlqAdded: counter('dlq_added_total', 'Items moved to the dead-letter queue', [
      'integration_point',
      'connector',
      'topic',
      'error_code',
    ]),
    dlqReplayed: counter('dlq_replayed_total', 'Dead items replayed', ['integration_point', 'connector']),
    dlqPurged: counter('dlq_purged_total', 'Dead items purged', []),
    hl7: counter('hl7_messages_total', 'HL7 messages over MLLP by acknowledgement code', [
      'integration_point',
      'connector',
      'direction',
      'message_type',
      'ack_code',
    ]),
    errors: counter('errors_total', 'Errors reported on the bus', ['integration_point', 'connector', 'operation', 'error_code']),
  };

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
    if (typeof payload !== 'object' || payload === null) return;
    const p = payload as Record<string, unknown>;
    const c = { integration_point: label(p.integrationPoint), connector: label(p.connector), operation: label(p.operation) };
    const outcome = p.ok === true ? 'ok' : 'error';
    const errorCode = label(p.errorCode);
    const sync = { integration_point: c.integration_point, connector: c.connector, sync: label(p.syncId) };
    const item = { integration_point: c.integration_point, connector: c.connector, topic: label(p.topic) };
    switch (name) {
      case 'request:end':
        m.requests.inc({ ...c, outcome, status: typeof p.status === 'number' ? String(p.status) : '', error_code: errorCode });
        m.requestSeconds.observe({ ...c, outcome }, seconds(p.durationMs));
        return;
      case 'retry':
        m.retries.inc({ ...c, reason: label(p.reason) });
        return;
      case 'rate-limit':
        m.rateLimits.inc({ connector: c.connector, source: label(p.source) });
        return;
      case 'circuit:open':
      case 'circuit:half-open':
      case 'circuit:close': {
        const state = name.slice('circuit:'.length);
        const labels = { connector: c.connector, circuit: label(p.name) };
        m.circuit.inc({ ...labels, state });
        m.circuitState.set(labels, state === 'open' ? 2 : state === 'half-open' ? 1 : 0);
        return;
      }
      case 'auth:refresh':
        m.authRefresh.inc({ connector: c.connector, strategy: label(p.strategy), outcome });
        return;
      case 'action:end':
        m.actions.inc({ ...c, outcome, error_code: errorCode });
        m.actionSeconds.observe({ ...c, outcome }, seconds(p.durationMs));
        return;
      case 'error': {
        const error = p.error as Record<string, unknown> | undefined;
        m.errors.inc({ ...c, error_code: label(error?.code) });
        return;
      }
      case 'sync:page':
        m.syncPages.inc(sync);
        m.syncRecords.inc({ ...sync, result: 'read' }, count(p.records));
        m.syncRecords.inc({ ...sync, result: 'written' }, count(p.written));
        m.syncRecords.inc({ ...sync, result: 'skipped' }, count(p.skipped));
        m.syncPageSeconds.observe({ integration_point: sync.integration_point, sync: sync.sync }, seconds(p.durationMs));
        return;
      case 'sync:end':
        m.syncRuns.inc({ ...sync, outcome, error_code: errorCode });
        m.syncSeconds.observe({ ...sync, outcome }, seconds(p.durationMs));
        return;
      case 'sync:retry':
        m.syncRetries.inc({
          integration_point: sync.integration_point,
          sync: sync.sync,
          stage: label(p.stage),
          error_code: errorCode,
        });
        return;
      case 'sync:skipped':
        m.syncSkipped.inc({ integration_point: sync.integration_point, sync: sync.sync });
        return;
      case 'webhook:received': {
        const labels = { integration_point: c.integration_point, connector: c.connector, webhook: label(p.webhook) };
        m.webhookRequests.inc(labels);
        const duplicates = count(p.duplicates);
        m.webhookEvents.inc({ ...labels, result: 'new' }, Math.max(0, count(p.events) - duplicates));
        m.webhookEvents.inc({ ...labels, result: 'duplicate' }, duplicates);
        m.webhookSeconds.observe({ integration_point: c.integration_point, connector: c.connector }, seconds(p.durationMs));
        return;
      }
      case 'webhook:rejected':
        m.webhookRejected.inc({
          integration_point: c.integration_point,
          connector: c.connector,
          status: typeof p.status === 'number' ? String(p.status) : '',
          reason: label(p.reason),
        });
        return;
      case 'outbox:enqueued':
        m.outboxEnqueued.inc(item);
        return;
      case 'outbox:delivered':
        m.outboxDelivered.inc(item);
        m.outboxSeconds.observe(item, seconds(p.durationMs));
        return;
      case 'outbox:retry':
        m.outboxRetries.inc({ ...item, error_code: errorCode });
        return;
      case 'dlq:added':
        m.dlqAdded.inc({ ...item, error_code: errorCode });
        return;
      case 'dlq:replayed':
        m.dlqReplayed.inc({ integration_point: c.integration_point, connector: c.connector });
        return;
      case 'dlq:purged':
        m.dlqPurged.inc(count(p.count));
        return;
      case 'hl7:message':
        m.hl7.inc({
          integration_point: c.integration_point,
          connector: c.connector,
          direction: label(p.direction),
          message_type: label(p.messageType),
          ack_code: label(p.ackCode),
        });
        return;
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
