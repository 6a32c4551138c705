/**
 * Exchange: one HTTP exchange under its own timeout — credentials, transport, reading and
 * classifying the response. A 401 that a refresh may fix comes back as {@link Unauthorized}.
 * Internal to the core.
 */
import { AbortedError, ApiError, NetworkError, TimeoutError, ValidationError } from '../errors/errors.js';
import { type HmiError, isHmiError } from '../errors/hmi-error.js';
import { scrubCause } from '../errors/internal.js';
import { formatIssues } from '../errors/zod-issues.js';
import { runSchema } from '../schema/standard.js';
import type { Redactor } from '../redaction/redactor.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { AuthStrategy } from './auth/types.js';
import { Cancellation } from './cancellation.js';
import { classifyByStatus } from './classify.js';
import { buildHeaders, type Call } from './prepare.js';
import { safeRequestId } from './request-id.js';
import type { Transport, TransportResponse } from './transport.js';
import type { ErrorClassifier, ErrorResponseContext, HttpMethod, RawResponse } from './types.js';
import { applyWriteSafety, neverConnected } from './write-safety.js';

/** What one attempt learned about the vendor, for the circuit breaker's verdict. */
export interface AttemptTrack {
  /** The last exchange was handed to the transport. */
  sent: boolean;
  /** The vendor answered at least once in this attempt. */
  answered: boolean;
}

/** What an exchange answers when a 401 may be fixed by a refresh: the credential that was refused. */
export class Unauthorized {
  constructor(readonly credential: string | undefined) {}
}

/** What the exchange stage needs of the client. */
export interface ExchangeDeps {
  connector: string | undefined;
  telemetry: Telemetry;
  redactor: Redactor;
  /** Whether anyone listens to a telemetry event (skips building payloads nobody reads). */
  wants: (name: 'request:start' | 'request:end') => boolean;
  auth: AuthStrategy | undefined;
  transportFor: (body: Call['body']) => Transport;
  baseHeaders: Readonly<Record<string, string>>;
  idempotencyHeader: string;
  /** Lower-case header names the caller marked secret (`secretHeaders`). */
  markedSecret: ReadonlySet<string>;
  /** Lower-case names of the client's own headers that are credentials. */
  clientSecretHeaders: readonly string[];
  timeoutMs: number;
  maxResponseBytes: number;
  requestIdHeaders: readonly string[];
  classifyError: ErrorClassifier | undefined;
  exposeResponseBody: boolean;
  requestIdOf: (call: Call) => string;
  safeUrlOf: (call: Call) => string;
  /** Epoch ms (for the deadline). */
  now: () => number;
}

/** One exchange; see the module comment. */
export type Exchange = (
  call: Call,
  attemptNumber: number,
  allowRefresh: boolean,
  track: AttemptTrack,
) => Promise<RawResponse | Unauthorized>;

/** Builds the exchange stage. */
export function createExchange(deps: ExchangeDeps): Exchange {
  const { connector, telemetry, redactor, auth } = deps;
  const isSecret = (value: string) => redactor.redactString(value) !== value;

  const readRequestId = (response: TransportResponse): string | undefined => {
    for (const name of deps.requestIdHeaders) {
      const value = response.header(name);
      if (value) return safeRequestId(value, isSecret);
    }
    return undefined;
  };

  function toHmiError(raw: unknown, timedOut: boolean, call: Call, limitMs: number): HmiError {
    if (isHmiError(raw)) return raw;
    const where = { connector, operation: call.req.operation };
    if (call.req.signal?.aborted) return new AbortedError(undefined, where);
    if (timedOut) return new TimeoutError(`no complete response within ${Math.round(limitMs)} ms`, where);
    // The host and the system code say where and why (ECONNREFUSED to ehr.example:443); a host is
    // configuration, not patient data, while the path and query are left out.
    const code = (raw as { code?: unknown } | undefined)?.code;
    const why = typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : '';
    const error = new NetworkError(`network error: the request to ${call.url.host} did not complete${why}`, {
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
    if (!deps.wants('request:end')) return;
    telemetry.emit('request:end', {
      requestId: deps.requestIdOf(call),
      method: call.method,
      url: deps.safeUrlOf(call),
      attempt: attemptNumber,
      ...(status !== undefined && { status }),
      durationMs: performance.now() - started,
      ok,
      ...(errorCode !== undefined && { errorCode }),
      connector,
      operation: call.req.operation,
    });
  }

  async function failure(response: TransportResponse, call: Call, requestId: string | undefined): Promise<never> {
    const text = await response.text();
    const context: ErrorResponseContext = {
      status: response.status,
      headers: response.headers,
      body: parseMaybeJson(text),
      method: call.method,
      operation: call.req.operation,
      requestId,
    };
    const error = deps.classifyError?.(context) ?? classifyByStatus(context, connector);
    error.connector ??= connector;
    error.operation ??= call.req.operation;
    if (deps.exposeResponseBody && !Object.hasOwn(error, 'responseBody')) {
      Object.defineProperty(error, 'responseBody', { value: text, enumerable: false, configurable: true });
    }
    throw error;
  }

  return async function exchange(call, attemptNumber, allowRefresh, track) {
    const { req, method } = call;
    track.sent = false;
    let limitMs = req.timeoutMs ?? deps.timeoutMs;
    if (call.deadline !== undefined) limitMs = Math.min(limitMs, call.deadline - deps.now());
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
    if (deps.wants('request:start')) {
      telemetry.emit('request:start', {
        requestId: deps.requestIdOf(call),
        method,
        url: deps.safeUrlOf(call),
        attempt: attemptNumber,
        connector,
        operation: req.operation,
      });
    }
    try {
      const secret: string[] = [...deps.clientSecretHeaders];
      const headers = buildHeaders(call, deps.baseHeaders, deps.idempotencyHeader, deps.markedSecret, secret);
      let credential: string | undefined;
      if (auth) credential = await applyAuth(auth, headers, cancellation, secret);
      track.sent = true;
      const response = await deps.transportFor(call.body)({
        method,
        url: call.url,
        headers,
        body: call.body,
        cancellation,
        secretHeaders: secret,
        maxResponseBytes: req.maxResponseBytes ?? deps.maxResponseBytes,
      });
      track.answered = true;
      status = response.status;
      const vendorRequestId = readRequestId(response);

      if (status === 401 && allowRefresh) {
        await response.discard();
        endExchange(call, attemptNumber, started, status, false, 'unauthorized');
        return new Unauthorized(credential);
      }
      if (status < 200 || status > 299) await failure(response, call, vendorRequestId);

      const data = await readBody(response, req.responseType ?? 'json', method);
      let validated: unknown = data;
      if (req.schema) {
        const result = runSchema(req.schema, data);
        if (!result.ok) {
          const issues = result.issues;
          throw new ValidationError(`response did not match the expected schema: ${formatIssues(issues)}`, {
            code: 'invalid_response',
            status,
            issues,
            connector,
            operation: req.operation,
            requestId: vendorRequestId,
          });
        }
        validated = result.value;
      }
      endExchange(call, attemptNumber, started, status, true);
      return new ClientRawResponse(response, validated, call.url.href, attemptNumber, vendorRequestId);
    } catch (raw) {
      const error = toHmiError(raw, timedOut, call, limitMs);
      error.connector ??= connector;
      error.operation ??= req.operation;
      applyWriteSafety(error, { unsafe: call.unsafe, sent: track.sent, reconcile: req.reconcile });
      endExchange(call, attemptNumber, started, status, false, error.code);
      throw error;
    } finally {
      clearTimeout(timer);
      if (onUserAbort) userSignal?.removeEventListener('abort', onUserAbort);
    }
  };
}

/**
 * Applies the strategy and records every header it added or changed as a credential: whatever an
 * auth strategy sets (built-in or custom) never follows a redirect to another origin.
 */
async function applyAuth(
  auth: AuthStrategy,
  headers: Record<string, string>,
  cancellation: Cancellation,
  secret: string[],
): Promise<string | undefined> {
  const before = { ...headers };
  let credential: string | undefined;
  if (auth.applyTo) {
    const applied = auth.applyTo(headers, () => cancellation.signal);
    credential = typeof applied === 'object' ? await applied : applied;
  } else {
    const record = new Headers(headers);
    credential = await auth.apply(record, cancellation.signal);
    record.forEach((value, name) => {
      headers[name] = value;
    });
  }
  for (const name in headers) if (headers[name] !== before[name]) secret.push(name);
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
