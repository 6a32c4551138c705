import { ConfigError } from '@hmi/core';
import type { ConfigIssue } from './issues.js';
import { ENV_REF, type HmiConfig } from './schema.js';

/**
 * Returns the secret-marked config keys of a connector entry (its definition's `secret()` marks),
 * or undefined when they cannot be known (the module is not loadable yet).
 */
export type SecretKeysOf = (
  connectorName: string,
  spec: HmiConfig['connectors'][string],
) => Promise<ReadonlySet<string> | undefined>;

/** Key names that hold credentials in any connector, whatever its schema says. */
const SECRET_NAME = /(secret|token|password|passwd|apikey|privatekey|authorization|credentials?|signingkey|clientassertion)$/;

/** Whether a config key names a secret by itself (`apiKey`, `clientSecret`, `authToken`, `private_key`). */
export function isSecretKeyName(key: string): boolean {
  return SECRET_NAME.test(key.toLowerCase().replace(/[-_\s]/g, ''));
}

/**
 * Finds secrets written inline: a value under a secret key (by name, or marked `secret()` in the
 * connector's schema) that is not an `env:NAME` reference. The issue names the field, never the
 * value.
 */
export async function checkSecrets(config: unknown, secretKeysOf?: SecretKeysOf): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  // Runs on the raw document too (before the schema passes), so secrets are reported in one go.
  const connectors = (config as { connectors?: unknown } | null)?.connectors;
  if (connectors === null || typeof connectors !== 'object' || Array.isArray(connectors)) return issues;
  for (const [name, raw] of Object.entries(connectors)) {
    if (raw === null || typeof raw !== 'object') continue;
    const spec = raw as HmiConfig['connectors'][string];
    if (typeof spec.use !== 'string' && typeof spec.package !== 'string') continue;
    let marked: ReadonlySet<string> | undefined;
    try {
      marked = await secretKeysOf?.(name, spec);
    } catch {
      marked = undefined;
    }
    walk(
      spec.config,
      ['connectors', name, 'config'],
      false,
      (value, path, secret) => {
        if (!secret) return;
        if (typeof value === 'string' && ENV_REF.test(value)) return;
        issues.push({ path, message: 'a secret must be an environment reference (env:NAME), not a value written in the file' });
      },
      (key) => isSecretKeyName(key) || marked?.has(key) === true,
    );
  }
  return issues;
}

function walk(
  value: unknown,
  path: Array<string | number>,
  secret: boolean,
  visit: (value: unknown, path: Array<string | number>, secret: boolean) => void,
  isSecret: (key: string) => boolean,
): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, [...path, i], secret, visit, isSecret);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) walk(inner, [...path, key], secret || isSecret(key), visit, isSecret);
    return;
  }
  visit(value, path, secret);
}

/** An `env:` reference found while resolving, for registering secrets with a redactor. */
export interface ResolvedRef {
  path: string;
  name: string;
  value: string;
  secret: boolean;
}

/**
 * Replaces every `env:NAME` string in `value` with the variable's value. A missing variable is a
 * ConfigError naming the variable and the field (never a value). Returns the resolved copy and the
 * references, so secret ones can be registered with the telemetry redactor.
 */
export function resolveEnvRefs(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
  isSecret: (key: string) => boolean = isSecretKeyName,
): { value: unknown; refs: ResolvedRef[] } {
  const refs: ResolvedRef[] = [];
  const go = (v: unknown, path: string, secret: boolean): unknown => {
    if (typeof v === 'string') {
      const match = ENV_REF.exec(v);
      if (!match) return v;
      const name = match[1]!;
      const resolved = env[name];
      if (resolved === undefined || resolved === '') {
        throw new ConfigError(`environment variable ${name} is not set (needed by ${path})`, {
          issues: [{ path: path.split('.'), code: 'missing_env', message: `set ${name}` }],
        });
      }
      refs.push({ path, name, value: resolved, secret });
      return resolved;
    }
    if (Array.isArray(v)) return v.map((item, i) => go(item, `${path}.${i}`, secret));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, go(inner, `${path}.${k}`, secret || isSecret(k))]));
    }
    return v;
  };
  return { value: go(value, where, false), refs };
}
