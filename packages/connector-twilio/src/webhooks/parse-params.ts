import { ValidationError, type ValidationIssue, formatIssues } from '@hmi/core';
import * as v from 'valibot';

// PLACEHOLDER until the core's Standard Schema issue mapping lands (then this uses it).
function toIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((item) => (typeof item.key === 'number' ? item.key : String(item.key))),
    code: issue.type,
    message: issue.expected ? `expected ${issue.expected}` : 'invalid',
  }));
}

/**
 * Validates a verified callback's parameters with `schema`; a ValidationError names each field
 * and what was expected, never the value received (callback fields are patient data).
 */
export function parseParams<S extends v.GenericSchema>(
  schema: S,
  data: unknown,
  what: string,
  connector: string,
): v.InferOutput<S> {
  const params = data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {};
  const result = v.safeParse(schema, params);
  if (result.success) return result.output;
  const issues = toIssues(result.issues);
  throw new ValidationError(`${what} is malformed: ${formatIssues(issues)}`, { connector, issues });
}
