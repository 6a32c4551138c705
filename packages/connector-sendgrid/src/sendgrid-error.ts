import {
  ApiError,
  AuthError,
  type ErrorResponseContext,
  type HmiError,
  parseRetryAfter,
  RateLimitError,
  ValidationError,
  type ValidationIssue,
} from '@hmi/core';
import { z } from 'zod';

/** SendGrid's error body: `{ errors: [{ field, message, help }], id }` (tsg_mail_v3 ErrorResponse). */
const SendGridErrorBody = z.object({
  errors: z
    .array(
      z.object({
        field: z.string().nullish(),
        message: z.string().nullish(),
      }),
    )
    .optional(),
  id: z.string().optional(),
});

const MAX_MESSAGE = 160;

/**
 * Makes a vendor message safe to keep. SendGrid messages sometimes quote what was sent (an
 * address, a subject), and those are patient data: addresses and quoted text are replaced, and
 * the message is cut short.
 */
export function scrubVendorMessage(message: string, secrets: readonly string[] = []): string {
  let text = message;
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join('[REDACTED]');
  const scrubbed = text
    // SendGrid API keys (`SG.<id>.<secret>`) and other long opaque tokens.
    .replace(/\bSG\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[REDACTED]')
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g, '[REDACTED]')
    .replace(/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g, '[email]')
    .replace(/"[^"]*"|'[^']*'|“[^”]*”|«[^»]*»/g, '[value]')
    .replace(/[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]+/g, '[text]')
    .replace(/\s+/g, ' ')
    .trim();
  return scrubbed.length > MAX_MESSAGE ? `${scrubbed.slice(0, MAX_MESSAGE)}…` : scrubbed;
}

/**
 * SendGrid's `field` is a dotted path such as `personalizations.0.to.1.email`. It names a place,
 * not a value, but a malformed one could still carry text: keep only path-like characters.
 */
function toPath(field: string | null | undefined): Array<string | number> {
  if (!field || field === 'null') return [];
  if (!/^[A-Za-z0-9_.[\]-]{1,200}$/.test(field)) return ['(field)'];
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The `errors[]` of a SendGrid error body as validation issues (paths and scrubbed messages). */
export function sendGridIssues(body: unknown, secrets: readonly string[] = []): ValidationIssue[] {
  const parsed = SendGridErrorBody.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data.errors ?? []).slice(0, 50).map((error) => ({
    path: toPath(error.field),
    code: 'sendgrid_error',
    message: error.message ? scrubVendorMessage(error.message, secrets) : 'rejected',
  }));
}

function describe(issues: ValidationIssue[]): string {
  const parts = issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`);
  if (issues.length > 3) parts.push(`… ${issues.length - 3} more`);
  return parts.length ? `: ${parts.join('; ')}` : '';
}

/**
 * How long SendGrid asked us to wait after a 429. SendGrid sends `X-RateLimit-Reset` as the Unix
 * time (seconds) the window resets; a `Retry-After` header, when present, wins.
 */
export function rateLimitWaitMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = parseRetryAfter(headers, now);
  if (retryAfter !== undefined) return retryAfter;
  const reset = headers.get('x-ratelimit-reset');
  if (reset === null || !/^\s*\d{1,12}\s*$/.test(reset)) return undefined;
  return Math.max(0, Number(reset) * 1000 - now);
}

/**
 * Classifies a failed SendGrid response (pass it to `createHttpClient({ classifyError })`).
 * `secrets` (the API key) are removed from any vendor text kept, in case SendGrid quotes them.
 * - 400 → ValidationError whose issues are SendGrid's `errors[]` fields, with messages scrubbed of
 *   addresses and quoted values (emails are patient data);
 * - 401/403 → AuthError (a revoked key, a missing scope, an unverified sender);
 * - 413 → ApiError `payload_too_large`;
 * - 429 → RateLimitError (`notProcessed`: the core retries even mail/send) with the wait from
 *   `X-RateLimit-Reset`;
 * - 5xx → ApiError. On a POST (mail/send) it is NOT retryable: SendGrid has no idempotency keys,
 *   and a 5xx does not prove the email was not accepted, so repeating it risks a duplicate email.
 */
export function classifyError(context: ErrorResponseContext, secrets: readonly string[] = []): HmiError {
  const { status, headers, body, requestId, operation } = context;
  const issues = sendGridIssues(body, secrets);
  const base = { status, requestId, operation };
  if (status === 400) {
    return new ValidationError(`SendGrid rejected the request${describe(issues)}`, {
      ...base,
      code: 'invalid_request',
      issues,
    });
  }
  if (status === 401 || status === 403) {
    return new AuthError(`SendGrid refused the request (${status})${describe(issues)}`, base);
  }
  if (status === 413) {
    return new ApiError('SendGrid refused the request: payload too large (413)', {
      ...base,
      code: 'payload_too_large',
      retryable: false,
    });
  }
  if (status === 429) {
    const retryAfterMs = rateLimitWaitMs(headers);
    // SendGrid refuses a rate-limited request before accepting it: safe to retry even mail/send.
    return new RateLimitError('SendGrid rate limit reached (429)', {
      ...base,
      notProcessed: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (status >= 500) {
    const unsafe = context.method === 'POST' || context.method === 'PATCH';
    return new ApiError(
      unsafe
        ? `SendGrid failed with ${status}; the email may or may not have been accepted, so it is not repeated`
        : `SendGrid failed with ${status}`,
      { ...base, code: unsafe ? 'outcome_unknown' : 'api_error', retryable: !unsafe && status !== 501 },
    );
  }
  return new ApiError(`SendGrid request failed with status ${status}${describe(issues)}`, { ...base, retryable: false });
}
