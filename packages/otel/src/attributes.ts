import type { MetricLabel } from '@hmi/core';
import type { Attributes } from '@opentelemetry/api';

/** The attribute names hmi puts on spans and metric points (`hmi.*` plus OpenTelemetry's own). */
export const HMI_ATTR = Object.freeze({
  connector: 'hmi.connector',
  operation: 'hmi.operation',
  integrationPoint: 'hmi.integration_point',
  errorCode: 'hmi.error_code',
  attempt: 'hmi.request.attempt',
  requestId: 'hmi.request.id',
  syncId: 'hmi.sync.id',
  runId: 'hmi.sync.run_id',
  topic: 'hmi.outbox.topic',
  outcome: 'hmi.outcome',
  webhook: 'hmi.webhook',
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
} as const);

/** A string attribute value: names and codes, cut to a sane length; absent otherwise. */
export const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined;

/** A finite number, or absent. */
export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Builds attributes, dropping absent values. */
export function attrs(entries: Record<string, string | number | boolean | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

/** The context fields every hmi event may carry. */
export function contextAttrs(p: Record<string, unknown>): Attributes {
  return attrs({
    [HMI_ATTR.connector]: text(p.connector),
    [HMI_ATTR.operation]: text(p.operation),
    [HMI_ATTR.integrationPoint]: text(p.integrationPoint),
  });
}

/**
 * The server of a request URL: host and port only. Paths can hold record ids (`/Patient/123`) and
 * query strings patient data, so neither ever becomes an attribute.
 */
export function serverAttrs(url: unknown): Attributes {
  if (typeof url !== 'string') return {};
  try {
    const parsed = new URL(url);
    const port = parsed.port
      ? Number(parsed.port)
      : parsed.protocol === 'https:'
        ? 443
        : parsed.protocol === 'http:'
          ? 80
          : undefined;
    return attrs({ [HMI_ATTR.serverAddress]: parsed.hostname, [HMI_ATTR.serverPort]: port });
  } catch {
    return {};
  }
}

/** The attribute each shared metric label (core's `HMI_METRICS`) is reported under. */
export const LABEL_ATTR: Readonly<Record<MetricLabel, string>> = Object.freeze({
  integration_point: HMI_ATTR.integrationPoint,
  connector: HMI_ATTR.connector,
  operation: HMI_ATTR.operation,
  outcome: HMI_ATTR.outcome,
  status: HMI_ATTR.httpStatus,
  error_code: HMI_ATTR.errorCode,
  reason: 'hmi.reason',
  source: 'hmi.rate_limit.source',
  circuit: 'hmi.circuit.name',
  state: 'hmi.circuit.state',
  strategy: 'hmi.auth.strategy',
  sync: HMI_ATTR.syncId,
  result: 'hmi.result',
  stage: 'hmi.sync.stage',
  webhook: HMI_ATTR.webhook,
  topic: HMI_ATTR.topic,
  direction: 'hmi.hl7.direction',
  message_type: 'hmi.hl7.message_type',
  ack_code: 'hmi.hl7.ack_code',
});
