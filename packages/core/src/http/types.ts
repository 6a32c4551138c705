import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { HmiError } from '../errors/hmi-error.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { Hook } from '../telemetry/hooks.js';
import type { AuthConfig, AuthStrategy } from './auth/types.js';
import type { RetryOptions } from './backoff.js';
import type { CircuitBreakerOptions, CircuitState } from './circuit-breaker.js';
import type { RateLimitOptions } from './rate-limiter.js';

/** HTTP methods the client sends. POST and PATCH are the non-idempotent ones. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A query-string value; arrays repeat the key, undefined drops it. */
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;

/** What a connector's error classifier sees of a failed response. */
export interface ErrorResponseContext {
  /** The response status. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON. Never put it in an error message. */
  body: unknown;
  /** The request method. */
  method: HttpMethod;
  /** The request's operation name, when it has one. */
  operation: string | undefined;
  /**
   * The vendor request id, read from the usual headers; only a short token of safe characters
   * (`[A-Za-z0-9._:-]`, at most 128) that is not a number and holds no known secret, else undefined.
   */
  requestId: string | undefined;
}

/**
 * Turns a vendor's error response into a typed error. Connectors classify; the core alone retries,
 * reading `retryable` (and `retryAfterMs` on a RateLimitError). Return undefined to use the
 * default classification by status.
 *
 * The classifier says what the vendor answered: its class and `code`, `vendorCode`, `retryable`,
 * and `notProcessed` when the vendor guarantees nothing happened. It never decides whether a write
 * may have taken effect: the core does that once, after the classifier, for every connector (it
 * sets `outcomeUnknown` and appends the request's `reconcile` hint). So a connector attaches its
 * hints here (or through `RequestOptions.reconcile`) and never re-wraps the core's error.
 */
export type ErrorClassifier = (context: ErrorResponseContext) => HmiError | undefined;

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Base URL every path is resolved against. Must be https unless `allowInsecureHttp`. */
  baseUrl: string;
  /** How requests authenticate. */
  auth?: AuthConfig | AuthStrategy;
  /** Time allowed for one attempt, headers and body, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retry policy, or false to never retry. */
  retry?: (Partial<RetryOptions> & { maxRetryAfterMs?: number }) | false;
  /** Client-side rate limit for this instance. */
  rateLimit?: RateLimitOptions;
  /** Circuit breaker for this instance; off unless given. */
  circuitBreaker?: CircuitBreakerOptions | false;
  /**
   * Headers sent with every request. Those named like credentials (`*auth*`, `*key*`, `*token*`,
   * `*secret*`, `*signature*`, `*cookie*`, `*session*`, `*password*`) and those listed in
   * `secretHeaders` are kept out of telemetry and dropped when a redirect leaves the origin.
   */
  headers?: Record<string, string>;
  /**
   * Names of further headers (client or per-request) that carry credentials, e.g. a vendor's
   * `x-clinic-ref` signing header. Like `Authorization` and every header an auth strategy sets,
   * they are removed before a redirect to another origin is followed (https → http redirects are
   * never followed at all). Case-insensitive.
   */
  secretHeaders?: string[];
  /**
   * The largest response body accepted, in bytes counted after decompression. The body is read as
   * it streams and the exchange fails as soon as it passes the cap (an HmiError with code
   * `response_too_large`, not retryable), so a gzip bomb never fills memory. Default 16 MiB.
   */
  maxResponseBytes?: number;
  /** Telemetry bus; a private one by default. */
  telemetry?: Telemetry;
  /**
   * A fetch implementation (edge runtimes, tests, undici pools, proxies). When given, requests go
   * through ky over it; otherwise over node:http(s) with a keep-alive pool owned by this client.
   */
  fetch?: typeof globalThis.fetch;
  /**
   * How requests travel (ignored when `fetch` is given, which always means ky over that fetch):
   * - `node` (default): node:http(s) with a keep-alive pool owned by this client. No dependency,
   *   and MSW's node interceptors see it.
   * - `fetch`: ky over `globalThis.fetch`, looked up at call time: Bun, Deno, edge runtimes,
   *   browsers. In a browser a redirect's target is hidden from scripts, so a 3xx fails with
   *   `redirect_not_followed` instead of being followed.
   */
  transport?: 'node' | 'fetch';
  /** Permit `http://` base URLs. Only for loopback tests. */
  allowInsecureHttp?: boolean;
  /** Connector id put on errors and telemetry. */
  connector?: string;
  /** Header that carries the idempotency key. Default `Idempotency-Key`. */
  idempotencyHeader?: string;
  /** The connector's error classifier. */
  classifyError?: ErrorClassifier;
  /** Keep the raw response body on ApiError.responseBody (non-enumerable). Off by default: it may hold PHI. */
  exposeResponseBody?: boolean;
  /** Response headers that carry a vendor request id, first match wins. */
  requestIdHeaders?: string[];
  /**
   * Waits out the part of a retry's delay beyond p-retry's short base: a server's Retry-After (or
   * a connector's `retryAfterMs`) and the jitter. Rejects when `signal` aborts. Default a timer;
   * a connector passes its injected one so a vendor's long window costs tests no real time.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock (epoch ms) of the elapsed-time budget (`maxElapsedMs`). Default `Date.now`. */
  now?: () => number;
}

/** One request. */
export interface RequestOptions<T = unknown> {
  /** Default `GET`. */
  method?: HttpMethod;
  /** A path below `baseUrl`, or an absolute URL on the same origin (a next-page link). */
  path: string;
  /** Query parameters, appended to any query in `path`. */
  query?: Record<string, QueryValue> | URLSearchParams;
  /** A JSON body. */
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`); arrays repeat the key. */
  form?: Record<string, QueryValue> | URLSearchParams;
  /**
   * Any other body: what `fetch` takes (`RequestInit['body']` rather than the DOM's `BodyInit`, so
   * a Node app's types need no DOM lib).
   */
  body?: NonNullable<RequestInit['body']>;
  /** Headers for this request (override the client's). */
  headers?: Record<string, string>;
  /**
   * Makes a POST or PATCH retryable: every attempt carries this same key in the idempotency header.
   * Without it (or `idempotent`) a non-idempotent request is repeated only after an error the
   * vendor flags `notProcessed`.
   */
  idempotencyKey?: string;
  /**
   * Declares a POST or PATCH idempotent by other means (a FHIR conditional create with
   * `If-None-Exist`, an upsert keyed by the body): the core may retry it like a GET, and sends no
   * idempotency header. Without it (and without `idempotencyKey`) a write is retried only on errors
   * flagged `notProcessed`; any other failure after it was sent comes back with
   * `retryable: false` and `outcomeUnknown: true`.
   */
  idempotent?: boolean;
  /** Validates the response body; a mismatch is a ValidationError. */
  schema?: StandardSchemaV1<unknown, T>;
  /** Aborts the request, its retries and waits: rejects with AbortedError, never retried. */
  signal?: AbortSignal;
  /** A name for telemetry and errors, e.g. `createPaymentIntent`. */
  operation?: string;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Overrides the client's retry policy for this request. */
  retry?: Partial<RetryOptions> | false;
  /** Overrides the client's `maxResponseBytes` for this request (a large download). */
  maxResponseBytes?: number;
  /**
   * How to reconcile this write when its outcome is unknown, e.g. `'look the message up with
   * listMessages before sending again'`. A fixed text, never request data: when the core marks an
   * error of this request `outcomeUnknown`, it appends the hint to the error's message, so a
   * connector need not re-wrap the core's error (the "may have been sent" decision is made once, in
   * the core).
   */
  reconcile?: string;
  /** How to read a successful body. Default `json` (empty body → undefined). */
  responseType?: 'json' | 'text' | 'bytes';
}

/** A response with its status and headers. */
export interface RawResponse<T = unknown> {
  /** The final status (2xx). */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** The parsed (and, with `schema`, validated) body. */
  data: T;
  /** The final URL (redacted form is what telemetry sees; this one is exact). */
  url: string;
  /** Attempts made, 1 when the first succeeded. */
  attempts: number;
  /** The vendor's request id, from the first of `requestIdHeaders` present, when it is a safe token. */
  requestId: string | undefined;
}

/** An HTTP client with auth, timeouts, retries, rate limit and circuit breaker. */
export interface HttpClient {
  /** Sends a request and resolves to the parsed (and, with `schema`, validated) body. */
  request<T = unknown>(options: RequestOptions<T>): Promise<T>;
  /** Like `request`, with status and headers. */
  requestRaw<T = unknown>(options: RequestOptions<T>): Promise<RawResponse<T>>;
  /** Octokit-style hooks around every request. */
  readonly hook: Hook<RequestOptions, RawResponse>;
  /** The client's telemetry bus. */
  readonly telemetry: Telemetry;
  /** The base URL, normalised. */
  readonly baseUrl: string;
  /** The circuit breaker's state, when one is configured. */
  readonly circuitState: CircuitState | undefined;
  /**
   * Destroys this client's pooled sockets. Optional: idle pooled sockets never keep the process
   * alive, but long-lived hosts that drop a client may free them at once.
   */
  close(): void;
}
