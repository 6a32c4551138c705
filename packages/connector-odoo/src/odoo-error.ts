import {
  ApiError,
  AuthError,
  type ErrorResponseContext,
  type HmiError,
  parseRetryAfter,
  RateLimitError,
  ValidationError,
} from '@hmi/core';

/**
 * Only the exception's class name is ever read from an Odoo error. `message`, `arguments` and
 * `context` are the server's free text — a ValidationError quotes the record ("The partner
 * 'فاطمة الحربي' …") — and `debug` is a full traceback with local values. None of them may reach an
 * error message, its JSON, a log or telemetry, so none of them is even copied.
 */
function exceptionName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  // A dotted Python path: anything else is not a class name and is not trusted as one.
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value) ? value : undefined;
}

/** Where a fault came from, for the error's safe fields. */
export interface OdooFaultMeta {
  status?: number | undefined;
  operation?: string | undefined;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** Exception classes Odoo raises when two transactions collide; the same call may succeed later. */
const TRANSIENT = [
  'psycopg2.errors.SerializationFailure',
  'psycopg2.errors.LockNotAvailable',
  'psycopg2.errors.DeadlockDetected',
  'psycopg2.OperationalError',
  'odoo.exceptions.ConcurrencyError',
  'werkzeug.exceptions.ServiceUnavailable',
  'werkzeug.exceptions.TooManyRequests',
];

/**
 * Maps an Odoo exception (JSON-2's error body `name`, JSON-RPC's `error.data.name`) to a typed
 * error. The message is built from the class name alone ("Odoo AccessError: access refused"):
 * - `AccessDenied`, `werkzeug…Unauthorized`, `SessionExpiredException` → AuthError (credentials);
 * - `AccessError` → AuthError, code `forbidden` (the user lacks the right on that model or record);
 * - `MissingError`, `werkzeug…NotFound` → ApiError `not_found`;
 * - `ValidationError`, `UserError`, `RedirectWarning`, `ValueError`, `KeyError` → ValidationError
 *   (Odoo refused the values; repeating cannot help);
 * - `UniqueViolation`/`IntegrityError` → ApiError `conflict`;
 * - serialization failures, lock timeouts, 503/429 → transient (retryable, and 429 `notProcessed`);
 * - anything else → ApiError, retryable only for a 5xx status other than 500.
 */
export function odooFaultToError(name: unknown, meta: OdooFaultMeta): HmiError {
  const exception = exceptionName(name);
  const short = exception?.split('.').at(-1) ?? 'error';
  const { status, operation, requestId } = meta;
  const base = {
    connector: 'odoo',
    ...(status !== undefined && { status }),
    ...(operation !== undefined && { operation }),
    ...(requestId !== undefined && { requestId }),
    ...(exception !== undefined && { vendorCode: exception }),
  };
  const label = `Odoo ${short}`;
  if (exception && TRANSIENT.includes(exception)) {
    if (exception.endsWith('TooManyRequests') || status === 429) {
      return new RateLimitError(`${label}: rate limited`, {
        ...base,
        notProcessed: true,
        ...(meta.retryAfterMs !== undefined && { retryAfterMs: meta.retryAfterMs }),
      });
    }
    return new ApiError(`${label}: transient failure, the transaction was rolled back`, {
      ...base,
      code: 'transient',
      retryable: true,
      // Odoo runs each call in one transaction and rolls it back on these errors: nothing happened.
      notProcessed: true,
      ...(meta.retryAfterMs !== undefined && { retryAfterMs: meta.retryAfterMs }),
    });
  }
  switch (short) {
    case 'AccessDenied':
    case 'Unauthorized':
    case 'SessionExpiredException':
      return new AuthError(`${label}: credentials refused`, base);
    case 'AccessError':
    case 'Forbidden':
      return new AuthError(`${label}: access refused for this user`, { ...base, code: 'forbidden' });
    case 'MissingError':
    case 'NotFound':
      return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
    case 'ValidationError':
    case 'UserError':
    case 'RedirectWarning':
    case 'ValueError':
    case 'KeyError':
    case 'TypeError':
    case 'BadRequest':
    case 'UnprocessableEntity':
      return new ValidationError(`${label}: Odoo refused the request`, {
        ...base,
        issues: [{ path: [], code: short, message: `refused by Odoo (${short})` }],
      });
    case 'UniqueViolation':
    case 'IntegrityError':
    case 'Conflict':
      return new ApiError(`${label}: conflict`, { ...base, code: 'conflict', retryable: false });
  }
  if (status === 429) {
    return new RateLimitError(`${label}: rate limited`, {
      ...base,
      notProcessed: true,
      ...(meta.retryAfterMs !== undefined && { retryAfterMs: meta.retryAfterMs }),
    });
  }
  if (status === 401) return new AuthError(`${label}: credentials refused`, base);
  if (status === 403) return new AuthError(`${label}: access refused`, { ...base, code: 'forbidden' });
  if (status === 404) return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  // A 500 is Odoo's "Server Error": a bug or bad data, repeating it fails the same way.
  const retryable = status !== undefined && status >= 502 && status <= 504;
  return new ApiError(`${label}: request failed${status !== undefined ? ` (status ${status})` : ''}`, {
    ...base,
    code: retryable ? 'transient' : 'api_error',
    retryable,
    ...(meta.retryAfterMs !== undefined && { retryAfterMs: meta.retryAfterMs }),
  });
}

/**
 * Classifies a failed response for the core's HTTP client: JSON-2's `4xx`/`5xx` with `{ name,
 * message, arguments, context, debug }`, or a JSON-RPC envelope some proxies send with a 5xx. A body that is not Odoo's (a proxy's 502 page) is
 * classified by status alone.
 */
export function classifyOdooError(context: ErrorResponseContext): HmiError | undefined {
  // JSON-2 puts the class in `name`; a JSON-RPC envelope sent with an error status, in `error.data.name`.
  const body = context.body as { name?: unknown; error?: { data?: { name?: unknown } } } | undefined;
  const name = body && typeof body === 'object' ? (body.name ?? body.error?.data?.name) : undefined;
  const retryAfterMs = parseRetryAfter(context.headers);
  return odooFaultToError(name, {
    status: context.status,
    operation: context.operation,
    requestId: context.requestId,
    retryAfterMs,
  });
}
