import { ConfigError, createHttpClient, type HttpClientOptions, type Telemetry } from '@hmi/core';
import type { Alert, AlertSink } from '../types.js';

/** Options of {@link webhookSink}. */
export interface WebhookSinkOptions {
  /** Where to POST: `https://hooks.example.org/hmi-alerts` (http only with `allowInsecureHttp`). */
  url: string;
  /** Extra headers (an `Authorization` for the receiver, say): registered as secrets with the redactor. */
  headers?: Record<string, string>;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Telemetry for the sink's own requests (keep it apart from the monitored bus to avoid loops). */
  telemetry?: Telemetry;
  /** Fetch implementation (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  /** Permit `http://` (loopback tests only). */
  allowInsecureHttp?: boolean;
  /** Shapes the JSON body (Slack or Teams formats); the alert itself by default. */
  format?: (alert: Alert) => unknown;
  /** Extra options for the HTTP client (retry policy, transport). */
  http?: Omit<HttpClientOptions, 'baseUrl' | 'fetch' | 'telemetry' | 'headers' | 'timeoutMs' | 'allowInsecureHttp'>;
}

/**
 * A sink that POSTs each alert as JSON through core's HTTP client (timeouts, retries). The body
 * is the alert (names, codes, numbers; no PHI). Each notification carries an idempotency key
 * (`Idempotency-Key: <alert id>:<status>:<startedAt>:<at>`), reused by the core across retries, so a
 * receiver that deduplicates sees one delivery.
 */
export function webhookSink(options: WebhookSinkOptions): AlertSink {
  let target: URL;
  try {
    target = new URL(options.url);
  } catch {
    throw new ConfigError('webhookSink url is not a valid URL', {
      issues: [{ path: ['url'], code: 'invalid_format', message: 'expected a URL' }],
    });
  }
  const client = createHttpClient({
    baseUrl: target.origin,
    timeoutMs: options.timeoutMs ?? 10_000,
    connector: 'alert-webhook',
    ...(options.headers && { headers: options.headers }),
    ...(options.telemetry && { telemetry: options.telemetry }),
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.allowInsecureHttp && { allowInsecureHttp: true }),
    ...options.http,
  });
  for (const value of Object.values(options.headers ?? {})) client.telemetry.redactor.addSecret(value);
  const path = `${target.pathname}${target.search}`;
  const format = options.format ?? ((alert: Alert) => alert);
  return {
    name: 'webhook',
    async send(alert, { signal }) {
      await client.request({
        method: 'POST',
        path,
        json: format(alert),
        idempotencyKey: `${alert.id}:${alert.status}:${alert.startedAt}:${alert.at}`,
        operation: 'alert',
        responseType: 'text',
        ...(signal && { signal }),
      });
    },
  };
}
