import { ApiError, AuthError, type ErrorResponseContext, type HmiError, RateLimitError, ValidationError } from '@hmi/core';
import { z } from 'zod';
import { parseGraphUsage } from './usage.js';

/**
 * The Graph error body. Only numeric codes and the trace id are read: `message`,
 * `error_user_msg` and `error_data` may echo what was sent (a post's text, a lead's answers).
 */
const GraphErrorBody = z.object({
  error: z.object({
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().max(128).optional(),
    is_transient: z.boolean().optional(),
  }),
});

/** Graph throttling codes: app (4), user (17), page (32), per-call (613), and the 80000-series business use cases. */
export function isGraphThrottleCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80_000 && code <= 80_099);
}

/** Options of {@link classifyGraphError}. */
export interface ClassifyGraphErrorOptions {
  /** The connector id errors carry (`meta`, `whatsapp`). */
  connector: string;
  /** A product label for messages, e.g. `Meta Graph`. */
  label?: string;
  /** Told the usage headers of every error response, so the next request waits (see `createUsageGate`). */
  observeUsage?: (headers: Headers) => void;
  /**
   * The usage gate's remaining hold, ms (see `createUsageGate`): a throttle without Meta's own
   * estimate is retried after it, so the retry waits the same window as the next request would.
   */
  pendingMs?: () => number;
  /**
   * Product-specific codes, asked before the shared Graph codes (WhatsApp's 131047, 131056, the
   * 132000-series …); undefined falls through to the Graph mapping below.
   */
  classifyCode?: GraphCodeClassifier;
}

/** What a product-specific classifier sees of a Graph error: numeric codes only, never Meta's text. */
export interface GraphCodeInfo {
  code: number;
  subcode: number | undefined;
  /** `131056` or `100/33`. */
  vendorCode: string;
  /** `<label> error <vendorCode>`, the message prefix. */
  name: string;
  /** Status, connector, operation and request id, for the error's options. */
  base: { status: number; connector: string; operation: string | undefined; requestId: string | undefined; vendorCode: string };
  headers: Headers;
}

/** Maps a product's own Graph error codes to typed errors; undefined for codes it does not own. */
export type GraphCodeClassifier = (info: GraphCodeInfo) => HmiError | undefined;

/**
 * Classifies a Graph API error response for the core's HTTP client (the connector never retries):
 * - 190 (token invalid or expired), 102, 463, 467 → AuthError `token_expired`; 10 and 200–299
 *   (permission) → AuthError `permission_denied`;
 * - 4, 17, 32, 613 and 80000–80099 (throttling) → RateLimitError flagged `notProcessed` (Meta
 *   refused it before acting, so even a keyless write may be repeated) with `retryAfterMs` from
 *   `estimated_time_to_regain_access` in the usage headers (else the usage gate's hold, when
 *   given), so the core retries after the window;
 * - 100 (invalid parameter) → ValidationError; 368 (blocked by policy) → ApiError
 *   `policy_blocked`, never retried; `is_transient` → retryable ApiError;
 * - anything else → undefined: the core's default by status.
 * Messages carry the numeric codes only, never Meta's text.
 */
export function classifyGraphError(context: ErrorResponseContext, options: ClassifyGraphErrorOptions): HmiError | undefined {
  const { status, headers, operation } = context;
  options.observeUsage?.(headers);
  const parsed = GraphErrorBody.safeParse(context.body);
  const requestId = parsed.success ? (parsed.data.error.fbtrace_id ?? context.requestId) : context.requestId;
  const base = { status, connector: options.connector, operation, requestId };
  const label = options.label ?? 'Meta Graph';
  if (!parsed.success) {
    if (status === 401) return new AuthError(`${label} status 401: credentials refused`, base);
    return undefined;
  }
  const { code, error_subcode: subcode, is_transient: transient } = parsed.data.error;
  const vendorCode = subcode === undefined ? String(code) : `${code}/${subcode}`;
  const withCode = { ...base, vendorCode };
  const name = `${label} error ${vendorCode}`;
  const own = options.classifyCode?.({ code, subcode, vendorCode, name, base: withCode, headers });
  if (own) return own;
  if (code === 190 || code === 102 || code === 463 || code === 467) {
    return new AuthError(`${name}: the access token is invalid or expired`, { ...withCode, code: 'token_expired' });
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    return new AuthError(`${name}: permission denied`, { ...withCode, code: 'permission_denied' });
  }
  if (isGraphThrottleCode(code)) {
    const usage = parseGraphUsage(headers);
    const held = options.pendingMs?.() ?? 0;
    const retryAfterMs = usage && usage.regainAccessMs > 0 ? usage.regainAccessMs : held > 0 ? held : undefined;
    return new RateLimitError(`${name}: throttled`, {
      ...withCode,
      notProcessed: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (code === 100) {
    return new ValidationError(`${name}: invalid parameter`, {
      ...withCode,
      code: 'invalid_request',
      issues: [{ path: [], code: vendorCode, message: 'refused by the Graph API' }],
    });
  }
  if (code === 368) {
    return new ApiError(`${name}: blocked by Meta's policy`, { ...withCode, code: 'policy_blocked', retryable: false });
  }
  if (transient === true || code === 1 || code === 2) {
    return new ApiError(`${name}: temporary Graph error`, { ...withCode, code: 'vendor_transient', retryable: true });
  }
  return undefined;
}
