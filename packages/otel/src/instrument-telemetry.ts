import { type HmiMetricId, HMI_METRICS, type MetricPoint, type MetricSpec, metricPoints, type Telemetry } from '@hmi/core';
import {
  type Attributes,
  context,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { attrs, contextAttrs, HMI_ATTR, LABEL_ATTR, num, serverAttrs, text } from './attributes.js';
import { PACKAGE_VERSION } from './version.js';

/** The instrumentation scope name of spans and metrics. */
export const INSTRUMENTATION_NAME = '@hmi/otel';
/** The version reported with the instrumentation scope. */
export const INSTRUMENTATION_VERSION: string = PACKAGE_VERSION;

/** Options of {@link instrumentTelemetry}. */
export interface InstrumentTelemetryOptions {
  /** Where spans go; the global tracer provider's `@hmi/otel` tracer by default. */
  tracer?: Tracer;
  /** Where metrics go; the global meter provider's `@hmi/otel` meter by default. */
  meter?: Meter;
  /** Turn spans off (metrics only). Default true. */
  spans?: boolean;
  /** Turn metrics off (spans only). Default true. */
  metrics?: boolean;
  /**
   * Most spans held open at once (requests or syncs whose end never came); the oldest is ended
   * early beyond it. Default 10 000.
   */
  maxOpenSpans?: number;
}

type Payload = Record<string, unknown>;

/**
 * Maps an hmi telemetry bus to OpenTelemetry: a span per HTTP attempt (`request:start` →
 * `request:end`), per sync run (`sync:start` → `sync:end`, with page and retry events), per action
 * (`action:end`, timed back from its duration), per accepted webhook request and per outbox
 * delivery; and counters and histograms for the same. Attributes carry `hmi.connector`,
 * `hmi.operation`, `hmi.integration_point`, `http.response.status_code`, error codes, and for
 * HTTP only the server's host and port: never a URL path or query, a record, or a message.
 *
 * Spans start in the active context, so with a context manager installed they nest under the
 * host's own spans. Returns a function that unsubscribes and ends the spans still open.
 */
export function instrumentTelemetry(telemetry: Telemetry, options: InstrumentTelemetryOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  const meter = options.meter ?? metrics.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  const withSpans = options.spans !== false;
  const withMetrics = options.metrics !== false;
  const maxOpen = Math.max(1, options.maxOpenSpans ?? 10_000);
  const open = new Map<string, Span>();

  const record = withMetrics ? createRecorder(meter) : undefined;

  const remember = (key: string, span: Span) => {
    if (open.size >= maxOpen) {
      const [oldestKey, oldest] = open.entries().next().value as [string, Span];
      open.delete(oldestKey);
      oldest.setAttribute('hmi.incomplete', true);
      oldest.end();
    }
    open.set(key, span);
  };
  const take = (key: string): Span | undefined => {
    const span = open.get(key);
    if (span) open.delete(key);
    return span;
  };
  /** A span for something that already happened and took `durationMs`. */
  const pastSpan = (name: string, kind: SpanKind, attributes: Attributes, durationMs: unknown, error?: string) => {
    if (!withSpans) return;
    const now = Date.now();
    const span = tracer.startSpan(name, { kind, attributes, startTime: now - (num(durationMs) ?? 0) }, context.active());
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(now);
  };
  const fail = (span: Span, errorCode: string | undefined) => {
    const code = errorCode ?? 'error';
    span.setAttribute(HMI_ATTR.errorType, code);
    span.setAttribute(HMI_ATTR.errorCode, code);
    // The status message is the error code: messages of errors may quote patient data.
    span.setStatus({ code: SpanStatusCode.ERROR, message: code });
  };

  const handle = (name: string, p: Payload) => {
    const ctx = contextAttrs(p);
    const errorCode = text(p.errorCode);
    switch (name) {
      case 'request:start': {
        if (!withSpans) return;
        const method = text(p.method) ?? 'GET';
        const span = tracer.startSpan(
          `${method} ${text(p.connector) ?? 'http'}${p.operation ? ` ${text(p.operation)}` : ''}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              ...ctx,
              ...serverAttrs(p.url),
              ...attrs({
                [HMI_ATTR.httpMethod]: method,
                [HMI_ATTR.attempt]: num(p.attempt),
                [HMI_ATTR.requestId]: text(p.requestId),
              }),
            },
          },
          context.active(),
        );
        remember(`req:${String(p.requestId)}:${String(p.attempt)}`, span);
        return;
      }
      case 'request:end': {
        const status = num(p.status);
        const span = take(`req:${String(p.requestId)}:${String(p.attempt)}`);
        if (!span) return;
        if (status !== undefined) span.setAttribute(HMI_ATTR.httpStatus, status);
        if (p.ok !== true) fail(span, errorCode ?? (status !== undefined ? String(status) : undefined));
        span.end();
        return;
      }
      case 'action:end': {
        pastSpan(
          `${text(p.connector) ?? 'connector'}.${text(p.operation) ?? 'action'}`,
          SpanKind.INTERNAL,
          { ...ctx, ...attrs({ [HMI_ATTR.errorCode]: errorCode, [HMI_ATTR.errorType]: errorCode }) },
          p.durationMs,
          p.ok === true ? undefined : (errorCode ?? 'error'),
        );
        return;
      }
      case 'sync:start': {
        if (!withSpans) return;
        const span = tracer.startSpan(
          `sync ${text(p.syncId) ?? ''}`.trim(),
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              ...ctx,
              ...attrs({
                [HMI_ATTR.syncId]: text(p.syncId),
                [HMI_ATTR.runId]: text(p.runId),
                'hmi.sync.resumed': p.resumed === true,
                'hmi.sync.trigger': text(p.trigger),
              }),
            },
          },
          context.active(),
        );
        remember(`sync:${String(p.runId)}`, span);
        return;
      }
      case 'sync:page': {
        open
          .get(`sync:${String(p.runId)}`)
          ?.addEvent(
            'sync.page',
            attrs({ 'hmi.sync.page': num(p.page), 'hmi.sync.records': num(p.records), 'hmi.sync.written': num(p.written) }),
          );
        return;
      }
      case 'sync:retry':
        open
          .get(`sync:${String(p.runId)}`)
          ?.addEvent(
            'sync.retry',
            attrs({ 'hmi.sync.stage': text(p.stage), [HMI_ATTR.attempt]: num(p.attempt), [HMI_ATTR.errorCode]: errorCode }),
          );
        return;
      case 'sync:end': {
        const span = take(`sync:${String(p.runId)}`);
        if (!span) return;
        span.setAttributes(attrs({ 'hmi.sync.pages': num(p.pages), 'hmi.sync.records': num(p.records) }));
        if (p.ok !== true) fail(span, errorCode);
        span.end();
        return;
      }
      case 'webhook:received': {
        const a = { ...ctx, ...attrs({ [HMI_ATTR.webhook]: text(p.webhook) }) };
        pastSpan(
          `webhook ${text(p.connector) ?? ''}`.trim(),
          SpanKind.SERVER,
          {
            ...a,
            ...attrs({ 'hmi.webhook.events': num(p.events), 'hmi.webhook.duplicates': num(p.duplicates) }),
          },
          p.durationMs,
        );
        return;
      }
      case 'outbox:delivered':
      case 'outbox:retry':
      case 'dlq:added': {
        const outcome = name === 'outbox:delivered' ? 'delivered' : name === 'outbox:retry' ? 'retry' : 'dead';
        const a = { ...ctx, ...attrs({ [HMI_ATTR.topic]: text(p.topic), [HMI_ATTR.outcome]: outcome }) };
        pastSpan(
          `outbox deliver ${text(p.topic) ?? ''}`.trim(),
          SpanKind.PRODUCER,
          { ...a, ...attrs({ [HMI_ATTR.attempt]: num(p.attempt ?? p.attempts), [HMI_ATTR.errorCode]: errorCode }) },
          p.durationMs,
          name === 'outbox:delivered' ? undefined : (errorCode ?? 'error'),
        );
        return;
      }
    }
  };

  const unsubscribe = telemetry.onAny((name, payload) => {
    if (typeof payload !== 'object' || payload === null) return;
    if (record) for (const point of metricPoints(name, payload)) record(point, payload as Payload);
    handle(name, payload as Payload);
  });
  return () => {
    unsubscribe();
    for (const span of open.values()) {
      span.setAttribute('hmi.incomplete', true);
      span.end();
    }
    open.clear();
  };
}

type Instrument = Counter | Histogram | Gauge;

/** The OpenTelemetry name of a shared metric: its semantic-convention name, else `hmi.<name>`. */
export function openTelemetryName(spec: MetricSpec): string {
  return spec.semconv ?? `hmi.${spec.name}`;
}

/**
 * Records core's shared metric points (`metricPoints`) in OpenTelemetry instruments made from
 * `HMI_METRICS`: one name, unit and label set with `@hmi/monitor`'s Prometheus metrics. Labels
 * become attributes (`LABEL_ATTR`); the HTTP duration also gets the semantic-convention
 * attributes (method, status, server host and port: never a path or query).
 */
function createRecorder(meter: Meter): (point: MetricPoint, payload: Payload) => void {
  const instruments = new Map<HmiMetricId, Instrument>();
  for (const [id, spec] of Object.entries(HMI_METRICS) as Array<[HmiMetricId, MetricSpec]>) {
    const options = { unit: spec.unit, description: spec.description };
    const name = openTelemetryName(spec);
    instruments.set(
      id,
      spec.kind === 'counter'
        ? meter.createCounter(name, options)
        : spec.kind === 'histogram'
          ? meter.createHistogram(name, options)
          : meter.createGauge(name, options),
    );
  }
  return (point, payload) => {
    const instrument = instruments.get(point.metric);
    if (!instrument) return;
    const attributes: Attributes = {};
    for (const [label, value] of Object.entries(point.labels)) {
      const key = LABEL_ATTR[label as keyof typeof LABEL_ATTR];
      // Status codes are numbers in OpenTelemetry's conventions.
      attributes[key] = key === HMI_ATTR.httpStatus ? Number(value) : value;
    }
    if (point.metric === 'httpRequestDuration') {
      Object.assign(
        attributes,
        serverAttrs(payload.url),
        attrs({
          [HMI_ATTR.httpMethod]: text(payload.method),
          [HMI_ATTR.httpStatus]: num(payload.status),
          [HMI_ATTR.errorType]: text(payload.errorCode),
        }),
      );
    }
    if ('add' in instrument) instrument.add(point.value, attributes);
    else if ('record' in instrument) instrument.record(point.value, attributes);
  };
}
