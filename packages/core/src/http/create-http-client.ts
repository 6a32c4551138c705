import pRetry from 'p-retry';
import {
  AbortedError,
  ApiError,
  CircuitOpenError,
  ConfigError,
  NetworkError,
  TimeoutError,
  ValidationError,
} from '../errors/errors.js';
import { HmiError, isHmiError } from '../errors/hmi-error.js';
import { markOutcomeUnknown, scrubCause } from '../errors/internal.js';
import { formatIssues, toValidationIssues } from '../errors/zod-issues.js';
import { Hook } from '../telemetry/hooks.js';
import { createTelemetry, type TelemetryEventName } from '../telemetry/telemetry.js';
import { createAuthStrategy, isAuthStrategy } from './auth/strategies.js';
import { assertSecureUrl } from './auth/token-endpoint.js';
import type { AuthStrategy } from './auth/types.js';
import { DEFAULT_RETRY, type RetryOptions, backoffDelay, sleep } from './backoff.js';
import { classifyByStatus } from './classify.js';
import { Cancellation } from './cancellation.js';
import { type CircuitPermit, createCircuitBreaker } from './circuit-breaker.js';
import { createRateLimiter } from './rate-limiter.js';
import { type Transport, type TransportResponse, createFetchTransport, createNodeTransport, isSimpleBody } from './transport.js';
import type { HttpClient, HttpClientOptions, HttpMethod, RawResponse, RequestOptions } from './types.js';
import { createUndiciTransport } from './undici-transport.js';
import { appendQuery, resolveUrl, toFormBody } from './url.js';

const NON_IDEMPOTENT: ReadonlySet<string> = new Set(['POST', 'PATCH']);
const DEFAULT_REQUEST_ID_HEADERS = ['request-id', 'x-request-id', 'twilio-request-id', 'x-amzn-requestid', 'x-correlation-id'];
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
const FORM_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';
/** Socket errors that mean no connection was made, so the request cannot have reached the vendor. */
const NOT_CONNECTED: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What one attempt learned about the vendor, for the circuit breaker's verdict. */
interface AttemptTrack {
  /** The last exchange was handed to the transport. */
  sent: boolean;
  /** The vendor answered at least once in this attempt. */
  answered: boolean;
}

/** What an exchange answers when a 401 may be fixed by a refresh: the credential that was refused. */
class Unauthorized {
  constructor(readonly credential: string | undefined) {}
}
type ExchangeResult = RawResponse | Unauthorized;

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
  if (options.transport !== undefined && !['node', 'fetch', 'undici'].includes(options.transport)) {
    throw configError('transport', "one of 'node', 'fetch', 'undici'");
  }
}

/**
 * Creates an HTTP client: one retry layer (p-retry) with full-jitter backoff that honours
 * Retry-After, idempotency keys for POST/PATCH, auth with one shared token refresh and a single
 * replay on 401, a per-instance rate limiter and circuit breaker, redacted telemetry and typed
 * errors that never carry bodies or credentials.
 *
 * Transport: with a `fetch` option (or `transport: 'fetch'`) requests go through ky (its own retry
 * and timeout off) over that fetch. By default they go over node:http(s) with a keep-alive pool
 * owned by this client, which avoids the WHATWG Request/Response cost that dominates small API
 * calls (see docs/performance.md); streamed, Blob and FormData bodies still go through ky and fetch.
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
  const baseHeaders: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    baseHeaders[name.toLowerCase()] = value;
    // Headers given as config may be credentials (API keys): keep them out of telemetry.
    if (/auth|key|token|secret|signature/i.test(name)) redactor.addSecret(value);
  }

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
  const node = useFetch ? undefined : options.transport === 'undici' ? createUndiciTransport() : createNodeTransport();
  let fetchTransport: Transport | undefined;
  const transportFor = (body: unknown): Transport =>
    node && isSimpleBody(body as never) ? node.send : (fetchTransport ??= createFetchTransport(options.fetch));

  const hook = new Hook<RequestOptions, RawResponse>();
  let requestCounter = 0;
  const nextRequestId = () => {
    requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
    return `${Date.now().toString(36)}-${requestCounter.toString(36)}`;
  };

  const readRequestId = (response: TransportResponse): string | undefined => {
    for (const name of requestIdHeaders) {
      const value = response.header(name);
      if (value) return value;
    }
    return undefined;
  };

  /** Per logical request: everything the attempts share. */
  interface Call {
    req: RequestOptions;
    method: HttpMethod;
    url: URL;
    body: string | Uint8Array | BodyInit | undefined;
    contentType: string | undefined;
    /** Our id for the logical request (telemetry only), made on first use. */
    requestId: string | undefined;
    deadline: number | undefined;
    safeUrl: string | undefined;
    policy: RetryOptions;
    /**
     * A POST/PATCH with no idempotency key and not marked `idempotent`: an error after it was sent
     * (other than one the vendor flags `notProcessed`) leaves its outcome unknown.
     */
    unsafe: boolean;
  }

  const safeUrlOf = (call: Call) => (call.safeUrl ??= redactor.redactUrl(call.url.href));
  const requestIdOf = (call: Call) => (call.requestId ??= nextRequestId());

  function toHmiError(raw: unknown, timedOut: boolean, call: Call, limitMs: number): HmiError {
    if (isHmiError(raw)) return raw;
    const where = { connector, operation: call.req.operation };
    if (call.req.signal?.aborted) return new AbortedError(undefined, where);
    if (timedOut) return new TimeoutError(`no complete response within ${Math.round(limitMs)} ms`, where);
    const error = new NetworkError('network error: the request did not complete', {
      ...where,
      cause: raw,
      ...(neverConnected(raw) && { notProcessed: true }),
    });
    scrubCause(error, redactor.redactString);
    return error;
  }

  function endExchange(
    call: Call,
    attemptNumber: number,
    started: number,
    status: number | undefined,
    ok: boolean,
    errorCode?: string,
  ) {
    if (!wants('request:end')) return;
    telemetry.emit('request:end', {
      requestId: requestIdOf(call),
      method: call.method,
      url: safeUrlOf(call),
      attempt: attemptNumber,
      ...(status !== undefined && { status }),
      durationMs: performance.now() - started,
      ok,
      ...(errorCode !== undefined && { errorCode }),
      connector,
      operation: call.req.operation,
    });
  }

  /** One HTTP exchange: credentials, send, read and classify, under its own timeout. */
  async function exchange(
    call: Call,
    attemptNumber: number,
    allowRefresh: boolean,
    track: AttemptTrack,
  ): Promise<ExchangeResult> {
    const { req, method } = call;
    track.sent = false;
    let limitMs = req.timeoutMs ?? timeoutMs;
    if (call.deadline !== undefined) limitMs = Math.min(limitMs, call.deadline - Date.now());
    if (limitMs <= 0) {
      throw new TimeoutError('retry.maxElapsedMs was used up before the request could be sent', {
        connector,
        operation: req.operation,
      });
    }
    const cancellation = new Cancellation();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      cancellation.cancel(new Error(`timed out after ${Math.round(limitMs)} ms`));
    }, limitMs);
    const userSignal = req.signal;
    const onUserAbort = userSignal ? () => cancellation.cancel(userSignal.reason) : undefined;
    if (onUserAbort) userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const started = performance.now();
    let status: number | undefined;
    if (wants('request:start')) {
      telemetry.emit('request:start', {
        requestId: requestIdOf(call),
        method,
        url: safeUrlOf(call),
        attempt: attemptNumber,
        connector,
        operation: req.operation,
      });
    }
    try {
      const headers: Record<string, string> = { ...baseHeaders };
      if (req.headers) for (const name of Object.keys(req.headers)) headers[name.toLowerCase()] = req.headers[name] as string;
      if (call.contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = call.contentType;
      if (req.idempotencyKey !== undefined) headers[idempotencyHeader] = req.idempotencyKey;
      let credential: string | undefined;
      if (auth) {
        const applied = auth.applyTo
          ? auth.applyTo(headers, () => cancellation.signal)
          : applyWithHeaders(auth, headers, cancellation.signal);
        credential = typeof applied === 'object' ? await applied : applied;
      }
      track.sent = true;
      const response = await transportFor(call.body)({
        method,
        url: call.url,
        headers,
        body: call.body,
        cancellation,
      });
      track.answered = true;
      status = response.status;
      const vendorRequestId = readRequestId(response);

      if (status === 401 && allowRefresh) {
        await response.discard();
        endExchange(call, attemptNumber, started, status, false, 'unauthorized');
        return new Unauthorized(credential);
      }

      if (status < 200 || status > 299) {
        const text = await response.text();
        const context = {
          status,
          headers: response.headers,
          body: parseMaybeJson(text),
          method,
          operation: req.operation,
          requestId: vendorRequestId,
        };
        const error = options.classifyError?.(context) ?? classifyByStatus(context, connector);
        error.connector ??= connector;
        error.operation ??= req.operation;
        if (options.exposeResponseBody === true && !Object.hasOwn(error, 'responseBody')) {
          Object.defineProperty(error, 'responseBody', { value: text, enumerable: false, configurable: true });
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
      endExchange(call, attemptNumber, started, status, true);
      return new ClientRawResponse(response, validated, call.url.href, attemptNumber, vendorRequestId);
    } catch (raw) {
      const error = toHmiError(raw, timedOut, call, limitMs);
      // A write that reached the wire and failed in a way that could heal may still have taken
      // effect: it must not be repeated, by us or by an outbox that trusts `retryable`.
      if (call.unsafe && track.sent && !error.notProcessed && (error.retryable || mayHaveActed(error))) {
        markOutcomeUnknown(error);
      }
      endExchange(call, attemptNumber, started, status, false, error.code);
      throw error;
    } finally {
      clearTimeout(timer);
      if (onUserAbort) userSignal?.removeEventListener('abort', onUserAbort);
    }
  }

  /** Gets a fresh credential after a 401. Built-in strategies report their own token fetches. */
  async function refreshCredential(used: string | undefined, call: Call): Promise<void> {
    if (!auth?.refresh) return;
    if (builtInAuth) {
      await auth.refresh(used, call.req.signal);
      return;
    }
    const started = performance.now();
    const report = (ok: boolean, errorCode?: string) =>
      telemetry.emit('auth:refresh', {
        strategy: auth.name,
        ok,
        durationMs: performance.now() - started,
        trigger: '401',
        ...(errorCode !== undefined && { errorCode }),
        connector,
        operation: call.req.operation,
      });
    try {
      await auth.refresh(used, call.req.signal);
      report(true);
    } catch (error) {
      report(false, isHmiError(error) ? error.code : 'error');
      throw error;
    }
  }

  /** One attempt: circuit permit, rate-limit slot, the exchange, and on 401 one refresh and one replay. */
  async function attempt(call: Call, attemptNumber: number): Promise<RawResponse> {
    const { req } = call;
    if (req.signal?.aborted) throw new AbortedError(undefined, { connector, operation: req.operation });
    let permit: CircuitPermit | undefined;
    if (circuit) {
      permit = circuit.acquire();
      if (!permit) throw new CircuitOpenError(undefined, { connector, operation: req.operation });
    }
    let release: (() => void) | undefined;
    if (!limiter.unlimited) {
      try {
        const slot = await limiter.acquire(req.signal);
        release = slot.release;
        if (slot.waitedMs > 0) {
          telemetry.emit('rate-limit', { waitMs: slot.waitedMs, source: 'local', connector, operation: req.operation });
        }
      } catch {
        permit?.abandon();
        throw new AbortedError(undefined, { connector, operation: req.operation });
      }
    }
    const track: AttemptTrack = { sent: false, answered: false };
    try {
      let result = await exchange(call, attemptNumber, auth?.refresh !== undefined, track);
      if (result instanceof Unauthorized) {
        // A 401 means the request was refused before it did anything, so one replay is safe.
        await refreshCredential(result.credential, call);
        result = await exchange(call, attemptNumber, false, track);
      }
      permit?.success();
      return result as RawResponse;
    } catch (error) {
      if (permit) {
        const hmi = error as HmiError;
        if (track.sent && hmi.code !== 'aborted' && isOutage(hmi)) permit.failure();
        else if (track.answered) permit.success();
        else permit.abandon();
      }
      throw error;
    } finally {
      release?.();
    }
  }

  function prepare(req: RequestOptions): Call {
    if (!req || typeof req.path !== 'string') {
      throw new HmiError('request path must be a string', { code: 'invalid_request', operation: req?.operation, connector });
    }
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    let url: URL;
    try {
      url = resolveUrl(base, req.path);
      if (req.query) appendQuery(url.searchParams, req.query);
    } catch (error) {
      if (isHmiError(error)) throw error;
      throw new HmiError('request path is not a valid URL', { code: 'invalid_request', operation: req.operation, connector });
    }
    let body: Call['body'];
    let contentType: string | undefined;
    if (req.json !== undefined) {
      try {
        body = JSON.stringify(req.json);
      } catch {
        throw new ValidationError('json body could not be serialised', {
          issues: [{ path: ['json'], code: 'invalid_type', message: 'expected JSON-serialisable data' }],
          connector,
          operation: req.operation,
        });
      }
      contentType = 'application/json';
    } else if (req.form !== undefined) {
      body = toFormBody(req.form).toString();
      contentType = FORM_TYPE;
    } else if (req.body !== undefined && req.body !== null) {
      const raw = req.body;
      if (typeof raw === 'string') {
        body = raw;
        contentType = 'text/plain;charset=UTF-8';
      } else if (raw instanceof URLSearchParams) {
        body = raw.toString();
        contentType = FORM_TYPE;
      } else if (raw instanceof ArrayBuffer) {
        body = new Uint8Array(raw);
      } else if (ArrayBuffer.isView(raw)) {
        body = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      } else {
        body = raw;
      }
    }
    const policy: RetryOptions =
      req.retry === undefined
        ? clientRetry
        : req.retry === false
          ? { ...clientRetry, retries: 0 }
          : { ...clientRetry, ...req.retry };
    return {
      req,
      method,
      url,
      body,
      contentType,
      requestId: undefined,
      deadline: policy.maxElapsedMs !== undefined ? Date.now() + policy.maxElapsedMs : undefined,
      safeUrl: undefined,
      policy,
      unsafe: NON_IDEMPOTENT.has(method) && req.idempotencyKey === undefined && req.idempotent !== true,
    };
  }

  /** Retries after a failed first attempt: p-retry, with our wait (backoff or Retry-After). */
  async function retryAfterFirst(current: Call, first: unknown, retries: number): Promise<RawResponse> {
    const { req, policy } = current;
    let attempts = 1;
    /** Decides on a retry and, when retrying, waits (backoff or Retry-After) first. */
    const shouldRetry = async (error: unknown): Promise<boolean> => {
      if (!isHmiError(error) || !error.retryable) return false;
      if (error.code === 'circuit_open' || error.code === 'aborted') return false;
      let wait = backoffDelay(attempts, policy);
      let reason: string = error.code;
      const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof retryAfterMs === 'number') {
        if (retryAfterMs > maxRetryAfterMs) return false;
        wait = retryAfterMs;
        reason = 'retry-after';
        telemetry.emit('rate-limit', { waitMs: wait, source: 'server', connector, operation: req.operation });
      }
      if (current.deadline !== undefined && Date.now() + wait >= current.deadline) return false;
      telemetry.emit('retry', {
        requestId: requestIdOf(current),
        attempt: attempts,
        reason,
        waitMs: wait,
        connector,
        operation: req.operation,
      });
      try {
        await sleep(wait, req.signal);
      } catch {
        throw new AbortedError(undefined, { connector, operation: req.operation });
      }
      return true;
    };
    if (!(await shouldRetry(first))) throw first;
    return pRetry(
      () => {
        attempts++;
        return attempt(current, attempts);
      },
      {
        retries: retries - 1,
        factor: 1,
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        shouldRetry: ({ error }) => shouldRetry(error),
      },
    );
  }

  async function send(req: RequestOptions): Promise<RawResponse> {
    let call: Call | undefined;
    try {
      call = prepare(req);
      // A stream body cannot be sent twice. A non-idempotent call without a key is retried only on
      // errors that prove nothing happened: every other error of such a call has `retryable: false`
      // (see the exchange), so the retry layer's `retryable` check covers it.
      const replayable = isSimpleBody(call.body as never) || call.body instanceof URLSearchParams;
      const retries = replayable ? Math.max(0, Math.floor(call.policy.retries)) : 0;
      // The first attempt runs directly: most requests succeed at once, and p-retry's bookkeeping
      // is measurable on fast calls. p-retry remains the one retry layer for everything after it.
      const current = call;
      try {
        return await attempt(current, 1);
      } catch (first) {
        if (retries === 0) throw first;
        return await retryAfterFirst(current, first, retries);
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

/** Runs a strategy's `apply` on a Headers object and copies the result into the record. */
async function applyWithHeaders(
  auth: AuthStrategy,
  record: Record<string, string>,
  signal: AbortSignal,
): Promise<string | undefined> {
  const headers = new Headers(record);
  const credential = await auth.apply(headers, signal);
  headers.forEach((value, name) => {
    record[name] = value;
  });
  return credential;
}

/** A successful response; the headers are built on first use (most callers never read them). */
class ClientRawResponse implements RawResponse {
  readonly status: number;
  constructor(
    private readonly response: TransportResponse,
    readonly data: unknown,
    readonly url: string,
    readonly attempts: number,
    readonly requestId: string | undefined,
  ) {
    this.status = response.status;
  }
  get headers(): Headers {
    return this.response.headers;
  }
  /** Plain JSON without the transport (for logs and snapshot tests). */
  toJSON() {
    return { status: this.status, data: this.data, url: this.url, attempts: this.attempts, requestId: this.requestId };
  }
}

/** Failures that say the vendor is unwell (they count towards opening the circuit). */
function isOutage(error: HmiError): boolean {
  if (error.code === 'network_error' || error.code === 'timeout') return true;
  return error.status !== undefined && error.status >= 500;
}

/**
 * Failures after which a write may have been carried out even when the classifier called them
 * final (a connector may already make a 5xx on POST non-retryable): timeouts, dropped connections,
 * 5xx other than 501. The flag must still be set so outboxes know to reconcile.
 */
function mayHaveActed(error: HmiError): boolean {
  return isOutage(error) && error.status !== 501;
}

/** Whether a transport error says no connection was ever made (so nothing was sent). */
function neverConnected(raw: unknown): boolean {
  for (let error = raw, depth = 0; error && typeof error === 'object' && depth < 3; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    error = (error as { cause?: unknown }).cause;
  }
  return false;
}

function parseMaybeJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readBody(response: TransportResponse, type: 'json' | 'text' | 'bytes', method: HttpMethod): Promise<unknown> {
  if (method === 'HEAD') {
    await response.discard();
    return undefined;
  }
  if (type === 'bytes') return response.bytes();
  const text = await response.text();
  if (type === 'text') return text;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A truncated or garbled body is a transport fault: retry where safe.
    throw new ApiError('response body is not valid JSON', { code: 'invalid_json', status: response.status, retryable: true });
  }
}
