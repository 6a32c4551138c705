/**
 * Prepare: everything about one logical request that its attempts share — method, URL, serialised
 * body, retry policy, write safety, deadline — and the headers each attempt starts from.
 * Internal to the core.
 */
import { ValidationError } from '../errors/errors.js';
import { HmiError, isHmiError } from '../errors/hmi-error.js';
import type { RetryOptions } from './backoff.js';
import { ALWAYS_SECRET_HEADERS } from './redirect.js';
import { isSimpleBody } from './transport.js';
import type { HttpMethod, RequestOptions } from './types.js';
import { appendQuery, resolveUrl, toFormBody } from './url.js';
import { isUnsafeWrite } from './write-safety.js';

const FORM_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';
/** Header names that are credentials by their look (API keys given as plain headers). */
const SECRET_LOOKING = /auth|key|token|secret|signature|cookie|session|password/i;

/** Per logical request: everything the attempts share. */
export interface Call {
  req: RequestOptions;
  method: HttpMethod;
  url: URL;
  body: string | Uint8Array | NonNullable<RequestInit['body']> | undefined;
  contentType: string | undefined;
  /** Our id for the logical request (telemetry only), made on first use. */
  requestId: string | undefined;
  /** Epoch ms after which no attempt may start (from `retry.maxElapsedMs`). */
  deadline: number | undefined;
  /** The redacted URL, made on first use. */
  safeUrl: string | undefined;
  policy: RetryOptions;
  /** See {@link isUnsafeWrite}. */
  unsafe: boolean;
  /** The body can be sent again (not a stream): only then is the request retried. */
  replayable: boolean;
}

/** What {@link prepareCall} needs of the client. */
export interface PrepareContext {
  base: URL;
  connector: string | undefined;
  /** The client's retry policy (a request's `retry` overrides it). */
  retry: RetryOptions;
  now: () => number;
}

/** Whether a header (by name) is a credential whoever set it: named like one, or marked by the caller. */
export function isSecretHeaderName(name: string, marked: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return marked.has(lower) || ALWAYS_SECRET_HEADERS.includes(lower) || SECRET_LOOKING.test(lower);
}

/** Validates and serialises one request. Throws `invalid_request` / ValidationError on bad input. */
export function prepareCall(req: RequestOptions, ctx: PrepareContext): Call {
  const { connector } = ctx;
  if (!req || typeof req.path !== 'string') {
    throw new HmiError('request path must be a string', { code: 'invalid_request', operation: req?.operation, connector });
  }
  const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
  let url: URL;
  try {
    url = resolveUrl(ctx.base, req.path);
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
    req.retry === undefined ? ctx.retry : req.retry === false ? { ...ctx.retry, retries: 0 } : { ...ctx.retry, ...req.retry };
  return {
    req,
    method,
    url,
    body,
    contentType,
    requestId: undefined,
    deadline: policy.maxElapsedMs !== undefined ? ctx.now() + policy.maxElapsedMs : undefined,
    safeUrl: undefined,
    policy,
    unsafe: isUnsafeWrite(method, req),
    replayable: isSimpleBody(body as never) || body instanceof URLSearchParams,
  };
}

/** The retries a call may have: none for a body that cannot be sent twice. */
export function retriesFor(call: Call): number {
  return call.replayable ? Math.max(0, Math.floor(call.policy.retries)) : 0;
}

/**
 * The headers of one attempt: the client's, the request's (which win), the content type and the
 * idempotency key. `secret` collects the names of request headers that are credentials by their
 * look or by the caller's mark, so a redirect to another origin drops them.
 */
export function buildHeaders(
  call: Call,
  base: Readonly<Record<string, string>>,
  idempotencyHeader: string,
  marked: ReadonlySet<string>,
  secret: string[],
): Record<string, string> {
  const { req } = call;
  const headers: Record<string, string> = { ...base };
  if (req.headers) {
    for (const name of Object.keys(req.headers)) {
      const lower = name.toLowerCase();
      headers[lower] = req.headers[name] as string;
      if (isSecretHeaderName(lower, marked)) secret.push(lower);
    }
  }
  if (call.contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = call.contentType;
  if (req.idempotencyKey !== undefined) headers[idempotencyHeader] = req.idempotencyKey;
  return headers;
}
