import ky from 'ky';
import pRetry from 'p-retry';
import {
  AbortedError,
  ApiError,
  CircuitOpenError,
  ConfigError,
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
} from '../errors/errors.js';
import { type HmiError, isHmiError } from '../errors/hmi-error.js';
import { formatIssues, toValidationIssues } from '../errors/zod-issues.js';
import { createTelemetry } from '../telemetry/telemetry.js';
import { Hook } from '../telemetry/hooks.js';
import { createAuthStrategy } from './auth/strategies.js';
import { assertSecureUrl } from './auth/token-endpoint.js';
import { DEFAULT_RETRY, type RetryOptions, backoffDelay, sleep } from './backoff.js';
import { classifyByStatus } from './classify.js';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import { createRateLimiter } from './rate-limiter.js';
import type { HttpClient, HttpClientOptions, HttpMethod, RawResponse, RequestOptions } from './types.js';
import { appendQuery, resolveUrl, toFormBody } from './url.js';

const NON_IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH']);
const DEFAULT_REQUEST_ID_HEADERS = ['request-id', 'x-request-id', 'twilio-request-id', 'x-amzn-requestid', 'x-correlation-id'];
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Creates an HTTP client: ky underneath (its own retry and timeout off), one retry layer with
 * full-jitter backoff that honours Retry-After, idempotency keys for POST/PATCH, auth with token
 * refresh on 401, a per-instance rate limiter and circuit breaker, redacted telemetry and typed
 * errors that never carry bodies or credentials.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  if (!options || typeof options.baseUrl !== 'string') {
    throw new ConfigError('baseUrl is required', {
      issues: [{ path: ['baseUrl'], code: 'invalid_type', message: 'expected string' }],
    });
  }
  const base = assertSecureUrl(options.baseUrl, options.allowInsecureHttp === true, 'baseUrl');
  const telemetry = options.telemetry ?? createTelemetry();
  const redactor = telemetry.redactor;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const connector = options.connector;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clientRetry = options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const maxRetryAfterMs = (options.retry ? options.retry.maxRetryAfterMs : undefined) ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const idempotencyHeader = options.idempotencyHeader ?? 'Idempotency-Key';
  const requestIdHeaders = options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS;
  const auth = options.auth
    ? createAuthStrategy(
        options.auth,
        { fetch: fetchImpl, allowInsecureHttp: options.allowInsecureHttp === true, timeoutMs, connector },
        (token) => redactor.addSecret(token),
      )
    : undefined;
  for (const s of auth?.secrets() ?? []) redactor.addSecret(s);
  const limiter = createRateLimiter(options.rateLimit);
  const circuitName = connector ?? base.host;
  const circuit: CircuitBreaker | undefined =
    options.circuitBreaker === undefined || options.circuitBreaker === false
      ? undefined
      : createCircuitBreaker(options.circuitBreaker, (state, failures) => {
          if (state === 'open') telemetry.emit('circuit:open', { name: circuitName, failures, connector });
          else if (state === 'half-open') telemetry.emit('circuit:half-open', { name: circuitName, connector });
          else telemetry.emit('circuit:close', { name: circuitName, connector });
        });
  const http = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: fetchImpl });
  const hook = new Hook<RequestOptions, RawResponse>();
  let requestCounter = 0;
  const nextRequestId = () => {
    requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `${Date.now().toString(36)}-${requestCounter.toString(36)}`;
  };

  const readRequestId = (headers: Headers): string | undefined => {
    for (const name of requestIdHeaders) {
      const value = headers.get(name);
      if (value) return value;
    }
    return undefined;
  };

  async function attempt(
    req: RequestOptions,
    url: URL,
    attemptNumber: number,
    requestId: string,
    refreshed: boolean,
  ): Promise<RawResponse> {
    const method = req.method ?? 'GET';
    if (req.signal?.aborted) throw new AbortedError(undefined, { connector, operation: req.operation });
    if (circuit && !circuit.tryAcquire()) {
      throw new CircuitOpenError(undefined, { connector, operation: req.operation });
    }
    let slot: { release: () => void; waitedMs: number };
    try {
      slot = await limiter.acquire(req.signal);
    } catch {
      throw new AbortedError(undefined, { connector, operation: req.operation });
    }
    if (slot.waitedMs > 0)
      telemetry.emit('rate-limit', { waitMs: slot.waitedMs, source: 'local', connector, operation: req.operation });
    const safeUrl = redactor.redactUrl(url.href);
    const started = performance.now();
    let status: number | undefined;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), req.timeoutMs ?? timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    telemetry.emit('request:start', {
      requestId,
      method,
      url: safeUrl,
      attempt: attemptNumber,
      connector,
      operation: req.operation,
    });
    try {
      const headers = new Headers({ accept: 'application/json', ...options.headers, ...req.headers });
      if (req.idempotencyKey) headers.set(idempotencyHeader, req.idempotencyKey);
      const credential = auth ? await auth.apply(headers, signal) : undefined;
      let body: BodyInit | undefined = req.body;
      if (req.form !== undefined) body = toFormBody(req.form);
      const response = await http(url, {
        method,
        headers,
        signal,
        ...(req.json !== undefined ? { json: req.json } : body !== undefined ? { body } : {}),
      });
      status = response.status;
      const vendorRequestId = readRequestId(response.headers);

      if (status === 401 && auth?.refresh && !refreshed) {
        await response.body?.cancel().catch(() => {});
        // A 401 means the request was refused before it did anything, so one replay is safe.
        await auth.refresh(credential, req.signal);
        telemetry.emit('auth:refresh', { strategy: auth.name, ok: true, durationMs: 0, connector, operation: req.operation });
        clearTimeout(timer);
        slot.release();
        return attempt(req, url, attemptNumber, requestId, true);
      }

      if (!response.ok) {
        const text = await response.text();
        const parsedBody = parseMaybeJson(text);
        const context = {
          status,
          headers: response.headers,
          body: parsedBody,
          method,
          operation: req.operation,
          requestId: vendorRequestId,
        };
        const error = options.classifyError?.(context) ?? classifyByStatus(context, connector);
        error.connector ??= connector;
        error.operation ??= req.operation;
        if (options.exposeResponseBody && !Object.hasOwn(error, 'responseBody')) {
          Object.defineProperty(error, 'responseBody', { value: text, enumerable: false });
        }
        throw error;
      }

      const data = await readBody(response, req.responseType ?? 'json', method);
      let validated: unknown = data;
      if (req.schema) {
        const result = req.schema.safeParse(data);
        if (!result.success) {
          const issues = toValidationIssues(result.error);
          throw new ValidationError(`response did not match the expected schema: ${formatIssues(issues)}`, {
            code: 'invalid_response',
            status,
            issues,
            connector,
            operation: req.operation,
            requestId: vendorRequestId,
          });
        }
        validated = result.data;
      }
      circuit?.onSuccess();
      return {
        status,
        headers: response.headers,
        data: validated,
        url: url.href,
        attempts: attemptNumber,
        requestId: vendorRequestId,
      };
    } catch (raw) {
      const error = toHmiError(raw, timeout.signal, req);
      if (isOutage(error)) circuit?.onFailure();
      else if (error.code !== 'circuit_open' && error.code !== 'aborted') circuit?.onSuccess();
      telemetry.emit('request:end', {
        requestId,
        method,
        url: safeUrl,
        attempt: attemptNumber,
        ...(status !== undefined && { status }),
        durationMs: performance.now() - started,
        ok: false,
        errorCode: error.code,
        connector,
        operation: req.operation,
      });
      throw error;
    } finally {
      clearTimeout(timer);
      slot.release();
    }
  }

  function toHmiError(raw: unknown, timeoutSignal: AbortSignal, req: RequestOptions): HmiError {
    if (isHmiError(raw)) return raw;
    const where = { connector, operation: req.operation };
    if (req.signal?.aborted) return new AbortedError(undefined, where);
    if (timeoutSignal.aborted) return new TimeoutError(`no complete response within ${req.timeoutMs ?? timeoutMs} ms`, where);
    return new NetworkError('network error: the request did not complete', { ...where, cause: raw });
  }

  async function send(req: RequestOptions): Promise<RawResponse> {
    const method = req.method ?? 'GET';
    const url = resolveUrl(base, req.path);
    if (req.query) appendQuery(url.searchParams, req.query);
    const policy: RetryOptions = req.retry === false ? { ...clientRetry, retries: 0 } : { ...clientRetry, ...req.retry };
    const mayRetry = !NON_IDEMPOTENT.has(method) || req.idempotencyKey !== undefined;
    const retries = mayRetry ? Math.max(0, policy.retries) : 0;
    const requestId = nextRequestId();
    const firstStarted = Date.now();
    let attempts = 0;
    try {
      return await pRetry(
        async () => {
          attempts++;
          const started = performance.now();
          const result = await attempt(req, url, attempts, requestId, false);
          telemetry.emit('request:end', {
            requestId,
            method,
            url: redactor.redactUrl(url.href),
            attempt: attempts,
            status: result.status,
            durationMs: performance.now() - started,
            ok: true,
            connector,
            operation: req.operation,
          });
          return result;
        },
        {
          retries,
          factor: 1,
          minTimeout: 0,
          maxTimeout: 0,
          randomize: false,
          shouldRetry: async ({ error, retriesLeft }) => {
            if (!isHmiError(error) || !error.retryable || retriesLeft <= 0) return false;
            if (error.code === 'circuit_open') return false;
            let wait = backoffDelay(attempts, policy);
            let reason = error.code;
            if (RateLimitError.isInstance(error) && error.retryAfterMs !== undefined) {
              if (error.retryAfterMs > maxRetryAfterMs) return false;
              wait = error.retryAfterMs;
              reason = 'retry-after';
              telemetry.emit('rate-limit', { waitMs: wait, source: 'server', connector, operation: req.operation });
            }
            if (policy.maxElapsedMs !== undefined && Date.now() - firstStarted + wait > policy.maxElapsedMs) return false;
            telemetry.emit('retry', { requestId, attempt: attempts, reason, waitMs: wait, connector, operation: req.operation });
            try {
              await sleep(wait, req.signal);
            } catch {
              throw new AbortedError(undefined, { connector, operation: req.operation });
            }
            return true;
          },
        },
      );
    } catch (error) {
      const hmi = isHmiError(error) ? error : toHmiError(error, new AbortController().signal, req);
      telemetry.emit('error', { error: hmi.toJSON(), connector, operation: req.operation });
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
  };
}

function isOutage(error: HmiError): boolean {
  if (error.code === 'network_error' || error.code === 'timeout') return true;
  return error.status !== undefined && error.status >= 500;
}

function parseMaybeJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readBody(response: Response, type: 'json' | 'text' | 'bytes', method: HttpMethod): Promise<unknown> {
  if (type === 'bytes') return new Uint8Array(await response.arrayBuffer());
  const text = await response.text();
  if (type === 'text') return text;
  if (text.length === 0 || method === 'HEAD') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A truncated or garbled body is a transport fault: retry where safe.
    throw new ApiError('response body is not valid JSON', { code: 'invalid_json', status: response.status, retryable: true });
  }
}
