import { ConfigError } from '../errors/errors.js';
import { HmiError, isHmiError } from '../errors/hmi-error.js';
import { Hook } from '../telemetry/hooks.js';
import { createTelemetry, type TelemetryEventName } from '../telemetry/telemetry.js';
import { createAuthStrategy, isAuthStrategy } from './auth/strategies.js';
import { assertSecureUrl } from './auth/token-endpoint.js';
import { createAttempt } from './attempt.js';
import { DEFAULT_RETRY, type RetryOptions, sleep } from './backoff.js';
import { createCircuitBreaker } from './circuit-breaker.js';
import { createExchange } from './exchange.js';
import { type Call, isSecretHeaderName, prepareCall, retriesFor } from './prepare.js';
import { createRateLimiter } from './rate-limiter.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './response-limit.js';
import { retryAfterFirst } from './retry.js';
import { type Transport, createFetchTransport, createNodeTransport, isSimpleBody } from './transport.js';
import type { HttpClient, HttpClientOptions, RawResponse, RequestOptions } from './types.js';

const DEFAULT_REQUEST_ID_HEADERS = ['request-id', 'x-request-id', 'twilio-request-id', 'x-amzn-requestid', 'x-correlation-id'];
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

function configError(field: string, expectation: string): ConfigError {
  return new ConfigError(`${field} must be ${expectation}`, {
    issues: [{ path: field.split('.'), code: 'invalid_value', message: expectation }],
  });
}

function checkOptions(options: HttpClientOptions): void {
  if (!options || typeof options.baseUrl !== 'string') {
    throw new ConfigError('baseUrl is required', {
      issues: [{ path: ['baseUrl'], code: 'invalid_type', message: 'expected string' }],
    });
  }
  const positive = (value: unknown, field: string) => {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw configError(field, 'a positive finite number');
    }
  };
  const nonNegative = (value: unknown, field: string) => {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
      throw configError(field, 'a non-negative finite number');
    }
  };
  positive(options.timeoutMs, 'timeoutMs');
  if (options.retry) {
    const { retries } = options.retry;
    if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0))
      throw configError('retry.retries', 'a non-negative integer');
    nonNegative(options.retry.minDelayMs, 'retry.minDelayMs');
    nonNegative(options.retry.maxDelayMs, 'retry.maxDelayMs');
    positive(options.retry.maxElapsedMs, 'retry.maxElapsedMs');
    nonNegative(options.retry.maxRetryAfterMs, 'retry.maxRetryAfterMs');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw configError('fetch', 'a function');
  if (options.transport !== undefined && !['node', 'fetch'].includes(options.transport)) {
    throw configError('transport', "one of 'node', 'fetch'");
  }
  positive(options.maxResponseBytes, 'maxResponseBytes');
  if (
    options.secretHeaders !== undefined &&
    !(Array.isArray(options.secretHeaders) && options.secretHeaders.every((h) => typeof h === 'string'))
  ) {
    throw configError('secretHeaders', 'an array of header names');
  }
}

/**
 * Creates an HTTP client: one retry layer (p-retry) with jittered exponential backoff that honours
 * Retry-After, idempotency keys for POST/PATCH, auth with one shared token refresh and a single
 * replay on 401, a per-instance rate limiter and circuit breaker, a response size cap, redacted
 * telemetry and typed errors that never carry bodies or credentials.
 *
 * The pipeline runs in stages, each in its own file: prepare (URL, body, headers, idempotency
 * key), attempt (circuit breaker, rate limiter, 401 refresh), exchange (transport and response
 * classification), retry (p-retry) and write safety (`notProcessed` / `outcomeUnknown`).
 *
 * Transport: with a `fetch` option (or `transport: 'fetch'`) requests go through ky (its own retry
 * and timeout off) over that fetch: the path for edge runtimes, Bun, Deno and browsers. By default
 * they go over node:http(s) with a keep-alive pool owned by this client, which avoids the WHATWG
 * Request/Response cost that dominates small API calls (see docs/performance.md); streamed, Blob
 * and FormData bodies still go through ky and fetch. On both, redirects are followed by the core's
 * own rule: every credential the client added is dropped when a redirect leaves the origin.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  checkOptions(options);
  const base = assertSecureUrl(options.baseUrl, options.allowInsecureHttp === true, 'baseUrl');
  const telemetry = options.telemetry ?? createTelemetry();
  const redactor = telemetry.redactor;
  const wants = (name: TelemetryEventName) => (telemetry.wants ? telemetry.wants(name) : true);
  const connector = options.connector;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clientRetry: RetryOptions =
    options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const maxRetryAfterMs = (options.retry ? options.retry.maxRetryAfterMs : undefined) ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const requestIdHeaders = (options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS).map((h) => h.toLowerCase());
  const idempotencyHeader = (options.idempotencyHeader ?? 'Idempotency-Key').toLowerCase();
  const markedSecret: ReadonlySet<string> = new Set((options.secretHeaders ?? []).map((h) => h.toLowerCase()));
  const baseHeaders: Record<string, string> = { accept: 'application/json' };
  const clientSecretHeaders: string[] = [];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const lower = name.toLowerCase();
    baseHeaders[lower] = value;
    // Headers given as config may be credentials (API keys): keep them out of telemetry, and off
    // other origins.
    if (isSecretHeaderName(lower, markedSecret)) {
      redactor.addSecret(value);
      clientSecretHeaders.push(lower);
    }
  }
  for (const name of markedSecret) if (!clientSecretHeaders.includes(name)) clientSecretHeaders.push(name);

  const builtInAuth = options.auth !== undefined && !isAuthStrategy(options.auth);
  const strategyName = options.auth && !isAuthStrategy(options.auth) ? options.auth.type : undefined;
  const auth = options.auth
    ? createAuthStrategy(
        options.auth,
        {
          fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
          allowInsecureHttp: options.allowInsecureHttp === true,
          timeoutMs,
          connector,
          onTokenFetch: (report) =>
            telemetry.emit('auth:refresh', {
              strategy: strategyName ?? 'custom',
              ok: report.ok,
              durationMs: report.durationMs,
              trigger: report.trigger,
              ...(report.errorCode !== undefined && { errorCode: report.errorCode }),
              connector,
            }),
        },
        (token) => redactor.addSecret(token),
      )
    : undefined;
  for (const s of auth?.secrets() ?? []) redactor.addSecret(s);

  const limiter = createRateLimiter(options.rateLimit);
  const circuitName = connector ?? base.host;
  const circuit =
    options.circuitBreaker === undefined || options.circuitBreaker === false
      ? undefined
      : createCircuitBreaker(options.circuitBreaker, (state, failures) => {
          if (state === 'open') telemetry.emit('circuit:open', { name: circuitName, failures, connector });
          else if (state === 'half-open') telemetry.emit('circuit:half-open', { name: circuitName, connector });
          else telemetry.emit('circuit:close', { name: circuitName, connector });
        });

  const useFetch = options.fetch !== undefined || options.transport === 'fetch';
  const node = useFetch ? undefined : createNodeTransport();
  let fetchTransport: Transport | undefined;
  const transportFor = (body: Call['body']): Transport =>
    node && isSimpleBody(body as never) ? node.send : (fetchTransport ??= createFetchTransport(options.fetch));

  const hook = new Hook<RequestOptions, RawResponse>();
  let requestCounter = 0;
  const nextRequestId = () => {
    requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `${Date.now().toString(36)}-${requestCounter.toString(36)}`;
  };
  const safeUrlOf = (call: Call) => (call.safeUrl ??= redactor.redactUrl(call.url.href));
  const requestIdOf = (call: Call) => (call.requestId ??= nextRequestId());
  const now = options.now ?? Date.now;

  const exchange = createExchange({
    connector,
    telemetry,
    redactor,
    wants,
    auth,
    transportFor,
    baseHeaders,
    idempotencyHeader,
    markedSecret,
    clientSecretHeaders,
    timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    requestIdHeaders,
    classifyError: options.classifyError,
    exposeResponseBody: options.exposeResponseBody === true,
    requestIdOf,
    safeUrlOf,
    now,
  });
  const attempt = createAttempt({ connector, telemetry, circuit, limiter, exchange, auth, builtInAuth });
  const retryDeps = {
    connector,
    telemetry,
    maxRetryAfterMs,
    requestIdOf,
    now,
    sleep: options.sleep ?? sleep,
    random: Math.random,
  };

  async function send(req: RequestOptions): Promise<RawResponse> {
    try {
      const call = prepareCall(req, { base, connector, retry: clientRetry, now });
      // A stream body cannot be sent twice. A non-idempotent call without a key is retried only on
      // errors that prove nothing happened: every other error of such a call has `retryable: false`
      // (see write-safety.ts), so the retry layer's `retryable` check covers it.
      const retries = retriesFor(call);
      try {
        return await attempt(call, 1);
      } catch (first) {
        if (retries === 0) throw first;
        return await retryAfterFirst(call, first, retries, attempt, retryDeps);
      }
    } catch (raw) {
      const hmi = isHmiError(raw)
        ? raw
        : new HmiError('request failed', { code: 'internal_error', connector, operation: req?.operation, cause: raw });
      telemetry.emit('error', { error: hmi.toJSON(), connector, operation: req?.operation });
      throw hmi;
    }
  }

  return {
    hook,
    telemetry,
    baseUrl: base.href,
    get circuitState() {
      return circuit?.state;
    },
    requestRaw: <T>(req: RequestOptions<T>) => hook.run(send, req as RequestOptions) as Promise<RawResponse<T>>,
    request: async <T>(req: RequestOptions<T>) => ((await hook.run(send, req as RequestOptions)) as RawResponse<T>).data,
    close: () => node?.close(),
  };
}
