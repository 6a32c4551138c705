/**
 * RFC 9457 problem details. Every error the gateway answers is one of these, and none carries a
 * value the client sent: only codes, field paths and fixed texts (OWASP API8, and PHI safety).
 */

/** The problem types the gateway answers, by slug: the `type` is `urn:hmi:problem:<slug>`. */
export const PROBLEM_TYPES = {
  'bad-request': { status: 400, title: 'The request is malformed' },
  'validation-failed': { status: 400, title: 'The request does not match the schema' },
  unauthenticated: { status: 401, title: 'Credentials are missing or not valid' },
  'insufficient-scope': { status: 403, title: 'The credentials do not grant this operation' },
  'not-found': { status: 404, title: 'No such resource' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'The route does not take this method' },
  conflict: { status: 409, title: 'The resource is in a conflicting state' },
  'idempotency-in-progress': { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used with a different request' },
  'consent-refused': { status: 422, title: 'The recipient has not consented to this message' },
  unprocessable: { status: 422, title: 'The request cannot be carried out' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'too-many-streams': { status: 429, title: 'Too many open event streams for this client' },
  internal: { status: 500, title: 'The gateway failed' },
  'upstream-failed': { status: 502, title: 'A connected system failed' },
  unavailable: { status: 503, title: 'The gateway cannot serve this now' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A problem type slug. */
export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/** One field that failed validation: where and why, never the value. */
export interface FieldProblem {
  /** JSON Pointer to the field in the body or the name of the query parameter. */
  pointer: string;
  /** A stable code such as `invalid_type`, `unrecognized_keys`, `too_big`, `invalid_phone`. */
  code: string;
}

/** The body of a problem response (RFC 9457). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  /** A fixed explanation written by the gateway; never an echo of input. */
  detail?: string;
  /** The request id, also in the `request-id` header and the audit trail. */
  instance?: string;
  errors?: FieldProblem[];
}

/** The `type` URI of a slug. */
export function problemType(slug: ProblemSlug): string {
  return `urn:hmi:problem:${slug}`;
}

/** A problem to answer, thrown by route handlers and middleware and turned into a response. */
export class GatewayProblem extends Error {
  readonly slug: ProblemSlug;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldProblem[] | undefined;
  readonly headers: Record<string, string>;
  constructor(slug: ProblemSlug, detail?: string, options: { errors?: FieldProblem[]; headers?: Record<string, string> } = {}) {
    super(detail ?? PROBLEM_TYPES[slug].title);
    this.name = 'GatewayProblem';
    this.slug = slug;
    this.status = PROBLEM_TYPES[slug].status;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
  /** The RFC 9457 body. */
  toProblem(instance?: string): ProblemDetails {
    return {
      type: problemType(this.slug),
      title: PROBLEM_TYPES[this.slug].title,
      status: this.status,
      ...(this.detail !== undefined && { detail: this.detail }),
      ...(instance !== undefined && { instance }),
      ...(this.errors !== undefined && { errors: this.errors }),
    };
  }
}

/** True for a GatewayProblem. */
export function isGatewayProblem(error: unknown): error is GatewayProblem {
  return error instanceof GatewayProblem;
}

/** The response for a problem. */
export function problemResponse(problem: GatewayProblem, requestId: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem.toProblem(requestId)), {
    status: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      ...headers,
      ...problem.headers,
    },
  });
}

/** Turns zod issues into field problems: path and code only, never the message (it may quote input). */
export function fieldProblems(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code: string }>,
  prefix = '',
): FieldProblem[] {
  return issues.slice(0, 20).map((issue) => ({
    pointer:
      `${prefix}/${issue.path.map((p) => (typeof p === 'number' ? String(p) : escapePointer(String(p)))).join('/')}`.replace(
        /\/$/,
        '',
      ) || '/',
    code: issue.code,
  }));
}

function escapePointer(segment: string): string {
  // A key the client invented could be long or hold control characters: cut it and keep it printable.
  return segment
    .slice(0, 64)
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/~/g, '~0')
    .replace(/\//g, '~1');
}
