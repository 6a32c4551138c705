import { type ValidationIssue, toValidationIssues } from '@hmi/core';
import type * as v from 'valibot';

type Result<T> = { readonly value: T; readonly issues?: undefined } | { readonly issues: ReadonlyArray<unknown> };

/**
 * Runs a (synchronous) valibot schema through its Standard Schema interface: the output, or the
 * issues as the core words them (path and expectation, never the value).
 */
export function validate<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
): { ok: true; value: v.InferOutput<S> } | { ok: false; issues: ValidationIssue[] } {
  const result = schema['~standard'].validate(value) as Result<v.InferOutput<S>>;
  if (result.issues) return { ok: false, issues: toValidationIssues(result.issues as never) };
  return { ok: true, value: result.value };
}
