/**
 * Telemetry events mapped to metrics, once, for every backend: `@hmi/monitor` (Prometheus) and
 * `@hmi/otel` (OpenTelemetry) both read {@link HMI_METRICS} and {@link metricPoints}, so a metric has
 * one meaning, one unit and one label set whichever backend records it. Labels hold names and codes
 * only: never a URL, a record id, a recipient or a message.
 */

/** How a metric aggregates. */
export type MetricKind = 'counter' | 'histogram' | 'gauge';

/** The label names metrics carry (Prometheus label names; OpenTelemetry maps them to attributes). */
export type MetricLabel =
  | 'integration_point'
  | 'connector'
  | 'operation'
  | 'outcome'
  | 'status'
  | 'error_code'
  | 'reason'
  | 'source'
  | 'circuit'
  | 'state'
  | 'strategy'
  | 'sync'
  | 'result'
  | 'stage'
  | 'webhook'
  | 'topic'
  | 'direction'
  | 'message_type'
  | 'ack_code';

/** One metric: its name, kind, unit, meaning and labels. */
export interface MetricSpec {
  /**
   * Dotted name without prefix (`http.request.duration`). OpenTelemetry reports `hmi.<name>` (or
   * {@link MetricSpec.semconv}); Prometheus `<prefix><name with _>` plus `_seconds` for durations
   * and `_total` for counters (see {@link prometheusName}).
   */
  readonly name: string;
  readonly kind: MetricKind;
  /** UCUM unit: `s` for durations, `1` for counts and states. */
  readonly unit: 's' | '1';
  /** One line of help text. */
  readonly description: string;
  readonly labels: readonly MetricLabel[];
  /** The OpenTelemetry semantic-convention name, where one exists. */
  readonly semconv?: string;
}

const CTX = ['integration_point', 'connector', 'operation'] as const;
const SYNC = ['integration_point', 'connector', 'sync'] as const;
const ITEM = ['integration_point', 'connector', 'topic'] as const;

const metric = (
  name: string,
  kind: MetricKind,
  description: string,
  labels: readonly MetricLabel[],
  semconv?: string,
): MetricSpec =>
  Object.freeze({ name, kind, unit: kind === 'histogram' ? 's' : '1', description, labels, ...(semconv && { semconv }) });

/** Every metric hmi derives from its telemetry events. */
export const HMI_METRICS = Object.freeze({
  httpRequests: metric('http.requests', 'counter', 'HTTP attempts by outcome and status', [
    ...CTX,
    'outcome',
    'status',
    'error_code',
  ]),
  httpRequestDuration: metric(
    'http.request.duration',
    'histogram',
    'HTTP attempt latency',
    [...CTX, 'outcome'],
    'http.client.request.duration',
  ),
  httpRetries: metric('http.retries', 'counter', 'HTTP retries scheduled by the core', [...CTX, 'reason']),
  rateLimitWaits: metric('rate_limit.waits', 'counter', 'Waits imposed by a rate limit', ['connector', 'source']),
  circuitTransitions: metric('circuit.transitions', 'counter', 'Circuit breaker state changes', [
    'connector',
    'circuit',
    'state',
  ]),
  circuitState: metric('circuit.state', 'gauge', 'Circuit breaker state: 0 closed, 1 half-open, 2 open', [
    'connector',
    'circuit',
  ]),
  actions: metric('actions', 'counter', 'Connector actions by outcome', [...CTX, 'outcome', 'error_code']),
  actionDuration: metric('action.duration', 'histogram', 'Connector action latency', [...CTX, 'outcome']),
  authRefresh: metric('auth.refresh', 'counter', 'Token fetches', ['connector', 'strategy', 'outcome']),
  syncRuns: metric('sync.runs', 'counter', 'Sync runs by outcome', [...SYNC, 'outcome', 'error_code']),
  syncRunDuration: metric('sync.run.duration', 'histogram', 'Sync run duration', [...SYNC, 'outcome']),
  syncRecords: metric('sync.records', 'counter', 'Records read, written and skipped by syncs', [...SYNC, 'result']),
  syncPages: metric('sync.pages', 'counter', 'Pages committed by syncs', SYNC),
  syncPageDuration: metric('sync.page.duration', 'histogram', 'Time to read, write and checkpoint a page', [
    'integration_point',
    'sync',
  ]),
  syncRetries: metric('sync.retries', 'counter', 'Sync step retries', ['integration_point', 'sync', 'stage', 'error_code']),
  syncOverlaps: metric('sync.overlaps', 'counter', 'Scheduled runs skipped because the previous one was running', [
    'integration_point',
    'sync',
  ]),
  webhookRequests: metric('webhook.requests', 'counter', 'Webhook requests accepted', [
    'integration_point',
    'connector',
    'webhook',
  ]),
  webhookEvents: metric('webhook.events', 'counter', 'Webhook events by result', [
    'integration_point',
    'connector',
    'webhook',
    'result',
  ]),
  webhookRequestDuration: metric('webhook.request.duration', 'histogram', 'Time to verify and store a webhook request', [
    'integration_point',
    'connector',
  ]),
  webhookRejected: metric('webhook.rejected', 'counter', 'Webhook requests refused', [
    'integration_point',
    'connector',
    'status',
    'reason',
  ]),
  outboxEnqueued: metric('outbox.enqueued', 'counter', 'Items put in the outbox', ITEM),
  outboxDelivered: metric('outbox.delivered', 'counter', 'Outbox deliveries that succeeded', ITEM),
  outboxDeliveryDuration: metric('outbox.delivery.duration', 'histogram', 'Outbox delivery latency', ITEM),
  outboxRetries: metric('outbox.retries', 'counter', 'Outbox deliveries that failed and will be retried', [
    ...ITEM,
    'error_code',
  ]),
  dlqAdded: metric('dlq.added', 'counter', 'Items moved to the dead-letter queue', [...ITEM, 'error_code']),
  dlqReplayed: metric('dlq.replayed', 'counter', 'Dead items replayed', ['integration_point', 'connector']),
  dlqPurged: metric('dlq.purged', 'counter', 'Dead items purged', []),
  hl7Messages: metric('hl7.messages', 'counter', 'HL7 messages over MLLP by acknowledgement code', [
    'integration_point',
    'connector',
    'direction',
    'message_type',
    'ack_code',
  ]),
  errors: metric('errors', 'counter', 'Errors reported on the bus', [...CTX, 'error_code']),
} satisfies Record<string, MetricSpec>);

/** The id of a metric in {@link HMI_METRICS}. */
export type HmiMetricId = keyof typeof HMI_METRICS;

/**
 * One measurement an event yields: add `value` to a counter, observe it in a histogram (seconds),
 * or set a gauge to it. Absent labels are left out; a backend that needs every label fills `''`.
 */
export interface MetricPoint {
  readonly metric: HmiMetricId;
  readonly value: number;
  readonly labels: Partial<Record<MetricLabel, string>>;
}

/**
 * The Prometheus name of a metric: `prefix` + the dotted name with `_`, plus `_seconds` for
 * durations and `_total` for counters (`http.requests` → `hmi_http_requests_total`).
 */
export function prometheusName(spec: MetricSpec, prefix = 'hmi_'): string {
  const base = prefix + spec.name.replace(/\./g, '_');
  if (spec.kind === 'counter') return `${base}_total`;
  return spec.unit === 's' ? `${base}_seconds` : base;
}

/** A label value: a name or a code, cut to 120 characters; absent when not a non-empty string. */
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, 120) : undefined;
const seconds = (ms: unknown): number => (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms / 1000 : 0);
const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);
const statusOf = (status: unknown): string | undefined =>
  typeof status === 'number' && Number.isInteger(status) ? String(status) : undefined;

/** Keeps only the labels a metric declares (an event may offer more). */
function point(id: HmiMetricId, value: number, offered: Partial<Record<MetricLabel, string | undefined>>): MetricPoint {
  const labels: Partial<Record<MetricLabel, string>> = {};
  for (const name of HMI_METRICS[id].labels) {
    const v = offered[name];
    if (v !== undefined) labels[name] = v;
  }
  return { metric: id, value, labels };
}

/**
 * The measurements one telemetry event yields (none for events that are not measured). Reads only
 * names, codes, counts and durations from the payload: never its URL, ids or records.
 */
export function metricPoints(event: string, payload: unknown): MetricPoint[] {
  if (typeof payload !== 'object' || payload === null) return [];
  const p = payload as Record<string, unknown>;
  const l: Partial<Record<MetricLabel, string | undefined>> = {
    integration_point: text(p.integrationPoint),
    connector: text(p.connector),
    operation: text(p.operation),
    outcome: p.ok === true ? 'ok' : 'error',
    error_code: text(p.errorCode),
    sync: text(p.syncId),
    topic: text(p.topic),
  };
  switch (event) {
    case 'request:end':
      return [
        point('httpRequests', 1, { ...l, status: statusOf(p.status) }),
        point('httpRequestDuration', seconds(p.durationMs), l),
      ];
    case 'retry':
      return [point('httpRetries', 1, { ...l, reason: text(p.reason) })];
    case 'rate-limit':
      return [point('rateLimitWaits', 1, { ...l, source: text(p.source) })];
    case 'circuit:open':
    case 'circuit:half-open':
    case 'circuit:close': {
      const state = event.slice('circuit:'.length);
      const labels = { ...l, circuit: text(p.name), state };
      return [
        point('circuitTransitions', 1, labels),
        point('circuitState', state === 'open' ? 2 : state === 'half-open' ? 1 : 0, labels),
      ];
    }
    case 'auth:refresh':
      return [point('authRefresh', 1, { ...l, strategy: text(p.strategy) })];
    case 'action:end':
      return [point('actions', 1, l), point('actionDuration', seconds(p.durationMs), l)];
    case 'error': {
      const error = p.error as Record<string, unknown> | undefined;
      return [point('errors', 1, { ...l, error_code: text(error?.code) })];
    }
    case 'sync:page':
      return [
        point('syncPages', 1, l),
        point('syncRecords', count(p.records), { ...l, result: 'read' }),
        point('syncRecords', count(p.written), { ...l, result: 'written' }),
        point('syncRecords', count(p.skipped), { ...l, result: 'skipped' }),
        point('syncPageDuration', seconds(p.durationMs), l),
      ];
    case 'sync:end':
      return [point('syncRuns', 1, l), point('syncRunDuration', seconds(p.durationMs), l)];
    case 'sync:retry':
      return [point('syncRetries', 1, { ...l, stage: text(p.stage) })];
    case 'sync:skipped':
      return [point('syncOverlaps', 1, l)];
    case 'webhook:received': {
      const labels = { ...l, webhook: text(p.webhook) };
      const duplicates = count(p.duplicates);
      return [
        point('webhookRequests', 1, labels),
        point('webhookEvents', Math.max(0, count(p.events) - duplicates), { ...labels, result: 'new' }),
        point('webhookEvents', duplicates, { ...labels, result: 'duplicate' }),
        point('webhookRequestDuration', seconds(p.durationMs), labels),
      ];
    }
    case 'webhook:rejected':
      return [point('webhookRejected', 1, { ...l, status: statusOf(p.status), reason: text(p.reason) })];
    case 'outbox:enqueued':
      return [point('outboxEnqueued', 1, l)];
    case 'outbox:delivered':
      return [point('outboxDelivered', 1, l), point('outboxDeliveryDuration', seconds(p.durationMs), l)];
    case 'outbox:retry':
      return [point('outboxRetries', 1, l)];
    case 'dlq:added':
      return [point('dlqAdded', 1, l)];
    case 'dlq:replayed':
      return [point('dlqReplayed', 1, l)];
    case 'dlq:purged':
      return [point('dlqPurged', count(p.count), l)];
    case 'hl7:message':
      return [
        point('hl7Messages', 1, {
          ...l,
          direction: text(p.direction),
          message_type: text(p.messageType),
          ack_code: text(p.ackCode),
        }),
      ];
    default:
      return [];
  }
}
