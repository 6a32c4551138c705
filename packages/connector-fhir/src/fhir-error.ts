import { ApiError, AuthError, type ErrorClassifier, type HmiError, parseRetryAfter, RateLimitError } from '@hmi/core';

/**
 * FHIR `IssueType` codes (http://hl7.org/fhir/valueset-issue-type.html) that describe a temporary
 * condition: the `transient` family. Repeating the same request may succeed.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'transient',
  'lock-error',
  'no-store',
  'exception',
  'timeout',
  'incomplete',
  'throttled',
]);

/** The `security` family: a credential or permission problem. */
const SECURITY_CODES: ReadonlySet<string> = new Set(['security', 'login', 'unknown', 'expired', 'forbidden', 'suppressed']);

/** Codes mapped to a more specific hmi error code. */
const SPECIFIC_CODES: Readonly<Record<string, string>> = {
  'not-found': 'not_found',
  deleted: 'gone',
  conflict: 'conflict',
  duplicate: 'duplicate',
  'multiple-matches': 'multiple_matches',
  'not-supported': 'not_supported',
  'too-costly': 'too_costly',
  'business-rule': 'business_rule',
  'code-invalid': 'invalid',
  invalid: 'invalid',
  structure: 'invalid',
  required: 'invalid',
  value: 'invalid',
  invariant: 'invalid',
  'too-long': 'invalid',
  extension: 'invalid',
  processing: 'processing',
};

const SEVERITY_RANK: Readonly<Record<string, number>> = { fatal: 4, error: 3, warning: 2, information: 1 };

/** The error-relevant part of a FHIR OperationOutcome: the codes, never the text. */
export interface OperationOutcomeSummary {
  /** The code of the most severe issue. */
  code: string;
  severity: string;
  /** Every issue code, most severe first. */
  codes: string[];
}

/**
 * Reads the issue codes of an OperationOutcome. `diagnostics`, `details.text` and `expression`
 * are deliberately ignored: servers quote patient data there.
 */
export function summarizeOperationOutcome(body: unknown): OperationOutcomeSummary | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  const issues = outcome.issue
    .filter((i): i is { code: string; severity?: unknown } => typeof i === 'object' && i !== null && typeof i.code === 'string')
    .map((i) => ({ code: i.code, severity: typeof i.severity === 'string' ? i.severity : 'error' }))
    // Codes are FHIR `code` tokens; anything else is not one and must not reach a message.
    .filter((i) => /^[a-z][a-z-]{0,40}$/.test(i.code))
    .sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0));
  const first = issues[0];
  if (!first) return undefined;
  return { code: first.code, severity: first.severity, codes: issues.map((i) => i.code) };
}

/** Whether an OperationOutcome issue code says repeating the request may succeed. */
export function isRetryableIssueCode(code: string): boolean {
  return TRANSIENT_CODES.has(code);
}

function statusCode(status: number): string | undefined {
  if (status === 404) return 'not_found';
  if (status === 410) return 'gone';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 422) return 'invalid';
  return undefined;
}

/**
 * The FHIR connector's error classifier for `createHttpClient({ classifyError })`. An
 * OperationOutcome's most severe issue code decides the error: the `transient` family
 * (`transient`, `lock-error`, `no-store`, `exception`, `timeout`, `incomplete`, `throttled`) is
 * retryable, everything else (`invalid`, `not-found`, `security`, `forbidden`, `conflict`, …) is
 * not. `throttled` or a 429 becomes a RateLimitError honouring Retry-After; the `security` family
 * an AuthError. The issue code travels as `vendorCode`; the server's diagnostics never do.
 */
export const classifyFhirError: ErrorClassifier = (context): HmiError | undefined => {
  const { status, operation, requestId } = context;
  const outcome = summarizeOperationOutcome(context.body);
  const base = { status, operation, requestId, ...(outcome && { vendorCode: outcome.code }) };
  if (!outcome) {
    const code = statusCode(status);
    return code ? new ApiError(`FHIR request failed with status ${status}`, { ...base, code, retryable: false }) : undefined;
  }
  const what = `FHIR server answered ${status} with OperationOutcome issue "${outcome.code}"`;
  if (outcome.code === 'throttled' || status === 429) {
    const retryAfterMs = parseRetryAfter(context.headers);
    return new RateLimitError(what, { ...base, ...(retryAfterMs !== undefined && { retryAfterMs }) });
  }
  if (SECURITY_CODES.has(outcome.code) || ((status === 401 || status === 403) && !TRANSIENT_CODES.has(outcome.code))) {
    return new AuthError(what, { ...base, code: outcome.code === 'forbidden' || status === 403 ? 'forbidden' : 'auth_error' });
  }
  if (TRANSIENT_CODES.has(outcome.code)) {
    return new ApiError(what, { ...base, code: outcome.code === 'timeout' ? 'timeout' : 'transient', retryable: true });
  }
  const code = SPECIFIC_CODES[outcome.code] ?? statusCode(status) ?? 'api_error';
  return new ApiError(what, { ...base, code, retryable: false });
};
