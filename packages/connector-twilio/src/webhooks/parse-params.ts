import { ValidationError, type ValidationIssue, formatIssues } from '@hmi/core';
import * as v from 'valibot';

/**
 * valibot issues as ValidationIssues, by the core's rule for Standard Schema issues (its
 * `runSchema` is not exported): a message the schema's author wrote is kept; valibot's default
 * one quotes the input (`… but received "+9665…"`), so it is rebuilt from what was expected.
 */
function toIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => {
    const path = (issue.path ?? []).map((item) =>
      typeof item.key === 'number' || typeof item.key === 'string' ? item.key : '[key]',
    );
    const authored = !/^Invalid [^:]*: .*eceived /s.test(issue.message);
    const message = authored ? issue.message : issue.expected ? `expected ${issue.expected.slice(0, 200)}` : 'invalid';
    return { path, code: issue.type, message };
  });
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
