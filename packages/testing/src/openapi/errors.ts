import type { ErrorObject } from 'ajv';

/** One reason a request or response does not match the description. */
export interface SpecValidationIssue {
  /**
   * Where: `body.metadata.order`, `body.items[0].price`, `query.limit`, `path.AccountSid`,
   * `header.content-type`, `status`, or `url`.
   */
  path: string;
  /** What is wrong, in words; it names the expectation, never the value sent. */
  message: string;
}

/** The outcome of a validation. */
export interface SpecValidationResult {
  valid: boolean;
  errors: SpecValidationIssue[];
}

/** Thrown by the `assertValid*` helpers; `issues` lists every problem. */
export class SpecValidationError extends Error {
  /** Every problem found. */
  readonly issues: SpecValidationIssue[];
  constructor(subject: string, issues: SpecValidationIssue[]) {
    const lines = issues.slice(0, 20).map((i) => `  - ${i.path}: ${i.message}`);
    if (issues.length > 20) lines.push(`  … and ${issues.length - 20} more`);
    super(`${subject}:\n${lines.join('\n')}`);
    this.name = 'SpecValidationError';
    this.issues = issues;
  }
}

/** `/items/0/price` → `.items[0].price` (appended to a prefix such as `body`). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) =>
      /^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$-]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`,
    )
    .join('');
}

function join(prefix: string, suffix: string): string {
  if (!prefix) return suffix.replace(/^\./, '') || '(root)';
  return `${prefix}${suffix}`;
}

function listValues(values: unknown[]): string {
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v));
  return values.length > 12 ? `${shown.join(', ')}, … (${values.length} in all)` : shown.join(', ');
}

/**
 * Turns Ajv errors into readable issues. The branch errors of an `anyOf`/`oneOf` that only say
 * "wrong type" or "not in enum" at the same place are folded into one message naming what was
 * allowed; deeper branch errors (a missing property inside an object branch) are kept.
 */
export function formatAjvErrors(prefix: string, errors: ErrorObject[] | null | undefined): SpecValidationIssue[] {
  if (!errors?.length) return [];
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const folded = new Map<ErrorObject, { expected: string[]; deeper: boolean }>();
  const dropped = new Set<ErrorObject>();
  for (const alt of alternatives) {
    const expected: string[] = [];
    let deeper = false;
    for (const e of errors) {
      if (e === alt || !e.schemaPath.startsWith(`${alt.schemaPath}/`)) continue;
      if (e.instancePath !== alt.instancePath) {
        deeper ||= e.instancePath.startsWith(alt.instancePath);
        continue;
      }
      if (e.keyword === 'type') expected.push(String(e.params.type).split(',').join(' or '));
      else if (e.keyword === 'enum') expected.push(`one of ${listValues(e.params.allowedValues as unknown[])}`);
      else if (e.keyword === 'const') expected.push(JSON.stringify(e.params.allowedValue));
      else {
        deeper = true;
        continue;
      }
      dropped.add(e);
    }
    folded.set(alt, { expected: [...new Set(expected)], deeper });
  }
  const issues: Array<SpecValidationIssue & { alternative: boolean }> = [];
  for (const e of errors) {
    if (dropped.has(e)) continue;
    let path = join(prefix, pointerToPath(e.instancePath));
    let message: string;
    switch (e.keyword) {
      case 'required':
        path = join(prefix, `${pointerToPath(e.instancePath)}.${String(e.params.missingProperty)}`);
        message = 'is required';
        break;
      case 'additionalProperties':
        path = join(prefix, `${pointerToPath(e.instancePath)}.${String(e.params.additionalProperty)}`);
        message = 'is not allowed here (unknown property)';
        break;
      case 'enum':
        message = `must be one of ${listValues(e.params.allowedValues as unknown[])}`;
        break;
      case 'type':
        message = `must be ${String(e.params.type).split(',').join(' or ')}`;
        break;
      case 'format':
        message = `must be a valid "${String(e.params.format)}"`;
        break;
      case 'anyOf':
      case 'oneOf': {
        const { expected, deeper } = folded.get(e) ?? { expected: [], deeper: false };
        if (e.keyword === 'oneOf' && e.params.passingSchemas) message = 'matches more than one of the allowed shapes';
        else if (!deeper && expected.length) message = `must be ${expected.join(' or ')}`;
        else if (expected.length)
          message = `matches none of the allowed shapes (see the errors listed with it; else ${expected.join(' or ')})`;
        else message = 'matches none of the allowed shapes (see the errors listed with it)';
        break;
      }
      default:
        message = e.message ?? `fails "${e.keyword}"`;
    }
    // Nested alternatives (a nullable anyOf around a $ref) say the same thing twice: keep one.
    issues.push({ path, message, alternative: e.keyword === 'anyOf' || e.keyword === 'oneOf' });
  }
  const seen = new Set<string>();
  const out: SpecValidationIssue[] = [];
  for (const { path, message, alternative } of issues) {
    const key = alternative ? `${path}\u0000alternatives` : `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}
