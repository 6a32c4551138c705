import { expectNoLeaks } from '@hmi/testing';
import { describe, expect, it } from 'vitest';
import { HMI_METRICS, type HmiMetricId, metricPoints, prometheusName } from '@hmi/core';

const EVENTS: Array<[string, Record<string, unknown>]> = [
  [
    'request:end',
    {
      connector: 'fhir',
      operation: 'readPatient',
      requestId: 'req-1',
      method: 'GET',
      url: 'https://fhir.test/Patient/123456789?phone=%2B966555123456',
      attempt: 1,
      status: 503,
      durationMs: 250,
      ok: false,
      errorCode: 'api_error',
    },
  ],
  ['retry', { connector: 'fhir', requestId: 'req-1', attempt: 1, reason: 'status_503', waitMs: 10 }],
  ['rate-limit', { connector: 'fhir', waitMs: 5, source: 'server' }],
  ['circuit:open', { connector: 'fhir', name: 'fhir', failures: 5 }],
  ['auth:refresh', { connector: 'fhir', strategy: 'oauth2', ok: true, durationMs: 3 }],
  ['action:end', { connector: 'twilio', operation: 'sendSms', durationMs: 12, ok: true }],
  ['error', { connector: 'twilio', error: { name: 'ApiError', code: 'api_error', message: 'Zarqa Canarya', retryable: false } }],
  [
    'sync:page',
    { integrationPoint: 'ehr', syncId: 'patients', runId: 'r', page: 1, records: 5, written: 4, skipped: 1, durationMs: 9 },
  ],
  ['sync:end', { integrationPoint: 'ehr', syncId: 'patients', runId: 'r', ok: false, errorCode: 'sync_failed', durationMs: 90 }],
  ['webhook:received', { connector: 'stripe', webhook: 'events', events: 3, duplicates: 1, durationMs: 4 }],
  ['webhook:rejected', { connector: 'stripe', status: 401, reason: 'signature' }],
  ['outbox:delivered', { topic: 'sms', itemId: 'i1', durationMs: 8 }],
  ['dlq:added', { topic: 'sms', itemId: 'i2', errorCode: 'validation_error' }],
  ['dlq:purged', { count: 2 }],
  ['hl7:message', { connector: 'hl7v2', direction: 'inbound', messageType: 'ADT^A01', ackCode: 'AA' }],
];

describe('shared metric names', () => {
  it('derives the Prometheus names dashboards use', () => {
    expect(prometheusName(HMI_METRICS.httpRequests)).toBe('hmi_http_requests_total');
    expect(prometheusName(HMI_METRICS.httpRequestDuration)).toBe('hmi_http_request_duration_seconds');
    expect(prometheusName(HMI_METRICS.circuitState, 'crm_')).toBe('crm_circuit_state');
    expect(prometheusName(HMI_METRICS.syncRunDuration)).toBe('hmi_sync_run_duration_seconds');
    const names = Object.values(HMI_METRICS).map((m) => prometheusName(m));
    expect(new Set(names).size).toBe(names.length);
  });

  it('maps events to points whose labels are declared, and whose values are names and codes only', () => {
    const seen = new Set<HmiMetricId>();
    for (const [event, payload] of EVENTS) {
      const points = metricPoints(event, payload);
      expect(points.length, event).toBeGreaterThan(0);
      for (const point of points) {
        seen.add(point.metric);
        const declared = HMI_METRICS[point.metric].labels as readonly string[];
        for (const label of Object.keys(point.labels)) expect(declared, `${point.metric}.${label}`).toContain(label);
        expect(Number.isFinite(point.value)).toBe(true);
      }
      expectNoLeaks(points, ['123456789', '966555123456', 'Zarqa', 'req-1', 'i1', 'fhir.test']);
    }
    expect(seen.has('httpRequests') && seen.has('hl7Messages') && seen.has('dlqPurged')).toBe(true);
  });

  it('reads durations in seconds, splits webhook events into new and duplicate, and sets the circuit state', () => {
    const http = metricPoints('request:end', EVENTS[0]![1]);
    expect(http.find((p) => p.metric === 'httpRequestDuration')!.value).toBe(0.25);
    expect(http.find((p) => p.metric === 'httpRequests')!.labels).toMatchObject({ status: '503', outcome: 'error' });
    const hook = metricPoints('webhook:received', EVENTS[9]![1]).filter((p) => p.metric === 'webhookEvents');
    expect(hook.map((p) => [p.labels.result, p.value])).toEqual([
      ['new', 2],
      ['duplicate', 1],
    ]);
    expect(metricPoints('circuit:half-open', { name: 'x' }).find((p) => p.metric === 'circuitState')!.value).toBe(1);
    expect(metricPoints('unknown', { a: 1 })).toEqual([]);
    expect(metricPoints('request:end', null)).toEqual([]);
  });
});
