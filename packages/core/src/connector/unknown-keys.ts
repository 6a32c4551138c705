import type { ValidationIssue } from '../errors/errors.js';
import { schemaNode } from '../model/registry.js';
import { type AnySchema, runSchema } from '../schema/standard.js';

/** The object schema under wrappers (optional, default, nullable, pipe, readonly), if any: zod 4 or valibot 1. */
function objectShape(schema: object | undefined, depth = 0): Record<string, object> | undefined {
  if (!schema || depth > 8) return undefined;
  const node = schemaNode(schema);
  // A catchall, passthrough or loose object accepts any key on purpose.
  if (node.kind === 'object') return node.open ? undefined : node.shape;
  if (node.kind === 'wrapper') return objectShape(node.inner, depth + 1);
  return undefined;
}

/** Edit distance, bounded: names are short, and only close ones are worth suggesting. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

/** The known key a misspelt one most likely meant (`authtoken` → `authToken`), if any is close. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d <= Math.max(1, Math.floor(candidate.length / 4)) && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

/**
 * Keys of a config object that its schema does not know, at any depth of plain objects: zod's
 * default objects drop them silently, so a misspelt `authtoken` would leave the real `authToken`
 * unset with no word said. Each issue names the key (a config key is a name, not a value) and the
 * likely intended one.
 */
export function unknownConfigKeys(schema: object, value: unknown, path: (string | number)[] = [], depth = 0): ValidationIssue[] {
  const shape = objectShape(schema);
  if (!shape || value === null || typeof value !== 'object' || Array.isArray(value) || depth > 8) return [];
  const known = Object.keys(shape);
  const issues: ValidationIssue[] = [];
  for (const [key, inner] of Object.entries(value)) {
    if (!Object.hasOwn(shape, key)) {
      if (inner === undefined) continue;
      const safe = /^[A-Za-z_$][\w$-]{0,63}$/.test(key) ? key : '[key]';
      const suggestion = suggestKey(key, known);
      issues.push({
        path: [...path, safe],
        code: 'unrecognized_keys',
        message: suggestion ? `unknown key; did you mean ${suggestion}?` : `unknown key; known keys: ${known.join(', ')}`,
      });
    } else {
      issues.push(...unknownConfigKeys(shape[key]!, inner, [...path, key], depth + 1));
    }
  }
  return issues;
}

/**
 * Every problem of a connector config, without creating the connector: the schema's issues (paths
 * and expectations, never values) and unknown keys with a "did you mean". What `create(config)`
 * refuses, this reports — so a tool such as `hmi validate` accepts exactly what will run.
 */
export function checkConnectorConfig(schema: AnySchema, config: unknown): ValidationIssue[] {
  const parsed = runSchema(schema, config);
  return [...(parsed.ok ? [] : parsed.issues), ...unknownConfigKeys(schema, config)];
}
