import { defineErrorMarker, HmiError, type HmiErrorOptions, type SerializedHmiError } from './hmi-error.js';

const api = defineErrorMarker('ApiError');
/** A vendor answered with an error status. The response body is not kept unless the client opted in. */
export class ApiError extends HmiError {
  /** @internal */
  readonly [api.marker] = true;
  /**
   * The raw response body, present only when the client was created with `exposeResponseBody: true`.
   * Non-enumerable and never serialised: it may hold patient data.
   */
  declare readonly responseBody?: string;
  /** How long the vendor asked us to wait (a `Retry-After` on a 503), in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: HmiErrorOptions & { responseBody?: string; retryAfterMs?: number } = {}) {
    super(message, { code: 'api_error', ...options });
    this.name = 'ApiError';
    this.retryAfterMs = options.retryAfterMs;
    if (options.responseBody !== undefined) {
      Object.defineProperty(this, 'responseBody', { value: options.responseBody, enumerable: false });
    }
  }
  /** True for an ApiError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is ApiError {
    return api.is(error);
  }
  override toJSON(): SerializedHmiError {
    return { ...super.toJSON(), ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }) };
  }
}

const auth = defineErrorMarker('AuthError');
/** Credentials were refused, or a token could not be obtained. */
export class AuthError extends HmiError {
  /** @internal */
  readonly [auth.marker] = true;
  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message, { code: 'auth_error', retryable: false, ...options });
    this.name = 'AuthError';
  }
  /** True for an AuthError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is AuthError {
    return auth.is(error);
  }
}

const rate = defineErrorMarker('RateLimitError');
/** The vendor (or the local limiter) asked us to slow down. */
export class RateLimitError extends HmiError {
  /** @internal */
  readonly [rate.marker] = true;
  /** How long the vendor asked us to wait, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: HmiErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, { code: 'rate_limited', retryable: true, status: 429, ...options });
    this.name = 'RateLimitError';
    this.retryAfterMs = options.retryAfterMs;
  }
  /** True for a RateLimitError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is RateLimitError {
    return rate.is(error);
  }
  override toJSON(): SerializedHmiError {
    return { ...super.toJSON(), ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }) };
  }
}

const timeout = defineErrorMarker('TimeoutError');
/** An attempt took longer than `timeoutMs`. */
export class TimeoutError extends HmiError {
  /** @internal */
  readonly [timeout.marker] = true;
  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message, { code: 'timeout', retryable: true, ...options });
    this.name = 'TimeoutError';
  }
  /** True for a TimeoutError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is TimeoutError {
    return timeout.is(error);
  }
}

const network = defineErrorMarker('NetworkError');
/** The connection failed, was reset, or the body could not be read. */
export class NetworkError extends HmiError {
  /** @internal */
  readonly [network.marker] = true;
  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message, { code: 'network_error', retryable: true, ...options });
    this.name = 'NetworkError';
  }
  /** True for a NetworkError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is NetworkError {
    return network.is(error);
  }
}

/** One problem found by validation: where, and what kind. Never the offending value. */
export interface ValidationIssue {
  /** Path of the field, e.g. `['names', 0, 'family']`. */
  path: Array<string | number>;
  /** The zod issue code, e.g. `invalid_type`. */
  code: string;
  /** A message that names the expectation, never the received value. */
  message: string;
  /** 1-based line in the source text, when the input was a file (a config). */
  line?: number;
  /** 1-based column, with `line`. */
  column?: number;
}

const validation = defineErrorMarker('ValidationError');
/** Input, output or a vendor response did not match its schema. Carries issue paths, never values. */
export class ValidationError extends HmiError {
  /** @internal */
  readonly [validation.marker] = true;
  /** Where validation failed. */
  readonly issues: ValidationIssue[];
  constructor(message: string, options: HmiErrorOptions & { issues?: ValidationIssue[] } = {}) {
    super(message, { code: 'validation_error', retryable: false, ...options });
    this.name = 'ValidationError';
    this.issues = options.issues ?? [];
  }
  /** True for a ValidationError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is ValidationError {
    return validation.is(error);
  }
  override toJSON(): SerializedHmiError {
    return { ...super.toJSON(), issues: this.issues };
  }
}

const config = defineErrorMarker('ConfigError');
/** A connector or client was configured wrongly. Names the field, never its value. */
export class ConfigError extends HmiError {
  /** @internal */
  readonly [config.marker] = true;
  /** Where validation failed. */
  readonly issues: ValidationIssue[];
  constructor(message: string, options: HmiErrorOptions & { issues?: ValidationIssue[] } = {}) {
    super(message, { code: 'config_error', retryable: false, ...options });
    this.name = 'ConfigError';
    this.issues = options.issues ?? [];
  }
  /** True for a ConfigError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is ConfigError {
    return config.is(error);
  }
  override toJSON(): SerializedHmiError {
    return { ...super.toJSON(), issues: this.issues };
  }
}

const circuit = defineErrorMarker('CircuitOpenError');
/** The circuit breaker is open: the call failed fast without reaching the vendor. */
export class CircuitOpenError extends HmiError {
  /** @internal */
  readonly [circuit.marker] = true;
  constructor(message = 'circuit open: failing fast', options: HmiErrorOptions = {}) {
    super(message, { code: 'circuit_open', retryable: true, ...options });
    this.name = 'CircuitOpenError';
  }
  /** True for a CircuitOpenError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is CircuitOpenError {
    return circuit.is(error);
  }
}

const webhook = defineErrorMarker('WebhookVerificationError');
/** A webhook's signature, timestamp or format did not verify. */
export class WebhookVerificationError extends HmiError {
  /** @internal */
  readonly [webhook.marker] = true;
  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message, { code: 'webhook_verification_failed', retryable: false, status: 401, ...options });
    this.name = 'WebhookVerificationError';
  }
  /** True for a WebhookVerificationError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is WebhookVerificationError {
    return webhook.is(error);
  }
}

const consent = defineErrorMarker('ConsentError');
/** A send was refused because the recipient has not consented (or has opted out). */
export class ConsentError extends HmiError {
  /** @internal */
  readonly [consent.marker] = true;
  /** Why: `no_consent`, `opted_out`, `quiet_hours`, `no_consent_checker`. */
  readonly reason: string;
  constructor(message: string, options: HmiErrorOptions & { reason?: string } = {}) {
    super(message, { code: 'consent_denied', retryable: false, ...options });
    this.name = 'ConsentError';
    this.reason = options.reason ?? 'no_consent';
  }
  /** True for a ConsentError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is ConsentError {
    return consent.is(error);
  }
  override toJSON(): SerializedHmiError {
    return { ...super.toJSON(), reason: this.reason };
  }
}

const aborted = defineErrorMarker('AbortedError');
/** The caller aborted the operation through its `AbortSignal`. */
export class AbortedError extends HmiError {
  /** @internal */
  readonly [aborted.marker] = true;
  constructor(message = 'operation aborted', options: HmiErrorOptions = {}) {
    super(message, { code: 'aborted', retryable: false, ...options });
    this.name = 'AbortedError';
  }
  /** True for an AbortedError from any installed copy of `@hmi/core`. */
  static override isInstance(error: unknown): error is AbortedError {
    return aborted.is(error);
  }
}
