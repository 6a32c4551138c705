import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ValidationIssue } from '../errors/errors.js';
import { toValidationIssues } from '../errors/zod-issues.js';

/**
 * Any schema the core accepts: a Standard Schema v1 (https://standardschema.dev), which zod 4,
 * valibot 1 and ArkType schemas all are. Validation must be synchronous.
 */
export type AnySchema = StandardSchemaV1;
/** The type a schema accepts. */
export type SchemaInput<S extends AnySchema> = StandardSchemaV1.InferInput<S>;
/** The type a schema returns. */
export type SchemaOutput<S extends AnySchema> = StandardSchemaV1.InferOutput<S>;

/** The outcome of {@link runSchema}: the parsed value, or issues that never quote the input. */
export type SchemaResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

interface ZodLike {
  _zod: unknown;
  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: Parameters<typeof toValidationIssues>[0] };
}

const isZod = (schema: object): schema is ZodLike =>
  '_zod' in schema && typeof (schema as { safeParse?: unknown }).safeParse === 'function';

/**
 * Validates `value` with any Standard Schema. zod schemas go through `safeParse`, whose issue codes
 * the core already words; other libraries through `~standard.validate`. An asynchronous schema is
 * refused as an issue: the contract validates in line, before and after every call.
 */
export function runSchema<S extends AnySchema>(schema: S, value: unknown): SchemaResult<SchemaOutput<S>> {
  if (isZod(schema)) {
    const result = schema.safeParse(value);
    return result.success
      ? { ok: true, value: result.data as SchemaOutput<S> }
      : { ok: false, issues: toValidationIssues(result.error) };
  }
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    // Don't leave the promise's rejection unhandled: its outcome is not used.
    result.catch(() => undefined);
    return { ok: false, issues: [{ path: [], code: 'async_schema', message: 'asynchronous schemas are not supported here' }] };
  }
  if (!result.issues) return { ok: true, value: result.value as SchemaOutput<S> };
  return { ok: false, issues: result.issues.map(toIssue) };
}

/** A path segment as a name or index; anything else (a symbol, an object key) becomes a placeholder. */
function segment(part: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof part === 'object' && part !== null ? part.key : part;
  return typeof key === 'number' || typeof key === 'string' ? key : '[key]';
}

/**
 * One Standard Schema issue as a ValidationIssue. Library default messages may quote the input
 * (valibot: `Invalid type: Expected string but received "…"`), which may be patient data, so the
 * message is rebuilt from what the schema expected; a message the schema's author wrote is kept.
 */
function toIssue(issue: StandardSchemaV1.Issue): ValidationIssue {
  const extra = issue as StandardSchemaV1.Issue & { type?: unknown; expected?: unknown };
  const code = typeof extra.type === 'string' ? extra.type : 'invalid';
  const path = (issue.path ?? []).map(segment);
  const libraryDefault = /^Invalid [^:]*: .*eceived /s.test(issue.message);
  if (!libraryDefault) return { path, code, message: issue.message };
  const expected = typeof extra.expected === 'string' ? extra.expected : undefined;
  return { path, code, message: expected ? `expected ${expected.slice(0, 200)}` : `invalid ${code.replaceAll('_', ' ')}` };
}
