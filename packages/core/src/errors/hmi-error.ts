import { isSafeErrorCode, RUNTIME_MESSAGE_TEMPLATES, safeErrorName, safeVendorMessage } from './vendor-message.js';

const HMI_ERROR_MARKER = Symbol.for('hmi.error');

/** Machine-readable error codes used by the core. Connectors may add their own strings. */
export type HmiErrorCode =
  | 'api_error'
  | 'auth_error'
  | 'rate_limited'
  | 'timeout'
  | 'network_error'
  | 'validation_error'
  | 'invalid_response'
  | 'config_error'
  | 'circuit_open'
  | 'webhook_verification_failed'
  | 'consent_denied'
  | 'aborted'
  | (string & {});

/** Options accepted by every {@link HmiError} constructor. */
export interface HmiErrorOptions {
  /** A stable machine-readable code. */
  code?: HmiErrorCode;
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** Whether repeating the same call may succeed. The core's retry layer reads this. */
  retryable?: boolean;
  /** The connector id (`stripe`, `fhir`, …) the error came from. */
  connector?: string;
  /** The action, stream or HTTP operation that failed. */
  operation?: string;
  /** The vendor's request id, kept so support tickets can quote it. */
  requestId?: string;
  /** The vendor's own error code (Twilio `21211`, Stripe `card_declined`, …). Never a value from the request. */
  vendorCode?: string;
  /**
   * The request field the vendor blamed (`personalizations.0.to`, Stripe's `param`): a path, never
   * a value. Anything but a short dotted path is dropped.
   */
  vendorField?: string;
  /** The underlying error. Foreign errors are reduced to name and a scrubbed message. */
  cause?: unknown;
  /**
   * The vendor guarantees the request had no effect (Twilio 20429, a SendGrid 429, a connection
   * that was never established). Set by connector classifiers. It lets the core retry this error
   * even for a POST/PATCH sent without an idempotency key; it changes nothing else.
   */
  notProcessed?: boolean;
  /**
   * The request may or may not have taken effect (a timeout, a dropped connection or a 5xx after a
   * non-idempotent write was sent). Such an error is never retryable: repeating it could send an
   * SMS or an email twice. Reconcile with the vendor (read back) before repeating the call.
   */
  outcomeUnknown?: boolean;
}

/** The JSON form of an {@link HmiError}: only safe, non-sensitive fields. */
export interface SerializedHmiError {
  name: string;
  code: string;
  message: string;
  status?: number;
  retryable: boolean;
  connector?: string;
  operation?: string;
  requestId?: string;
  vendorCode?: string;
  vendorField?: string;
  /** Present (true) when the vendor guaranteed the request had no effect. */
  notProcessed?: boolean;
  /** Present (true) when a write may have taken effect: reconcile before repeating it. */
  outcomeUnknown?: boolean;
  [key: string]: unknown;
}

/**
 * Replaces things that look like credentials in a free-text message: bearer tokens, basic
 * credentials in URLs, `key=value` pairs whose key names a secret. Used on messages of foreign
 * errors (a fetch failure may quote the URL it failed on).
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]')
    .replace(/\/\/[^/@\s:]+:[^/@\s]+@/g, '//[REDACTED]@')
    .replace(/((?:api[_-]?key|token|secret|password|signature|sig|access_token|client_secret|key)=)[^&\s"']+/gi, '$1[REDACTED]')
    .replace(/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[REDACTED]')
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[PHI]')
    .replace(/\+?\d[\d\s-]{6,17}\d/g, '[PHI]')
    .replace(RTL_RUN, '[PHI]');
}

/** A run of right-to-left script (Arabic, Hebrew, Syriac…) words: in hmi's data that is patient text. */
const RTL_RUN = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+(?:[\s\u200C-\u200F]+[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]+)*/g;

/**
 * Reduces a foreign error to its name, `code` and a message that cannot carry values: the original
 * message survives only when it matches a known runtime message (`fetch failed`, `socket hang up`),
 * since a host's consent checker or a vendor SDK may put a patient's name or MRN in it and no
 * scrubber recognises every name. The stack keeps its frames (file positions) under the new first
 * line; nested causes are dropped.
 */
function sanitizeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (isHmiError(cause)) return cause;
  if (cause instanceof Error) {
    const original = typeof cause.message === 'string' ? cause.message : '';
    const safe = new Error(safeVendorMessage(original, RUNTIME_MESSAGE_TEMPLATES) ?? MESSAGE_WITHHELD);
    safe.name = safeErrorName(cause.name);
    safe.stack = [`${safe.name}: ${safe.message}`, ...stackFrames(cause, original)].join('\n');
    const code = (cause as { code?: unknown }).code;
    if (isSafeErrorCode(code)) (safe as { code?: string }).code = code;
    return safe;
  }
  return new Error('non-error thrown');
}

/** What replaces a foreign error's message that matched no known runtime message. */
const MESSAGE_WITHHELD = '[message withheld]';

/**
 * The `at …` frames of a stack, taken only after its header (`Name: message`), so a message that
 * itself contains lines starting with `at` cannot pass as frames. A stack whose header is not the
 * error's own (the message was changed after the throw) keeps no frames.
 */
function stackFrames(error: Error, message: string): string[] {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const header = message ? `${String(error.name)}: ${message}` : String(error.name);
  if (!stack.startsWith(header)) return [];
  return stack
    .slice(header.length)
    .split('\n')
    .filter((line) => /^\s+at \S/.test(line))
    .slice(0, 20)
    .map((line) => scrubMessage(line));
}

/**
 * The base of every error hmi throws. Carries a machine-readable `code`, an optional HTTP `status`,
 * and `retryable`, the one fact the retry layer needs. It never holds a request or response body,
 * an Authorization header, a token or a secret: not in its message, stack, properties or JSON.
 *
 * Use {@link isHmiError} (or `HmiError.isInstance`) rather than `instanceof`: it works when two
 * copies of `@hmi/core` are installed.
 */
export class HmiError extends Error {
  /** @internal */
  readonly [HMI_ERROR_MARKER] = true;
  /** A stable machine-readable code. */
  readonly code: HmiErrorCode;
  /** HTTP status of the failed response, when there was one. */
  readonly status: number | undefined;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;
  /** The connector the error came from. */
  connector: string | undefined;
  /** The operation that failed. */
  operation: string | undefined;
  /** The vendor's request id. */
  readonly requestId: string | undefined;
  /** The vendor's own error code. */
  readonly vendorCode: string | undefined;
  /** The request field the vendor blamed, as a path (never a value). */
  readonly vendorField: string | undefined;
  /** The vendor guarantees the request had no effect: safe to retry even a write without a key. */
  readonly notProcessed: boolean;
  /**
   * A write may have taken effect; `retryable` is then false. An outbox must reconcile (read the
   * vendor's state) before repeating the call, never resend blindly.
   */
  readonly outcomeUnknown: boolean;

  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message);
    this.name = 'HmiError';
    this.code = options.code ?? 'api_error';
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.connector = options.connector;
    this.operation = options.operation;
    this.requestId = options.requestId;
    this.vendorCode = options.vendorCode;
    this.vendorField = safeFieldPath(options.vendorField);
    this.notProcessed = options.notProcessed === true;
    this.outcomeUnknown = options.outcomeUnknown === true;
    // An unknown outcome is never retryable, whatever the caller said.
    if (this.outcomeUnknown) this.retryable = false;
    const cause = sanitizeCause(options.cause);
    if (cause !== undefined) {
      // Non-enumerable so loggers that walk own properties do not descend into it.
      Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
    }
  }

  /** True when `error` is an HmiError from any installed copy of `@hmi/core`. */
  static isInstance(error: unknown): error is HmiError {
    return isHmiError(error);
  }

  /** Safe JSON: the fields above and nothing else. */
  toJSON(): SerializedHmiError {
    const json: SerializedHmiError = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.connector !== undefined) json.connector = this.connector;
    if (this.operation !== undefined) json.operation = this.operation;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.vendorCode !== undefined) json.vendorCode = this.vendorCode;
    if (this.vendorField !== undefined) json.vendorField = this.vendorField;
    if (this.notProcessed) json.notProcessed = true;
    if (this.outcomeUnknown) json.outcomeUnknown = true;
    return json;
  }
}

/** A field path such as `personalizations[0].to` or `amount`; anything else (spaces, `@`, digits runs) is dropped. */
function safeFieldPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || path.length > 120) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|\[)[A-Za-z0-9_]+\]?)*$/.test(path) || /\d{5,}/.test(path)) return undefined;
  return path;
}

/** True when `error` is an {@link HmiError} from any installed copy of `@hmi/core`. */
export function isHmiError(error: unknown): error is HmiError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[HMI_ERROR_MARKER] === true;
}

/** The marker of an error subclass: put `marker` on instances, use `is` in `isInstance`. */
export interface ErrorMarker {
  /** A global symbol (`Symbol.for('hmi.error.<name>')`): the same in every installed copy. */
  readonly marker: symbol;
  /** True when `error` carries the marker, whichever copy of the package created it. */
  is(error: unknown): boolean;
}

/**
 * Creates the cross-install `isInstance` check for your own {@link HmiError} subclass. `instanceof`
 * fails when two copies of a package are installed (a connector and the host each bring one); a
 * global symbol does not. Pick a name unique to your package (`StripeApiError`, `SyncError`).
 *
 * @example
 * ```ts
 * import { defineErrorMarker, HmiError, type HmiErrorOptions } from '@hmi/core';
 *
 * const marker = defineErrorMarker('ClinicSurveyError');
 *
 * export class ClinicSurveyError extends HmiError {
 *   readonly [marker.marker] = true;
 *   constructor(message: string, options: HmiErrorOptions = {}) {
 *     super(message, { code: 'survey_error', ...options });
 *     this.name = 'ClinicSurveyError';
 *   }
 *   static override isInstance(error: unknown): error is ClinicSurveyError {
 *     return marker.is(error);
 *   }
 * }
 * ```
 */
export function defineErrorMarker(name: string): ErrorMarker {
  const marker = Symbol.for(`hmi.error.${name}`);
  return {
    marker,
    is: (error: unknown) => typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true,
  };
}
