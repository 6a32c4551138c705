import type { Telemetry } from '@hmi/core';
import {
  type Attributes,
  context,
  type Meter,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { attrs, contextAttrs, HMI_ATTR, num, serverAttrs, text } from './attributes.js';

/** The instrumentation scope name of spans and metrics. */
export const INSTRUMENTATION_NAME = '@hmi/otel';
/** The version reported with the instrumentation scope. */
export const INSTRUMENTATION_VERSION = '0.1.0';

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

  const instruments = withMetrics ? createInstruments(meter) : undefined;

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
        instruments?.httpDuration.record((num(p.durationMs) ?? 0) / 1000, {
          ...ctx,
          ...serverAttrs(p.url),
          ...attrs({ [HMI_ATTR.httpMethod]: text(p.method), [HMI_ATTR.httpStatus]: status, [HMI_ATTR.errorType]: errorCode }),
        });
        const span = take(`req:${String(p.requestId)}:${String(p.attempt)}`);
        if (!span) return;
        if (status !== undefined) span.setAttribute(HMI_ATTR.httpStatus, status);
        if (p.ok !== true) fail(span, errorCode ?? (status !== undefined ? String(status) : undefined));
        span.end();
        return;
      }
      case 'retry':
        instruments?.retries.add(1, { ...ctx, ...attrs({ 'hmi.retry.reason': text(p.reason) }) });
        return;
      case 'circuit:open':
      case 'circuit:half-open':
      case 'circuit:close':
        instruments?.circuit.add(1, {
          ...ctx,
          ...attrs({ 'hmi.circuit.name': text(p.name), 'hmi.circuit.state': name.slice(8) }),
        });
        return;
      case 'action:end': {
        const outcome = p.ok === true ? 'ok' : 'error';
        instruments?.actionDuration.record((num(p.durationMs) ?? 0) / 1000, {
          ...ctx,
          ...attrs({ [HMI_ATTR.outcome]: outcome, [HMI_ATTR.errorCode]: errorCode }),
        });
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
        instruments?.syncRecords.add(num(p.written) ?? 0, { ...ctx, ...attrs({ [HMI_ATTR.syncId]: text(p.syncId) }) });
        open
          .get(`sync:${String(p.runId)}`)
          ?.addEvent(
            'sync.page',
            attrs({ 'hmi.sync.page': num(p.page), 'hmi.sync.records': num(p.records), 'hmi.sync.written': num(p.written) }),
          );
        return;
      }
      case 'sync:retry':
        instruments?.syncRetries.add(1, {
          ...ctx,
          ...attrs({ 'hmi.sync.stage': text(p.stage), [HMI_ATTR.errorCode]: errorCode }),
        });
        open
          .get(`sync:${String(p.runId)}`)
          ?.addEvent(
            'sync.retry',
            attrs({ 'hmi.sync.stage': text(p.stage), [HMI_ATTR.attempt]: num(p.attempt), [HMI_ATTR.errorCode]: errorCode }),
          );
        return;
      case 'sync:end': {
        const outcome = p.ok === true ? 'ok' : 'error';
        const metricAttrs = { ...ctx, ...attrs({ [HMI_ATTR.syncId]: text(p.syncId), [HMI_ATTR.outcome]: outcome }) };
        instruments?.syncRuns.add(1, { ...metricAttrs, ...attrs({ [HMI_ATTR.errorCode]: errorCode }) });
        instruments?.syncDuration.record((num(p.durationMs) ?? 0) / 1000, metricAttrs);
        const span = take(`sync:${String(p.runId)}`);
        if (!span) return;
        span.setAttributes(attrs({ 'hmi.sync.pages': num(p.pages), 'hmi.sync.records': num(p.records) }));
        if (p.ok !== true) fail(span, errorCode);
        span.end();
        return;
      }
      case 'webhook:received': {
        const a = { ...ctx, ...attrs({ [HMI_ATTR.webhook]: text(p.webhook) }) };
        instruments?.webhookEvents.add(num(p.events) ?? 0, a);
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
      case 'webhook:rejected':
        instruments?.webhookRejected.add(1, {
          ...ctx,
          ...attrs({ 'hmi.webhook.reason': text(p.reason), [HMI_ATTR.httpStatus]: num(p.status) }),
        });
        return;
      case 'outbox:delivered':
      case 'outbox:retry':
      case 'dlq:added': {
        const outcome = name === 'outbox:delivered' ? 'delivered' : name === 'outbox:retry' ? 'retry' : 'dead';
        const a = { ...ctx, ...attrs({ [HMI_ATTR.topic]: text(p.topic), [HMI_ATTR.outcome]: outcome }) };
        instruments?.outboxDeliveries.add(1, { ...a, ...attrs({ [HMI_ATTR.errorCode]: errorCode }) });
        if (name === 'outbox:delivered') instruments?.outboxDuration.record((num(p.durationMs) ?? 0) / 1000, a);
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
    if (typeof payload === 'object' && payload !== null) handle(name, payload as Payload);
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

function createInstruments(meter: Meter) {
  return {
    httpDuration: meter.createHistogram('http.client.request.duration', {
      unit: 's',
      description: 'Duration of HTTP client request attempts',
    }),
    retries: meter.createCounter('hmi.http.retries', { description: 'HTTP retries scheduled by the core' }),
    circuit: meter.createCounter('hmi.circuit.transitions', { description: 'Circuit breaker state changes' }),
    actionDuration: meter.createHistogram('hmi.action.duration', { unit: 's', description: 'Duration of connector actions' }),
    syncRuns: meter.createCounter('hmi.sync.runs', { description: 'Sync runs by outcome' }),
    syncDuration: meter.createHistogram('hmi.sync.duration', { unit: 's', description: 'Duration of sync runs' }),
    syncRecords: meter.createCounter('hmi.sync.records', { description: 'Records written by syncs' }),
    syncRetries: meter.createCounter('hmi.sync.retries', { description: 'Sync step retries' }),
    webhookEvents: meter.createCounter('hmi.webhook.events', { description: 'Webhook events accepted' }),
    webhookRejected: meter.createCounter('hmi.webhook.rejected', { description: 'Webhook requests refused' }),
    outboxDeliveries: meter.createCounter('hmi.outbox.deliveries', { description: 'Outbox delivery attempts by outcome' }),
    outboxDuration: meter.createHistogram('hmi.outbox.delivery.duration', {
      unit: 's',
      description: 'Duration of outbox deliveries',
    }),
  };
}
