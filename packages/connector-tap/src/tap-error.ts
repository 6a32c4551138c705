import {
  ApiError,
  AuthError,
  type ErrorResponseContext,
  type HmiError,
  parseRetryAfter,
  RateLimitError,
  ValidationError,
} from '@hmi/core';
import { z } from 'zod';

/** Tap's error body: `{ errors: [{ code, description }] }`. Only the codes are kept: descriptions may quote the request. */
const TapErrorBody = z.object({ errors: z.array(z.object({ code: z.union([z.string(), z.number()]) })).min(1) });
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,32}$/;

/** The vendor codes of a Tap error body (`1108`, …), joined by `,`. */
export function tapErrorCodes(body: unknown): string | undefined {
  const parsed = TapErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const codes = parsed.data.errors.map((e) => String(e.code)).filter((c) => SAFE_CODE.test(c));
  return codes.length ? codes.slice(0, 5).join(',') : undefined;
}

/**
 * Classifies a Tap error response for the core's HTTP client (the connector never retries):
 * 400 → ValidationError with Tap's codes; 401/403 → AuthError; 404 → ApiError `not_found`;
 * 409 → ApiError `conflict`; 429 → RateLimitError (Retry-After, `notProcessed`); anything else →
 * the core's default (5xx retryable for reads and keyed writes only).
 */
export function classifyTapError(context: ErrorResponseContext): HmiError | undefined {
  const { status, headers, operation, requestId } = context;
  const codes = tapErrorCodes(context.body);
  const base = { status, connector: 'tap', operation, requestId, ...(codes && { vendorCode: codes }) };
  const label = `Tap ${codes ? `error ${codes}` : `status ${status}`}`;
  if (status === 400 || status === 422) {
    return new ValidationError(`${label}: the request was refused`, {
      ...base,
      code: 'invalid_request',
      issues: [{ path: [], code: codes ?? 'invalid_request', message: 'refused by Tap' }],
    });
  }
  if (status === 401 || status === 403) return new AuthError(`${label}: credentials refused`, base);
  if (status === 404) return new ApiError(`${label}: not found`, { ...base, code: 'not_found', retryable: false });
  if (status === 409) return new ApiError(`${label}: conflict`, { ...base, code: 'conflict', retryable: false });
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(headers);
    return new RateLimitError(`${label}: rate limited`, {
      ...base,
      notProcessed: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  return undefined;
}
