import type { ConnectorRuntime, HttpClient } from '@hmi/core';
import { classifyGraphError, type GraphCodeClassifier } from './errors.js';
import { createUsageGate, type UsageGate, type UsageGateOptions } from './usage.js';

/** The Graph API version the connectors default to: the one Meta's published specs describe. */
export const GRAPH_DEFAULT_VERSION = 'v25.0';
/** Meta's Graph origin. */
export const GRAPH_DEFAULT_BASE_URL = 'https://graph.facebook.com';

/** Options of {@link createGraphClient}. */
export interface GraphClientOptions extends UsageGateOptions {
  /** The connector id errors and telemetry carry. */
  connector: string;
  accessToken: string;
  /** `v25.0`. */
  graphVersion: string;
  /** Default {@link GRAPH_DEFAULT_BASE_URL}. */
  baseUrl?: string;
  timeoutMs?: number;
  allowInsecureHttp?: boolean;
  /**
   * Longest throttle window sat out in-process, ms (the core's retry and the usage gate). Longer
   * windows come back at once as RateLimitError with `retryAfterMs`. Default 30 000.
   */
  maxWaitMs?: number;
  /** The product label error messages carry. Default `Meta Graph`. */
  label?: string;
  /** Product-specific error codes, asked before the shared Graph ones (see `classifyGraphError`). */
  classifyCode?: GraphCodeClassifier;
}

/** A Graph HTTP client and the usage gate that holds its requests back near Meta's limits. */
export interface GraphClient {
  http: HttpClient;
  usage: UsageGate;
  /** The configured origin, for `paginateGraph`. */
  origin: string;
}

/**
 * Builds the HTTP client a Graph connector (Meta, WhatsApp) uses: versioned base URL, bearer
 * token, Graph error classification, and a usage gate fed by every response's rate-limit headers
 * and awaited before every request — so the connector backs off before Meta throttles it.
 */
export function createGraphClient(runtime: ConnectorRuntime, options: GraphClientOptions): GraphClient {
  const usage = createUsageGate(options);
  const origin = new URL(options.baseUrl ?? GRAPH_DEFAULT_BASE_URL).origin;
  const http = runtime.createHttpClient({
    baseUrl: `${origin}/${options.graphVersion}`,
    auth: { type: 'bearer', token: options.accessToken },
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    allowInsecureHttp: options.allowInsecureHttp ?? false,
    retry: { maxRetryAfterMs: options.maxWaitMs ?? 30_000 },
    classifyError: (context) =>
      classifyGraphError(context, {
        connector: options.connector,
        observeUsage: usage.observe,
        ...(options.label !== undefined && { label: options.label }),
        ...(options.classifyCode && { classifyCode: options.classifyCode }),
      }),
    requestIdHeaders: ['x-fb-trace-id', 'x-fb-request-id'],
  });
  http.hook.before((request) => usage.wait(request.signal));
  http.hook.after((response) => usage.observe(response.headers));
  return { http, usage, origin };
}
