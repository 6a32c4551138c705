import type { ValidationIssue } from '@hmi/core';
import * as v from 'valibot';

/**
 * One valibot issue as the core words a Standard Schema issue (its `runSchema`, not exported):
 * the path, valibot's issue type as the code, and the message the schema's author wrote, else
 * "expected …" rebuilt from what was expected, as valibot's defaults quote the received value.
 */
function toIssue(issue: v.GenericIssue): ValidationIssue {
  const path = (issue.path ?? []).map((item) => {
    const key = (item as { key?: unknown }).key;
    return typeof key === 'string' || typeof key === 'number' ? key : '[key]';
  });
  if (!/^Invalid [^:]*: .*eceived /s.test(issue.message)) return { path, code: issue.type, message: issue.message };
  const message = issue.expected ? `expected ${issue.expected.slice(0, 200)}` : `invalid ${issue.type.replaceAll('_', ' ')}`;
  return { path, code: issue.type, message };
}

/** Runs a (synchronous) valibot schema: the output, or the issues as the core words them, never values. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  value: unknown,
): { ok: true; value: v.InferOutput<S> } | { ok: false; issues: ValidationIssue[] } {
  const result = v.safeParse(schema, value);
  return result.success ? { ok: true, value: result.output } : { ok: false, issues: result.issues.map(toIssue) };
}
