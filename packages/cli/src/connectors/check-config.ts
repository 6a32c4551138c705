import { type AnySchema, checkConnectorConfig } from '@hmi/core';
import type { ConfigIssue } from '../config/issues.js';
import { ENV_REF } from '../config/schema.js';

/** A stand-in for an `env:NAME` reference, which only `hmi run` resolves. */
const PLACEHOLDER = 'hmi-validate-env-placeholder';

/**
 * Checks one connector's `config:` block against the connector's own schema — the check its
 * `create()` makes at `hmi run` — so that what validates, runs. `env:` references stand in for
 * strings: an issue on such a value (a format the real value may meet) is not reported, since only
 * `run` knows the value; an unknown key is reported whatever its value. Paths point into the block (`connectors.<name>.config.<key>`).
 */
export function checkConnectorBlock(name: string, schema: AnySchema, config: unknown): ConfigIssue[] {
  const envPaths = new Set<string>();
  const substituted = substitute(config, [], envPaths, 0);
  return checkConnectorConfig(schema, substituted)
    .filter((issue) => issue.code === 'unrecognized_keys' || !envPaths.has(issue.path.join('\u0000')))
    .map((issue) => ({ path: ['connectors', name, 'config', ...issue.path], message: issue.message }));
}

function substitute(value: unknown, path: (string | number)[], envPaths: Set<string>, depth: number): unknown {
  if (depth > 32) return value;
  if (typeof value === 'string' && ENV_REF.test(value)) {
    envPaths.add(path.join('\u0000'));
    return PLACEHOLDER;
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, [...path, i], envPaths, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, [...path, k], envPaths, depth + 1)]));
  }
  return value;
}
