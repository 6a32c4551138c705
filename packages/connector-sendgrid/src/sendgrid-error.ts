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

/**
 * SendGrid's own error texts that carry no value of the request: the generic ones its OpenAPI
 * description lists (tsg_mail_v3.json) and the mail/send validation texts of its "Mail Send errors"
 * page (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors). Compared
 * case-insensitively, whitespace collapsed and a final full stop ignored. Anything else a vendor
 * writes may quote what was sent (`Recipient Zarqa Canarya +966555123456 is on a suppression
 * list`), so it is dropped: the issue keeps only SendGrid's field path and the code `sendgrid_error`.
 */
const SAFE_TEMPLATES: ReadonlySet<string> = new Set(
  [
    'authorization required',
    'access forbidden',
    'bad request',
    'content too large',
    'payload too large',
    'internal server error',
    'invalid request',
    'method not allowed',
    'not found',
    'too many requests',
    'invalid batch id',
    'batch id not found',
    'maximum credits exceeded',
    'the provided authorization grant is invalid, expired, or revoked',
    'does not contain a valid address',
    'the from email does not contain a valid address',
    'the reply_to email does not contain a valid address',
    'the from object must be provided for every email send. it is an object that requires the email parameter, but may also contain a name parameter',
    'the personalizations field is required and must have at least one personalization',
    'the to array is required for all personalization objects, and must have at least one email object with a valid email address',
    'the subject is required. you can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined',
    'the content value must be a string at least one character in length',
    'unless a valid template_id is provided, the content parameter is required. there must be at least one defined content block. we typically suggest both text/plain and text/html blocks are included, but only one block is required',
    'the template_id must be a valid guid, but may also be an empty string',
    'the attachment content must be base64 encoded',
    'the attachment filename parameter is required',
    'the content type cannot contain ";", or crlf characters',
    'request body is invalid json',
    'the from address does not match a verified sender identity. mail cannot be sent until this error is resolved. visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the sender identity requirements',
  ].map((t) => t.toLowerCase()),
);

// Type mismatches name JSON types only, never a value: `Invalid type. Expected: string, given: integer.`
const TYPE_TEMPLATE =
  /^invalid type\. expected: (?:string|integer|number|boolean|object|array|null), given: (?:string|integer|number|boolean|object|array|null)$/;

function normalise(message: string): string {
  return message.replace(/\s+/g, ' ').trim().replace(/\.$/, '').toLowerCase();
}

/**
 * Returns SendGrid's message when it is one of the known value-free texts (lower-cased, as the
 * template is stored), else undefined: free text from the vendor is never kept, because it can
 * quote a recipient's name, address or phone number.
 */
export function safeVendorMessage(message: string | null | undefined): string | undefined {
  if (typeof message !== 'string' || message.length > 400) return undefined;
  const text = normalise(message);
  return SAFE_TEMPLATES.has(text) || TYPE_TEMPLATE.test(text) ? text : undefined;
}

// The property names of SendGrid's mail/send request (tsg_mail_v3.json). A path segment that is
// neither one of them nor a small index (a key under custom_args or dynamic_template_data, which the
// caller chose and may have filled with a name) is kept as `*`.
const KNOWN_FIELDS: ReadonlySet<string> = new Set(
  'asm attachments batch_id bcc bypass_bounce_management bypass_list_management bypass_spam_management bypass_unsubscribe_management categories cc click_tracking content content_id custom_args disposition dynamic_template_data email enable enable_text filename footer from ganalytics group_id groups_to_display headers html ip_pool_name mail_settings name open_tracking personalizations reply_to reply_to_list sandbox_mode send_at subject subscription_tracking substitution_tag substitutions template_id text to tracking_settings type utm_campaign utm_content utm_medium utm_source utm_term value'.split(
    ' ',
  ),
);

/**
 * SendGrid's `field` is a dotted path such as `personalizations.0.to.1.email`. It names a place,
 * not a value, but a hostile or buggy server could put anything there: only SendGrid's own property
 * names and small indexes are kept.
 */
function toPath(field: string | null | undefined): Array<string | number> {
  if (!field || field === 'null') return [];
  if (field.length > 200) return ['*'];
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part.length > 0)
    .slice(0, 12)
    .map((part) => (/^\d{1,4}$/.test(part) ? Number(part) : KNOWN_FIELDS.has(part) ? part : '*'));
}

/**
 * The `errors[]` of a SendGrid error body as validation issues: SendGrid's field path, the code
 * `sendgrid_error`, and its message only when it is a known value-free text (else `rejected`).
 */
export function sendGridIssues(body: unknown): ValidationIssue[] {
  const parsed = SendGridErrorBody.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data.errors ?? []).slice(0, 50).map((error) => ({
    path: toPath(error.field),
    code: 'sendgrid_error',
    message: safeVendorMessage(error.message) ?? 'rejected',
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
 * Classifies a failed SendGrid response (pass it to `createHttpClient({ classifyError })`). No
 * free text of SendGrid's is kept: only field paths and known value-free messages
 * ({@link safeVendorMessage}), so neither patient data nor a quoted key can reach the error.
 * - 400 → ValidationError whose issues are SendGrid's `errors[]` field paths;
 * - 401/403 → AuthError (a revoked key, a missing scope, an unverified sender);
 * - 413 → ApiError `payload_too_large`;
 * - 429 → RateLimitError (`notProcessed`: the core retries even mail/send) with the wait from
 *   `X-RateLimit-Reset`;
 * - 5xx → ApiError. On a POST (mail/send) it is NOT retryable: SendGrid has no idempotency keys,
 *   and a 5xx does not prove the email was not accepted, so repeating it risks a duplicate email.
 */
export function classifySendGridError(context: ErrorResponseContext): HmiError {
  const { status, headers, body, requestId, operation } = context;
  const issues = sendGridIssues(body);
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
