import { toValidationIssues } from '@hmi/core';
import type { z } from 'zod';

/** One problem in a config file, with where it is. */
export interface ConfigIssue {
  /** Path in the document, e.g. `['points', 0, 'schedule', 'every']`. */
  path: Array<string | number>;
  /** What is wrong; names the expectation, never the value found. */
  message: string;
  /** 1-based line, when the file position is known. */
  line?: number;
  /** 1-based column. */
  column?: number;
}

type Issue = z.core.$ZodIssue;

/**
 * Flattens zod issues into config issues. A union that matched no branch is reported through the
 * branch that came closest (fewest problems), so `schedule: { every: soon }` says what is wrong
 * with `every` instead of "matched no allowed shape". Messages are this package's own (refinements)
 * or zod's expectation texts; received values are never quoted.
 */
export function configIssuesOf(error: z.ZodError): ConfigIssue[] {
  return flatten(error.issues, []);
}

function flatten(issues: readonly Issue[], prefix: Array<string | number>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p))];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => score(a) - score(b))[0]!;
      out.push(...flatten(best, path));
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      // One issue per key, at the key, so the line points at it rather than at its object.
      for (const key of issue.keys) out.push({ path: [...path, key], message: 'unknown field' });
      continue;
    }
    out.push({ path, message: describe(issue) });
  }
  return out;
}

/** How far a union branch is from matching: wrong keys or type at its root count most. */
function score(issues: readonly Issue[]): number {
  return issues.reduce(
    (sum, i) => sum + (i.path.length === 0 && (i.code === 'unrecognized_keys' || i.code === 'invalid_type') ? 10 : 1),
    0,
  );
}

function describe(issue: Issue): string {
  // Refinements and regex checks carry this package's own texts; zod's others go through core's
  // describer, which never quotes a received value.
  if (issue.code === 'custom' || (issue.code === 'invalid_format' && issue.format === 'regex')) return issue.message;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return `required (${issue.expected})`;
  const fake = { issues: [issue] } as unknown as z.ZodError;
  return toValidationIssues(fake)[0]?.message ?? issue.code;
}
