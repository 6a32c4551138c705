import type { ConnectorRuntime, HttpClient } from '@hmi/core';
import { sleep as coreSleep } from '@hmi/core/internal';
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
  const sleep = options.sleep ?? coreSleep;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const origin = new URL(options.baseUrl ?? GRAPH_DEFAULT_BASE_URL).origin;
  const http = runtime.createHttpClient({
    baseUrl: `${origin}/${options.graphVersion}`,
    auth: { type: 'bearer', token: options.accessToken },
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    allowInsecureHttp: options.allowInsecureHttp ?? false,
    retry: { maxRetryAfterMs: maxWaitMs },
    classifyError: (context) =>
      classifyGraphError(context, {
        connector: options.connector,
        observeUsage: usage.observe,
        pendingMs: usage.pendingMs,
        ...(options.label !== undefined && { label: options.label }),
        ...(options.classifyCode && { classifyCode: options.classifyCode }),
      }),
    requestIdHeaders: ['x-fb-trace-id', 'x-fb-request-id'],
    // The core's retry waits with the gate's (injectable) clock, and never less than the usage
    // window the gate holds: a throttled request goes again only once the window is over.
    sleep: (ms, signal) => sleep(Math.max(ms, Math.min(usage.pendingMs(), maxWaitMs)), signal),
    ...(options.now && { now: options.now }),
  });
  http.hook.before((request) => usage.wait(request.signal));
  http.hook.after((response) => usage.observe(response.headers));
  return { http, usage, origin };
}
