import { ValidationError, formatIssues } from '@hmi/core';
import { runSchema } from '@hmi/core/internal';
import type * as v from 'valibot';

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
  // The core's rule words the issues: a message the schema's author wrote is kept; valibot's
  // default one quotes the input (`… but received "+9665…"`), so it is rebuilt from the expectation.
  const result = runSchema(schema, params);
  if (result.ok) return result.value;
  const issues = result.issues;
  throw new ValidationError(`${what} is malformed: ${formatIssues(issues)}`, { connector, issues });
}
