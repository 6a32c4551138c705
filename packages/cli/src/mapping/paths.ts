/** Reads a dot path (`names.0.given`): numbers index arrays. Undefined when any step is missing. */
export function getPath(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

/** Writes a dot path, creating objects on the way (never arrays, never prototype keys). */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  if (segments.some((s) => UNSAFE.has(s))) return;
  let current = target;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  current[segments[segments.length - 1]!] = value;
}

/**
 * Keeps only the allowed paths of `record` (minimum necessary): an allowed `address` keeps the
 * whole object, an allowed `address.city` only that leaf. Everything else is dropped.
 */
export function pickAllowed(record: unknown, allowed: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of allowed) {
    const value = getPath(record, path);
    if (value !== undefined) setPath(out, path, structuredClone(value));
  }
  return out;
}
