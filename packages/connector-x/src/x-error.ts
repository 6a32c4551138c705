import {
  ApiError,
  AuthError,
  type ErrorClassifier,
  type ErrorResponseContext,
  type HmiError,
  parseRetryAfter,
  RateLimitError,
  safeVendorMessage,
  ValidationError,
} from '@hmi/core';
import { z } from 'zod';
import { readRateWindow } from './rate-limit.js';

/**
 * `detail` texts X is known to send that carry no value of the request. Anything else X writes is
 * dropped: a detail may quote the post's text, which may hold patient data.
 */
export const X_KNOWN_DETAILS: readonly string[] = Object.freeze([
  'You are not allowed to create a Tweet with duplicate content.',
  'You are not allowed to create a Post with duplicate content.',
  'You are not permitted to perform this action.',
  'You are not authorized to delete this Tweet.',
  'You are not authorized to delete this Post.',
  'One or more parameters to your request was invalid.',
  'Unauthorized',
  'Forbidden',
  'Too Many Requests',
  'Service Unavailable',
  'Internal Server Error',
  'Could not find tweet with id: [{id}].',
  'Could not find post with id: [{id}].',
]);

/** `title` values worth keeping (X's HTTP-style titles); any other title is dropped. */
const KNOWN_TITLES = new Set([
  'Unauthorized',
  'Forbidden',
  'Too Many Requests',
  'Invalid Request',
  'Not Found Error',
  'Service Unavailable',
  'Internal Server Error',
  'Unsupported Authentication',
  'Client Forbidden',
  'UsageCapExceeded',
]);

/** X's error bodies: `application/problem+json` (type, title, detail) or the older `{ code, message }`. */
const XErrorBody = z.object({
  type: z.string().max(200).optional(),
  title: z.string().max(200).optional(),
  detail: z.string().max(2000).optional(),
  code: z.number().int().optional(),
  errors: z
    .array(z.object({ code: z.number().int().optional() }).passthrough())
    .max(50)
    .optional(),
});

const DUPLICATE = /duplicate content/i;
/** X v1.1's code for a duplicate status; still sent by some v2 paths in `errors[].code`. */
const LEGACY_DUPLICATE_CODE = 187;

/** The problem type's last segment (`https://api.x.com/2/problems/invalid-request` → `invalid-request`). */
function problemCode(type: string | undefined): string | undefined {
  const match = type ? /\/2\/problems\/([a-z-]{1,64})$/.exec(type) : null;
  return match?.[1];
}

/** Options of {@link createXErrorClassifier}. */
export interface XErrorClassifierOptions {
  now: () => number;
  /** Told the headers of every error response (the rate-limit gate reads its window from them). */
  onHeaders?: (operation: string | undefined, headers: Headers) => void;
}

/**
 * Classifies X API errors for the core's HTTP client (the connector itself never retries):
 * - 400 → ValidationError `invalid_request`; 401 → AuthError (the core refreshes an OAuth 2.0
 *   token once and replays); 403 duplicate content → ValidationError `duplicate_content`; other
 *   403 → AuthError `forbidden`; 404 → ApiError `not_found`;
 * - 429 → RateLimitError waiting until `x-rate-limit-reset` (or Retry-After), flagged
 *   `notProcessed`: X refused before doing anything, so the core may retry even a post;
 * - 5xx → the core's default (retryable; a keyless post is then `outcomeUnknown`).
 * Messages are built from X's problem type, an allow-listed title and {@link X_KNOWN_DETAILS}:
 * X's free text is never copied.
 */
export function createXErrorClassifier(options: XErrorClassifierOptions): ErrorClassifier {
  return (context: ErrorResponseContext): HmiError | undefined => {
    const { status, headers, operation, requestId } = context;
    options.onHeaders?.(operation, headers);
    const parsed = XErrorBody.safeParse(context.body);
    const body = parsed.success ? parsed.data : {};
    const legacyCode = body.code ?? body.errors?.find((e) => e.code !== undefined)?.code;
    const vendorCode = problemCode(body.type) ?? (legacyCode !== undefined ? String(legacyCode) : undefined);
    const title = body.title && KNOWN_TITLES.has(body.title) ? body.title : `status ${status}`;
    const detail = safeVendorMessage(body.detail, X_KNOWN_DETAILS);
    const label = `X ${title}${detail && detail !== title ? `: ${detail}` : ''}`;
    const base = { status, connector: 'x', operation, requestId, ...(vendorCode && { vendorCode }) };
    const duplicate = (body.detail !== undefined && DUPLICATE.test(body.detail)) || legacyCode === LEGACY_DUPLICATE_CODE;

    if (status === 400) {
      return new ValidationError(label, {
        ...base,
        code: 'invalid_request',
        issues: [{ path: [], code: vendorCode ?? 'invalid_request', message: 'refused by X' }],
      });
    }
    if (status === 401) return new AuthError(`${label} (credentials refused)`, base);
    if (status === 403) {
      if (duplicate) {
        return new ValidationError('X refused a post with duplicate content', {
          ...base,
          code: 'duplicate_content',
          issues: [{ path: ['text'], code: 'duplicate_content', message: 'the account already posted this text' }],
        });
      }
      return new AuthError(`${label} (not permitted)`, { ...base, code: 'forbidden' });
    }
    if (status === 404) return new ApiError(`${label} (not found)`, { ...base, code: 'not_found', retryable: false });
    if (status === 429) {
      const window = readRateWindow(headers);
      const retryAfterMs = window ? Math.max(0, window.resetAt - options.now()) : parseRetryAfter(headers);
      return new RateLimitError(`${label} (rate limited)`, {
        ...base,
        notProcessed: true,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      });
    }
    return undefined;
  };
}
